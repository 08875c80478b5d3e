# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
        help="The end customer's name; needed when the TIN is not known yet.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="OctoWatch Version",
        required=True,
        check_company=True,
        domain="[('octowatch_is_license', '=', True)]",
    )
    license_qty = fields.Integer(string="Licences", required=True, default=1)

    def action_register(self):
        """Register the deal as if the agent had sent it now, email the agent the
        outcome, and open the deal."""
        self.ensure_one()
        deal = self.env["octowatch.deal.registration"]._register_deal(
            self.agent_id,
            self.tin,
            self.company_name,
            self.product_id,
            self.license_qty,
            company=self.company_id,
        )
        # The agent learns the outcome as if it had registered the deal itself.
        deal._notify_agent("octowatch_channel.mail_template_deal_registration_result")
        return {
            "type": "ir.actions.act_window",
            "res_model": "octowatch.deal.registration",
            "res_id": deal.id,
            "views": [(False, "form")],
            "target": "current",
        }
