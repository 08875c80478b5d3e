# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        # Credit notes give money back: they are never floored.
        invoices = self.filtered(lambda move: move.move_type == "out_invoice")
        lines = invoices.invoice_line_ids
        errors = lines._octowatch_floor_errors(lines._octowatch_floor_prices())
        if errors:
            raise UserError("\n".join(errors))
        return super()._post(soft=soft)


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["account.move.line", "octowatch.price.floor.line"]

    @api.depends(
        "product_id",
        "product_uom_id",
        "quantity",
        "move_id.invoice_date",
        "move_id.currency_id",
        "move_id.company_id",
    )
    def _compute_octowatch_price_floor(self):
        return super()._compute_octowatch_price_floor()

    def _octowatch_document(self):
        return self.move_id

    def _octowatch_line_values(self):
        move = self.move_id
        return (
            self.product_id,
            self.quantity,
            self.product_uom_id,
            move.invoice_date or fields.Date.context_today(self),
            move.currency_id,
            move.company_id,
        )

    def _octowatch_is_approved(self):
        """Approved when the sale order line it invoices was approved at this price."""
        self.ensure_one()
        price = self._octowatch_effective_price()
        return any(
            sale_line._octowatch_is_approved()
            and self.currency_id.compare_amounts(
                sale_line.octowatch_floor_approved_price, price
            )
            == 0
            for sale_line in self.sale_line_ids
        )
