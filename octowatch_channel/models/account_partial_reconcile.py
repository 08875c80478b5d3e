# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        # sudo: whoever registers a payment accrues the agent's commission.
        self.env["octowatch.commission.line"].sudo()._accrue_from_partials(partials)
        return partials

    def unlink(self):
        if not self:
            # Odoo unlinks no matching at all on every write of a journal item (an
            # empty statement line's reconciliation undone): nothing to give back.
            return super().unlink()
        # sudo: whoever undoes a payment gives back the commission it accrued.
        self.env["octowatch.commission.line"].sudo()._reverse_for_partials(self)
        # An undone payment leaves its invoice unpaid: suspend the licences it credited.
        moves = (self.debit_move_id | self.credit_move_id).move_id
        res = super().unlink()
        moves.exists()._octowatch_suspend_licenses()
        return res
