# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError


class OctowatchPartnerAttribute(models.TransientModel):
    _name = "octowatch.partner.attribute"
    _description = "Move an End Customer to Another Owner"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="End Customer",
        required=True,
        domain="[('octowatch_role', '=', False), ('parent_id', '=', False)]",
    )
    current_owner_id = fields.Many2one(related="partner_id.octowatch_owner_id")
    new_owner_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        domain="[('octowatch_role', '!=', False), ('parent_id', '=', False)]",
    )
    reason = fields.Text(required=True)

    def action_apply(self):
        """Give the customer to the new owner, whoever had it, and log why."""
        self.ensure_one()
        if not self.env.user.has_group("octowatch_channel.group_octowatch_manager"):
            raise UserError(
                self.env._("Only a Channel Manager can move an end customer.")
            )
        customer = self.partner_id.commercial_partner_id
        old_owner = customer.octowatch_owner_id
        new_owner = self.new_owner_id.commercial_partner_id
        if old_owner == new_owner:
            raise UserError(
                self.env._(
                    "%(customer)s already belongs to %(owner)s.",
                    customer=customer.display_name,
                    owner=new_owner.display_name,
                )
            )
        customer.with_context(octowatch_owner_move=True).octowatch_owner_id = new_owner
        customer.message_post(
            body=self.env._(
                "Moved from %(old)s to %(new)s by %(user)s: %(reason)s",
                old=old_owner.name or self.env._("no owner"),
                new=new_owner.name,
                user=self.env.user.name,
                reason=self.reason,
            )
        )
        return {"type": "ir.actions.act_window_close"}
