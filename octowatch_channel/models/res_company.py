# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError

KPP_PATTERN = re.compile(r"\d{4}[\dA-Z]{2}\d{3}")


class ResCompany(models.Model):
    _inherit = "res.company"

    octowatch_kpp = fields.Char(
        string="KPP",
        size=9,
        help="The tax registration reason code (KPP) of a Russian legal entity: 9 "
        "characters, printed beside the TIN on the agent's reports. Odoo Community "
        "has no field for it; the Company ID holds the OGRN.",
    )

    octowatch_published_pricelist_id = fields.Many2one(
        comodel_name="product.pricelist",
        string="OctoWatch Published Pricelist",
        check_company=True,
        domain="[('octowatch_is_partner_pricelist', '=', False)]",
        help="The published (standard) prices: what end customers pay, and the floor "
        "under which nobody resells.",
    )
    octowatch_partner_pricelist_id = fields.Many2one(
        comodel_name="product.pricelist",
        string="OctoWatch Partner Pricelist",
        check_company=True,
        domain="[('octowatch_is_partner_pricelist', '=', True)]",
        help="The pricelist a new channel Partner buys on, unless another is chosen.",
    )
    octowatch_deal_validity_days = fields.Integer(
        string="Deal Validity (days)",
        default=90,
        help="How long a registered deal protects the agent before it expires.",
    )
    octowatch_deal_reminder_days = fields.Integer(
        string="Deal Reminder (days)",
        default=7,
        help="How many days before a deal expires its agent is reminded; 0 for no "
        "reminder.",
    )
    octowatch_commission_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Commission Product",
        check_company=True,
        help="The product of the lines of the agents' commission bills.",
    )
    octowatch_commission_journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Commission Journal",
        check_company=True,
        domain="[('type', '=', 'purchase')]",
        help="The purchase journal of the agents' commission bills.",
    )
    octowatch_max_license_qty = fields.Integer(
        string="Maximum Licences per Request",
        default=10000,
        help="A channel request asking for more licences than this is held for "
        "review: a count that large is a typing mistake more often than an order.",
    )
    octowatch_trusted_authserv_id = fields.Char(
        string="Trusted Mail Server",
        help="The authserv-id of the receiving mail server (the first word of the "
        "Authentication-Results headers it adds, e.g. mx.octowatchdlp.com). An email "
        "deal registration is trusted at once when this server reports dkim=pass "
        "aligned with the From domain, or dmarc=pass; otherwise the agent confirms "
        "it through a one-time link. Empty: every email registration is confirmed "
        "by link.",
    )
    octowatch_deal_confirm_hours = fields.Integer(
        string="Deal Confirmation (hours)",
        default=24,
        help="How long an email deal registration waits for the agent's "
        "confirmation before it lapses.",
    )
    octowatch_provisioning_url = fields.Char(
        string="Licensing Endpoint",
        help="URL of the OctoWatch licensing service that licence credits are pushed "
        "to; empty to only record them in Odoo.",
    )
    octowatch_provisioning_secret = fields.Char(
        string="Licensing Secret",
        groups="base.group_system",
        help="Shared secret of the HMAC-SHA256 signature of each push.",
    )

    octowatch_provisioning_max_attempts = fields.Integer(
        string="Licensing Attempts",
        default=8,
        help="How many times a licence event is pushed, with growing delays, before "
        "it is marked failed and a Channel Manager is asked to look.",
    )

    def _octowatch_salesperson(self):
        """The salesperson of an order made from a channel document, whom the
        customer sees on the portal: the staff member who acts, else the Channel
        Manager. Never a portal user, nor OdooBot when the portal, the mail gateway
        or the demo data act as the system."""
        self.ensure_one()
        user = self.env.user
        if not user.share and not user._is_superuser():
            return user
        # The Channel Manager is looked up as the system: a portal user, or a
        # salesman of one company, may not read the managers' other companies.
        manager = self.sudo()._octowatch_channel_manager().sudo(False)
        if not manager.share and not manager._is_superuser():
            return manager
        return self.env["res.users"]

    def _octowatch_channel_manager(self):
        """The Channel Manager of this company who follows up on channel problems.

        The first internal user of the Manager group in this company; the current user
        when there is none, so that a follow-up activity always has someone.
        """
        self.ensure_one()
        managers = self.env.ref("octowatch_channel.group_octowatch_manager").user_ids
        return (
            managers.filtered(lambda u: self in u.company_ids and not u.share)[:1]
            or self.env.user
        )

    @api.constrains("octowatch_kpp")
    def _check_octowatch_kpp(self):
        for company in self.filtered("octowatch_kpp"):
            if not KPP_PATTERN.fullmatch(company.octowatch_kpp):
                raise ValidationError(
                    self.env._(
                        "KPP %(kpp)s of %(company)s is not valid: 9 characters, four "
                        "digits, two digits or capital Latin letters, three digits "
                        "(e.g. 770101001).",
                        kpp=company.octowatch_kpp,
                        company=company.name,
                    )
                )

    @api.constrains("octowatch_provisioning_max_attempts")
    def _check_octowatch_provisioning_max_attempts(self):
        for company in self:
            if company.octowatch_provisioning_max_attempts < 1:
                raise ValidationError(
                    self.env._("Licensing Attempts must be at least 1.")
                )

    @api.constrains("octowatch_deal_reminder_days")
    def _check_octowatch_deal_reminder_days(self):
        for company in self:
            if company.octowatch_deal_reminder_days < 0:
                raise ValidationError(
                    self.env._(
                        "Deal Reminder can't be a negative number of days "
                        "(%(days)s); 0 turns the reminder off.",
                        days=company.octowatch_deal_reminder_days,
                    )
                )

    @api.constrains("octowatch_deal_validity_days")
    def _check_octowatch_deal_validity_days(self):
        for company in self:
            if company.octowatch_deal_validity_days <= 0:
                raise ValidationError(
                    self.env._(
                        "Deal Validity must be a positive number of days, "
                        "not %(days)s.",
                        days=company.octowatch_deal_validity_days,
                    )
                )

    @api.constrains("octowatch_max_license_qty")
    def _check_octowatch_max_license_qty(self):
        for company in self:
            if company.octowatch_max_license_qty <= 0:
                raise ValidationError(
                    self.env._(
                        "Maximum Licences per Request must be a positive number, "
                        "not %(qty)s.",
                        qty=company.octowatch_max_license_qty,
                    )
                )

    @api.constrains("octowatch_commission_journal_id")
    def _check_octowatch_commission_journal(self):
        for company in self.filtered("octowatch_commission_journal_id"):
            if company.octowatch_commission_journal_id.type != "purchase":
                raise ValidationError(
                    self.env._(
                        "Commission Journal %(journal)s must be a purchase journal.",
                        journal=company.octowatch_commission_journal_id.display_name,
                    )
                )

    @api.constrains(
        "octowatch_published_pricelist_id", "octowatch_partner_pricelist_id"
    )
    def _check_octowatch_pricelists(self):
        for company in self:
            published = company.octowatch_published_pricelist_id
            partner = company.octowatch_partner_pricelist_id
            if published.octowatch_is_partner_pricelist:
                raise ValidationError(
                    self.env._(
                        "Published Pricelist %(pricelist)s is a partner pricelist: "
                        "choose a pricelist open to everyone.",
                        pricelist=published.display_name,
                    )
                )
            if partner and not partner.octowatch_is_partner_pricelist:
                raise ValidationError(
                    self.env._(
                        "Partner Pricelist %(pricelist)s is not flagged as an "
                        "OctoWatch partner pricelist.",
                        pricelist=partner.display_name,
                    )
                )

    @api.constrains("octowatch_provisioning_url")
    def _check_octowatch_provisioning_url(self):
        for company in self.filtered("octowatch_provisioning_url"):
            url = urlsplit(company.octowatch_provisioning_url.strip())
            local = url.hostname in ("localhost", "127.0.0.1", "::1")
            if not url.hostname or not (
                url.scheme == "https" or (url.scheme == "http" and local)
            ):
                raise ValidationError(
                    self.env._(
                        "Licensing Endpoint %(url)s must be an https URL (plain http "
                        "only on this machine): the pushes carry customer data.",
                        url=company.octowatch_provisioning_url,
                    )
                )
