# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

ALIAS_XMLID = "octowatch_channel.mail_alias_channel_request"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    octowatch_published_pricelist_id = fields.Many2one(
        related="company_id.octowatch_published_pricelist_id", readonly=False
    )
    octowatch_partner_pricelist_id = fields.Many2one(
        related="company_id.octowatch_partner_pricelist_id", readonly=False
    )
    octowatch_deal_validity_days = fields.Integer(
        related="company_id.octowatch_deal_validity_days", readonly=False
    )
    octowatch_deal_reminder_days = fields.Integer(
        related="company_id.octowatch_deal_reminder_days", readonly=False
    )
    octowatch_commission_product_id = fields.Many2one(
        related="company_id.octowatch_commission_product_id", readonly=False
    )
    octowatch_commission_journal_id = fields.Many2one(
        related="company_id.octowatch_commission_journal_id", readonly=False
    )
    octowatch_provisioning_url = fields.Char(
        related="company_id.octowatch_provisioning_url", readonly=False
    )
    octowatch_provisioning_max_attempts = fields.Integer(
        related="company_id.octowatch_provisioning_max_attempts", readonly=False
    )
    octowatch_provisioning_secret = fields.Char(
        related="company_id.octowatch_provisioning_secret",
        readonly=False,
        groups="base.group_system",
    )
    octowatch_max_license_qty = fields.Integer(
        related="company_id.octowatch_max_license_qty", readonly=False
    )
    octowatch_trusted_authserv_id = fields.Char(
        related="company_id.octowatch_trusted_authserv_id", readonly=False
    )
    octowatch_deal_confirm_hours = fields.Integer(
        related="company_id.octowatch_deal_confirm_hours", readonly=False
    )
    octowatch_alias_name = fields.Char(
        string="Channel Inbox Alias",
        help="The local part of the address partners and agents write to, e.g. "
        "'partners' for partners@ your alias domain; empty to stop receiving.",
    )
    octowatch_alias_domain_id = fields.Many2one(
        comodel_name="mail.alias.domain",
        string="Channel Inbox Domain",
    )

    @api.onchange("group_product_pricelist")
    def _onchange_group_sale_pricelist(self):
        """The published and partner prices are pricelists: the feature stays on.

        Replaces Odoo's warning that turning it off archives every pricelist.
        """
        if not self.group_product_pricelist:
            self.group_product_pricelist = True
            return {
                "warning": {
                    "title": self.env._("Pricelists stay on"),
                    "message": self.env._(
                        "OctoWatch Channel needs the Pricelists feature: the published "
                        "prices and the partner prices are pricelists."
                    ),
                }
            }

    @api.model
    def get_values(self):
        res = super().get_values()
        alias = self.env.ref(ALIAS_XMLID, raise_if_not_found=False)
        res.update(
            octowatch_alias_name=alias.alias_name if alias else False,
            octowatch_alias_domain_id=alias.alias_domain_id.id if alias else False,
        )
        return res

    def set_values(self):
        # Saved off, Odoo would drop the feature and archive every pricelist, the
        # channel's published and partner pricelists among them.
        self.filtered(
            lambda settings: not settings.group_product_pricelist
        ).group_product_pricelist = True
        res = super().set_values()
        # Only administrators save settings (res.config.settings is theirs); the alias
        # is a system record that a Channel Manager could not write otherwise.
        alias = self.env.ref(ALIAS_XMLID, raise_if_not_found=False)
        if not alias and self.octowatch_alias_name:
            alias = (
                self.env["mail.alias"]
                .sudo()
                .create(
                    {
                        "alias_name": self.octowatch_alias_name,
                        "alias_domain_id": self.octowatch_alias_domain_id.id,
                        "alias_model_id": self.env["ir.model"]._get_id(
                            "octowatch.channel.request"
                        ),
                        "alias_contact": "everyone",
                    }
                )
            )
            self.env["ir.model.data"].sudo().create(
                {
                    "name": ALIAS_XMLID.split(".")[1],
                    "module": "octowatch_channel",
                    "model": "mail.alias",
                    "noupdate": True,
                    "res_id": alias.id,
                }
            )
        elif alias:
            vals = {}
            if alias.alias_name != (self.octowatch_alias_name or False):
                vals["alias_name"] = self.octowatch_alias_name or False
            if alias.alias_domain_id != self.octowatch_alias_domain_id:
                vals["alias_domain_id"] = self.octowatch_alias_domain_id.id
            if vals:
                alias.sudo().write(vals)
        return res
