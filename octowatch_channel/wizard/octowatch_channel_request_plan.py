# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class OctowatchChannelRequestPlan(models.TransientModel):
    _name = "octowatch.channel.request.plan"
    _description = "Plan an OctoWatch Service"

    request_id = fields.Many2one(
        comodel_name="octowatch.channel.request",
        required=True,
        readonly=True,
        domain="[('request_type', '=', 'service')]",
    )
    service_date = fields.Datetime(
        string="Planned Date",
        required=True,
        help="When Kolibri delivers the service; emailed to the requester.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        required=True,
        domain="[('share', '=', False)]",
        help="The Kolibri employee who delivers the service; gets the activity.",
    )
    note = fields.Text(help="Added to the responsible's activity.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        request = self.env["octowatch.channel.request"].browse(values.get("request_id"))
        if request:
            values.setdefault(
                "service_date", request.service_date or fields.Datetime.now()
            )
            values.setdefault("user_id", (request.user_id or self.env.user).id)
        return values

    def action_plan(self):
        self.ensure_one()
        self.request_id._octowatch_plan_service(
            self.service_date, self.user_id, note=self.note
        )
        return {"type": "ir.actions.act_window_close"}
