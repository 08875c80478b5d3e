# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OctowatchDealLose(models.TransientModel):
    _name = "octowatch.deal.lose"
    _description = "Mark OctoWatch Deals as Lost"

    deal_ids = fields.Many2many(
        comodel_name="octowatch.deal.registration", string="Deals", required=True
    )
    reason = fields.Text(required=True)

    def action_lose(self):
        self.ensure_one()
        self.deal_ids._action_lose(self.reason)
        return {"type": "ir.actions.act_window_close"}
