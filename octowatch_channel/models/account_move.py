# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        """Win the deals whose quotation this paid customer invoice comes from."""
        res = super()._invoice_paid_hook()
        invoices = self.filtered(lambda move: move.move_type == "out_invoice")
        orders = invoices.invoice_line_ids.sale_line_ids.order_id
        # Reaching the deals of the customer's orders is safe whoever pays: the
        # payment itself was allowed, and only the deal's state changes.
        orders.sudo().octowatch_deal_id._action_won()
        return res
