# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from email.charset import BASE64, QP, Charset
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from urllib.parse import urlsplit

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import new_test_user

# Valid Russian TINs (INN) with correct check digits.
TIN_SIGMA = "7835802374"
TIN_VECTOR = "7848148046"
TIN_ALFA = "7860493715"
TIN_BETA = "7872839380"
TIN_GAMMA = "7885185053"
TIN_SPARE = "7897530723"
TIN_PERSON_PETROV = "528641975337"
TIN_PERSON_SMIRNOVA = "529876543249"
TIN_PERSON_SPARE = "521111111106"
TIN_AGENT_2 = "7712345671"
TIN_NEW = "7723456782"
TIN_NEW_2 = "7734567893"
TIN_PERSON_NEW = "501234567802"

TRUSTED_AUTHSERV_ID = "mx.kolibri.test"


def load_migration(version, filename):
    """The addon's migration script ``migrations/<version>/<filename>``."""
    path = Path(__file__).parent.parent / "migrations" / version / filename
    spec = spec_from_file_location(f"octowatch_migration_{path.stem}", path)
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class OctowatchChannelCommon(AccountTestInvoicingCommon):
    """Everything a channel test needs, built here and never taken from demo data.

    Companies (``company`` and ``company_2``), the published and partner pricelists set
    in the company settings, two licence products, a commission product, a Partner, a
    natural-person Partner, an Agent with an active agreement and a second Agent, end
    customers, portal users of the partner, both agents and an end customer, and
    back-office users with the Channel User and Channel Manager groups.
    """

    @classmethod
    def get_default_groups(cls):
        return (
            super().get_default_groups()
            | cls.env.ref("octowatch_channel.group_octowatch_manager")
            | cls.env.ref("sales_team.group_sale_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_2 = cls.setup_other_company(name="Kolibri Kazakhstan")["company"]
        cls.russia = cls.env.ref("base.ru")

        Product = cls.env["product.template"]
        cls.product_std = Product.create(
            {
                "name": "OctoWatch Standard",
                "type": "service",
                "list_price": 100.0,
                "octowatch_is_license": True,
                "octowatch_version_code": "TSTD",
                "categ_id": cls.product_category.id,
                "taxes_id": [Command.set(cls.tax_sale_a.ids)],
            }
        ).product_variant_id
        cls.product_ent = Product.create(
            {
                "name": "OctoWatch Enterprise",
                "type": "service",
                "list_price": 200.0,
                "octowatch_is_license": True,
                "octowatch_version_code": "TENT",
                "categ_id": cls.product_category.id,
                "taxes_id": [Command.set(cls.tax_sale_a.ids)],
            }
        ).product_variant_id
        cls.product_commission = cls.env["product.product"].create(
            {"name": "Commission", "type": "service", "purchase_ok": True}
        )

        Pricelist = cls.env["product.pricelist"]
        cls.pricelist_published = Pricelist.create(
            {
                "name": "Published",
                "currency_id": cls.company.currency_id.id,
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": product.id,
                            "compute_price": "fixed",
                            "fixed_price": price,
                        }
                    )
                    for product, price in (
                        (cls.product_std, 100.0),
                        (cls.product_ent, 200.0),
                    )
                ],
            }
        )
        cls.pricelist_partner = Pricelist.create(
            {
                "name": "Partner",
                "currency_id": cls.company.currency_id.id,
                "company_id": cls.company.id,
                "octowatch_is_partner_pricelist": True,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "formula",
                            "base": "pricelist",
                            "base_pricelist_id": cls.pricelist_published.id,
                            "price_discount": 30.0,
                        }
                    )
                ],
            }
        )
        cls.company.write(
            {
                "octowatch_published_pricelist_id": cls.pricelist_published.id,
                "octowatch_partner_pricelist_id": cls.pricelist_partner.id,
                "octowatch_deal_validity_days": 90,
                "octowatch_commission_product_id": cls.product_commission.id,
                "octowatch_commission_journal_id": cls.company_data[
                    "default_journal_purchase"
                ].id,
                "octowatch_provisioning_url": False,
            }
        )

        Partner = cls.env["res.partner"]
        cls.channel_partner = Partner.create(
            {
                "name": "Test Reseller LLC",
                "is_company": True,
                "country_id": cls.russia.id,
                "vat": TIN_SIGMA,
                "email": "reseller@example.com",
                "octowatch_role": "partner",
                "octowatch_legal_form": "legal_entity",
            }
        )
        cls.channel_partner_contact = Partner.create(
            {
                "name": "Reseller Contact",
                "parent_id": cls.channel_partner.id,
                "email": "contact@reseller.example.com",
            }
        )
        cls.person_partner = Partner.create(
            {
                "name": "Petr Ivanov",
                "country_id": cls.russia.id,
                "vat": TIN_PERSON_PETROV,
                "email": "petr@example.com",
                "octowatch_role": "partner",
                "octowatch_legal_form": "natural_person",
            }
        )
        cls.agent = Partner.create(
            {
                "name": "Test Agent LLC",
                "is_company": True,
                "country_id": cls.russia.id,
                "vat": TIN_VECTOR,
                "email": "agent@example.com",
                "octowatch_role": "agent",
                "octowatch_legal_form": "legal_entity",
            }
        )
        cls.agent_contact = Partner.create(
            {
                "name": "Agent Contact",
                "parent_id": cls.agent.id,
                "email": "contact@agent.example.com",
            }
        )
        cls.agent_2 = Partner.create(
            {
                "name": "Second Agent LLC",
                "is_company": True,
                "country_id": cls.russia.id,
                "vat": TIN_AGENT_2,
                "email": "agent2@example.com",
                "octowatch_role": "agent",
                "octowatch_legal_form": "legal_entity",
            }
        )
        cls.agent_2_contact = Partner.create(
            {
                "name": "Second Agent Contact",
                "parent_id": cls.agent_2.id,
                "email": "contact@agent2.example.com",
            }
        )
        cls.agent_bank = cls.env["res.partner.bank"].create(
            {"partner_id": cls.agent.id, "acc_number": "40702810000000000001"}
        )
        cls.agreement = cls.env["octowatch.agency.agreement"].create(
            {
                "agent_id": cls.agent.id,
                "bank_account_id": cls.agent_bank.id,
                "date_start": "2020-01-01",
                "commission_rate": 10.0,
            }
        )
        cls.agreement.action_activate()

        cls.customer_alfa = Partner.create(
            {
                "name": "Alfa Client JSC",
                "is_company": True,
                "country_id": cls.russia.id,
                "vat": TIN_ALFA,
                "email": "it@alfa.example.com",
                "octowatch_legal_form": "legal_entity",
                "octowatch_owner_id": cls.channel_partner.id,
            }
        )
        cls.customer_alfa_contact = Partner.create(
            {
                "name": "Alfa Contact",
                "parent_id": cls.customer_alfa.id,
                "email": "contact@alfa.example.com",
            }
        )
        cls.customer_beta = Partner.create(
            {
                "name": "Beta Client LLC",
                "is_company": True,
                "country_id": cls.russia.id,
                "vat": TIN_BETA,
                "email": "it@beta.example.com",
                "octowatch_legal_form": "legal_entity",
                "octowatch_owner_id": cls.agent.id,
            }
        )

        cls.user_channel = cls._create_staff_user(
            "ow_channel_user", "base.group_user,octowatch_channel.group_octowatch_user"
        )
        cls.user_manager = cls._create_staff_user(
            "ow_channel_manager",
            "base.group_user,octowatch_channel.group_octowatch_manager",
        )
        cls.user_employee = cls._create_staff_user("ow_employee", "base.group_user")
        cls.portal_partner = cls._create_portal_user(
            cls.channel_partner_contact, "ow_portal_partner"
        )
        cls.portal_agent = cls._create_portal_user(cls.agent_contact, "ow_portal_agent")
        cls.portal_agent_2 = cls._create_portal_user(
            cls.agent_2_contact, "ow_portal_agent_2"
        )
        cls.portal_client = cls._create_portal_user(
            cls.customer_alfa_contact, "ow_portal_client"
        )

        # The partners@ alias answers on the company's alias domain.
        cls.alias_domain = cls.env["mail.alias.domain"].search([], limit=1) or cls.env[
            "mail.alias.domain"
        ].create({"name": "octowatchdlp.com"})
        cls.company.alias_domain_id = cls.alias_domain
        cls.inbox_alias = cls.env.ref("octowatch_channel.mail_alias_channel_request")
        cls.inbox_alias.alias_domain_id = cls.alias_domain
        cls.inbox_email = cls.inbox_alias.alias_full_name
        # The receiving mail server whose Authentication-Results the addon trusts.
        cls.company.octowatch_trusted_authserv_id = TRUSTED_AUTHSERV_ID
        cls.demo_provider = cls._enable_demo_provider(cls.company)

    @classmethod
    def _enable_demo_provider(cls, company):
        """Odoo's Demo payment provider of ``company``, in test mode and published,
        as ``make run`` enables it (scripts/enable_demo_payment.py), so that an
        invoice is paid on the portal; no provider when payment_demo is missing."""
        # sudo: the test's user is no payment administrator; the set-up enables
        # the provider as an administrator would.
        Provider = cls.env["payment.provider"].sudo().with_context(active_test=False)
        demo = cls.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        if not demo or demo.sudo().code != "demo":
            return Provider
        provider = Provider.search(
            [("code", "=", "demo"), ("company_id", "=", company.id)], limit=1
        ) or demo.sudo().copy({"company_id": company.id})
        provider.write({"state": "test", "is_published": True})
        return provider.sudo(False)

    @classmethod
    def _activate_russian(cls):
        """Russian installed, with the addon's translations."""
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"]._load_module_terms(
            ["octowatch_channel"], ["ru_RU"], overwrite=True
        )

    @classmethod
    def _create_staff_user(cls, login, groups):
        """An internal user of the test company alone, in ``groups``."""
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _ready_back_office_tours(cls):
        """What the browser tours of the back office need of the test company."""
        # The demo catalogue has versions of the same names: the tours pick this.
        cls.product_std.name = "Tour Standard"
        # With a layout chosen, Send opens the composer, not the layout editor.
        cls.company.external_report_layout_id = cls.env.ref(
            "web.external_layout_standard"
        )

    @classmethod
    def _create_portal_user(cls, partner, login):
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups="base.group_portal",
            partner_id=partner.id,
            # new_test_user renames the contact and gives every user the same
            # address otherwise.
            name=partner.name,
            email=partner.email,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _create_order(cls, partner, lines, pricelist=None, **vals):
        """A quotation for ``partner``; ``lines``: (product, qty, price_unit, extra)."""
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "pricelist_id": (pricelist or cls.pricelist_published).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            **(extra[0] if extra else {}),
                        }
                    )
                    for product, qty, price, *extra in lines
                ],
                **vals,
            }
        )

    @classmethod
    def _create_invoice_for(cls, partner, lines, move_type="out_invoice", **vals):
        """A draft customer invoice; ``lines``: (product, qty, price_unit, extra)."""
        return cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": "2026-05-04",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": qty,
                            "price_unit": price,
                            **(extra[0] if extra else {}),
                        }
                    )
                    for product, qty, price, *extra in lines
                ],
                **vals,
            }
        )

    @classmethod
    def build_email(
        cls,
        body,
        *,
        subject="Request",
        email_from="contact@reseller.example.com",
        to=None,
        charset="utf-8",
        subtype="plain",
        cte=None,
        message_id=None,
        attachments=(),
        authenticated=True,
    ):
        """An RFC 822 email as the MTA hands it to Odoo, body and subject in
        ``charset`` (``cte``: base64 or quoted-printable; the library chooses when
        ``None``). ``authenticated``: the trusted mail server vouches for the
        sender (an aligned ``dkim=pass`` in its ``Authentication-Results``)."""
        body_charset = Charset(charset)
        if cte == "base64":
            body_charset.body_encoding = BASE64
        elif cte == "quoted-printable":
            body_charset.body_encoding = QP
        text = MIMEText(body, subtype, body_charset)
        if attachments:
            message = MIMEMultipart()
            message.attach(text)
            for filename, content, mimetype in attachments:
                part = MIMEApplication(content, mimetype.split("/")[1])
                part.add_header("Content-Disposition", "attachment", filename=filename)
                message.attach(part)
        else:
            message = text
        if authenticated:
            domain = email_from.rsplit("@", 1)[-1].strip(" >")
            message["Authentication-Results"] = (
                f"{TRUSTED_AUTHSERV_ID}; dkim=pass header.d={domain}"
            )
        message["From"] = email_from
        message["To"] = to or cls.inbox_email
        message["Subject"] = Header(subject, charset)
        message["Date"] = formatdate()
        message["Message-Id"] = message_id or make_msgid(domain="example.com")
        return message.as_bytes()

    def process_email(self, body, **kwargs):
        """Deliver an email to the partners@ alias through the mail gateway and
        return the request it made."""
        raw = self.build_email(body, **kwargs)
        request_id = self.env["mail.thread"].message_process(False, raw)
        return self.env["octowatch.channel.request"].browse(request_id)

    def _invoice_request(self, **vals):
        """The partner's request for an invoice of 20 Standard licences for Alfa."""
        return self.env["octowatch.channel.request"].create(
            {
                "request_type": "invoice",
                "requester_id": self.channel_partner_contact.id,
                "account_email": "it@alfa.example.com",
                "product_id": self.product_std.id,
                "license_qty": 20,
                "payment_method": "bank_transfer",
                "resale_price_unit": 120.0,
                **vals,
            }
        )

    def _service_request(self, **vals):
        """The agent's request for a webinar for its client Beta."""
        return self.env["octowatch.channel.request"].create(
            {
                "request_type": "service",
                "service_kind": "webinar",
                "requester_id": self.agent_contact.id,
                "end_customer_id": self.customer_beta.id,
                **vals,
            }
        )

    def _requests_of(self, partner):
        """The channel requests of a Partner's or an Agent's company."""
        return self.env["octowatch.channel.request"].search(
            [("channel_partner_id", "=", partner.id)]
        )

    def assertSentHome(self, response, msg=None):
        """The portal's answer to a record the user may not read (someone else's or
        none): redirected to /my, as Odoo's own portal pages do."""
        self.assertTrue(response.history, msg or f"{response.url} is not redirected")
        self.assertEqual(response.history[0].status_code, 303, msg)
        self.assertEqual(urlsplit(response.url).path, "/my", msg)


class DealCommon(OctowatchChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Deal = cls.env["octowatch.deal.registration"]

    @classmethod
    def _register_deal(
        cls, agent=None, tin=TIN_NEW, name="New Client LLC", product=None, qty=10
    ):
        return cls.Deal._register_deal(
            agent or cls.agent, tin, name, product or cls.product_std, qty
        )

    @classmethod
    def _own_customer(cls):
        """An end customer of the agent whose TIN no demo record shares."""
        return cls.env["res.partner"].create(
            {
                "name": "Own Customer LLC",
                "is_company": True,
                "country_id": cls.russia.id,
                "vat": TIN_NEW_2,
                "octowatch_legal_form": "legal_entity",
                "octowatch_owner_id": cls.agent.id,
            }
        )
