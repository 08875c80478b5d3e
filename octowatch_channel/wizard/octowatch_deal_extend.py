# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class OctowatchDealExtend(models.TransientModel):
    _name = "octowatch.deal.extend"
    _description = "Extend an OctoWatch Deal"

    deal_ids = fields.Many2many(
        comodel_name="octowatch.deal.registration", string="Deals", required=True
    )
    date_expiry_current = fields.Date(
        string="Current Expiry Date", compute="_compute_date_expiry_current"
    )
    date_expiry = fields.Date(
        string="New Expiry Date",
        required=True,
        compute="_compute_date_expiry",
        store=True,
        readonly=False,
    )
    reason = fields.Text(required=True)

    @api.depends("deal_ids")
    def _compute_date_expiry_current(self):
        for wizard in self:
            wizard.date_expiry_current = wizard.deal_ids[:1].date_expiry

    @api.depends("deal_ids")
    def _compute_date_expiry(self):
        for wizard in self:
            deal = wizard.deal_ids[:1]
            wizard.date_expiry = deal.date_expiry and deal.date_expiry + timedelta(
                days=deal.company_id.octowatch_deal_validity_days
            )

    def action_extend(self):
        self.ensure_one()
        self.deal_ids.ensure_one()
        self.deal_ids._action_extend(self.date_expiry, self.reason)
        return {"type": "ir.actions.act_window_close"}
