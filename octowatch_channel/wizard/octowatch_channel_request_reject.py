# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OctowatchChannelRequestReject(models.TransientModel):
    _name = "octowatch.channel.request.reject"
    _description = "Reject OctoWatch Channel Requests"

    request_ids = fields.Many2many(
        comodel_name="octowatch.channel.request",
        string="Requests",
        required=True,
    )
    reason = fields.Text(
        required=True,
        help="Emailed to the requester: write it for them.",
    )

    def action_reject(self):
        self.ensure_one()
        self.request_ids._octowatch_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
