# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
    octowatch_provisioning_secret = fields.Char(
        related="company_id.octowatch_provisioning_secret",
        readonly=False,
        groups="base.group_system",
    )
