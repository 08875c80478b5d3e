# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..models.octowatch_input_mixin import OctowatchInputError


class OctowatchDealRegister(models.TransientModel):
    _name = "octowatch.deal.register"
    _inherit = "octowatch.input.mixin"
    _description = "Register an OctoWatch Deal"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    agent_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        check_company=True,
        domain="[('octowatch_role', '=', 'agent'), ('parent_id', '=', False)]",
    )
    tin = fields.Char(string="TIN", required=True)
    company_name = fields.Char(
        help="The end customer's name, as the agent gives it.",
    )
    contact_name = fields.Char(help="The person to address at the end customer.")
    contact_email = fields.Char()
    contact_phone = fields.Char()
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="OctoWatch Version",
        required=True,
        check_company=True,
        domain="[('octowatch_is_license', '=', True)]",
    )
    license_qty = fields.Integer(string="Licences", required=True, default=1)

    def action_register(self):
        """Register the deal as if the agent had sent it now: a channel request on
        the agent's behalf, checked and confirmed as a received one, its outcome
        emailed to the agent; open the deal.

        :raise OctowatchInputError: the request's problems, by field.
        """
        self.ensure_one()
        Request = self.env["octowatch.channel.request"]
        vals = {
            "request_type": "deal",
            "source": "manual",
            "requester_id": self.agent_id.id,
            "company_id": self.company_id.id,
            "tin": self.tin,
            "company_name": self.company_name,
            "contact_name": self.contact_name,
            "contact_email": self.contact_email,
            "contact_phone": self.contact_phone,
            "product_id": self.product_id.id,
            "license_qty": self.license_qty,
        }
        # The same checks as the portal form and the email reader: one rule set.
        problems = Request.new(vals)._get_problems()
        if problems:
            raise OctowatchInputError(problems)
        deal_request = Request.create(vals)
        deal_request.action_confirm()
        # The agent learns the outcome as if it had registered the deal itself.
        deal_request._octowatch_send_outcome()
        return {
            "type": "ir.actions.act_window",
            "res_model": "octowatch.deal.registration",
            "res_id": deal_request.deal_id.id,
            "views": [(False, "form")],
            "target": "current",
        }
