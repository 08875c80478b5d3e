# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    def unlink(self):
        # An undone payment leaves its invoice unpaid: suspend the licences it credited.
        moves = (self.debit_move_id | self.credit_move_id).move_id
        res = super().unlink()
        moves.exists()._octowatch_suspend_licenses()
        return res
