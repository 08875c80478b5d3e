# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Agent's journey: the deal names the customer's contact, who gets the
quotation and the invoice; the agent sees them read-only and never acts for the
customer."""

from datetime import timedelta
from urllib.parse import urlsplit

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models import channel_request_parser as parser
from .common import TIN_NEW, TIN_SPARE, DealCommon

CONTACT = {
    "contact_name": "Irina Petrova",
    "contact_email": "irina@client.example",
    "contact_phone": "+7 495 123-45-67",
}


@tagged("post_install", "-at_install")
class TestDealContact(DealCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deal = cls.Deal._register_deal(
            cls.agent,
            TIN_NEW,
            "Contact Client LLC",
            cls.product_std,
            5,
            contact=CONTACT,
        )

    def test_deal_keeps_the_contact_and_the_customer_gets_it(self):
        self.assertEqual(self.deal.state, "registered")
        self.assertRecordValues(self.deal, [CONTACT])
        contact = self.deal.contact_id
        self.assertTrue(contact)
        self.assertEqual(contact.parent_id, self.deal.end_customer_id)
        self.assertRecordValues(
            contact,
            [
                {
                    "name": "Irina Petrova",
                    "email": "irina@client.example",
                    "phone": "+7 495 123-45-67",
                    "is_company": False,
                }
            ],
        )

    def test_contact_labels_in_english_and_russian(self):
        english = parser.parse_body(
            "",
            "<pre>TIN: 7760913902\nCompany: Alpha LLC\nContact person: Irina "
            "Petrova\nContact email: irina@client.example\nContact phone: +7 495 "
            "1234567</pre>",
        )["fields"]
        russian = parser.parse_body(
            "",
            "<pre>ИНН: 7760913902\nКомпания: Альфа\nКонтактное лицо: Ирина Петрова\n"
            "Email контактного лица: irina@client.example\nКонтактный телефон: "
            "+7 495 1234567</pre>",
        )["fields"]
        self.assertEqual(english["contact_name"], "Irina Petrova")
        self.assertEqual(russian["contact_name"], "Ирина Петрова")
        for fields_read in (english, russian):
            self.assertEqual(fields_read["contact_email"], "irina@client.example")
            self.assertEqual(fields_read["contact_phone"], "+7 495 1234567")
            self.assertNotIn("account_email", fields_read)

    def test_staff_wizard_passes_the_contact(self):
        wizard = (
            self.env["octowatch.deal.register"]
            .with_user(self.user_manager)
            .create(
                {
                    "agent_id": self.agent.id,
                    "tin": TIN_SPARE,
                    "company_name": "Wizard Client LLC",
                    "product_id": self.product_std.id,
                    "license_qty": 3,
                    **CONTACT,
                }
            )
        )
        deal = self.Deal.browse(wizard.action_register()["res_id"])
        self.assertRecordValues(deal, [CONTACT])
        self.assertEqual(deal.request_id.contact_email, CONTACT["contact_email"])
        self.assertEqual(deal.contact_id.parent_id, deal.end_customer_id)

    def test_invalid_contact_email_is_a_problem(self):
        request = self.env["octowatch.channel.request"].new(
            {"request_type": "deal", "contact_email": "not an email"}
        )
        self.assertIn("contact_email", request._get_problems())

    def test_quotation_goes_to_the_contact_not_the_agent(self):
        self.deal.action_request_invoice()
        order = self.deal.sale_order_id
        self.assertEqual(order.partner_id, self.deal.end_customer_id)
        self.assertEqual(order.partner_invoice_id, self.deal.contact_id)
        self.assertFalse(order.require_payment, "paid by bank transfer")
        self.assertIn(self.deal.contact_id, order.message_partner_ids)
        self.assertNotIn(self.agent, order.message_partner_ids)
        self.assertNotIn(self.agent_contact, order.message_partner_ids)

    def _order_from_the_portal(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        page = self.url_open(f"/my/deals/{self.deal.id}")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        self.url_open(
            f"/my/deals/{self.deal.id}/request_invoice", data={"csrf_token": token}
        )
        return self.deal.sale_order_id, token

    def test_agent_sees_the_quotation_read_only(self):
        order, _token = self._order_from_the_portal()
        self.assertTrue(order)
        # Asked from the portal, the agent's user does not follow the order either.
        self.assertNotIn(self.agent_contact, order.message_partner_ids)
        self.assertNotIn(self.agent, order.message_partner_ids)
        page = self.url_open(f"/my/deals/{self.deal.id}").text
        self.assertIn(order.name, page)
        self.assertIn("o_octowatch_deal_quotation", page)
        self.assertNotIn(f"/my/orders/{order.id}", page)
        self.assertIn("Irina Petrova", page)
        self.assertIn("Communication history", page)

    def _assert_refused(self, response, url):
        refused = response.status_code in (403, 404) or (
            response.history and urlsplit(response.url).path in ("/my", "/web/login")
        )
        self.assertTrue(refused, f"{url} answered {response.status_code}")

    def test_agent_can_not_sign_reject_or_pay(self):
        order, token = self._order_from_the_portal()
        with mute_logger("odoo.http", "odoo.addons.base.models.ir_rule"):
            for url in (
                f"/my/orders/{order.id}",
                f"/my/orders/{order.id}?report_type=pdf",
            ):
                self._assert_refused(self.url_open(url), url)
            url = f"/my/orders/{order.id}/accept"
            self.url_open(
                url,
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"name": "Agent", "signature": "R0lGODlhAQABAAAAACw="},
                },
            )
            self.assertFalse(order.signature, url)
            self.assertEqual(order.state, "draft", url)
            url = f"/my/orders/{order.id}/decline"
            response = self.url_open(
                url, data={"csrf_token": token, "decline_message": "no"}
            )
            self._assert_refused(response, url)
            self.assertEqual(order.state, "draft", url)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        with mute_logger("odoo.http", "odoo.addons.base.models.ir_rule"):
            for url in (
                f"/my/invoices/{invoice.id}",
                f"/my/invoices/{invoice.id}?report_type=pdf",
            ):
                self._assert_refused(self.url_open(url), url)
        self.assertEqual(invoice.partner_id, self.deal.contact_id)
        page = self.url_open(f"/my/deals/{self.deal.id}").text
        self.assertIn("o_octowatch_deal_invoice", page)
        self.assertIn("Waiting for Payment", page)
        self.assertNotIn(f"/my/invoices/{invoice.id}", page)

    def test_dates_shown_as_they_mean(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        # The agent registers the TIN again: refused, its own.
        rejected = self._register_deal(tin=TIN_NEW)
        self.assertEqual(rejected.state, "rejected")
        page = self.url_open(f"/my/deals/{rejected.id}").text
        self.assertIn("Refused on", page)
        self.assertNotIn("Registered on", page)
        self.assertNotIn("Expires on", page)
        self.deal.date_expiry = fields.Date.today() + timedelta(days=3)
        page = self.url_open(f"/my/deals/{self.deal.id}").text
        self.assertIn("Expires on", page)
        self.assertIn("Registered on", page)
        listing = self.url_open("/my/deals?filterby=expiring").text
        self.assertIn(f'href="/my/deals/{self.deal.id}"', listing)
        self.deal.date_expiry = fields.Date.today() + timedelta(days=60)
        listing = self.url_open("/my/deals?filterby=expiring").text
        self.assertNotIn(f'href="/my/deals/{self.deal.id}"', listing)
        self.deal.write({"state": "expired", "date_expiry": fields.Date.today()})
        page = self.url_open(f"/my/deals/{self.deal.id}").text
        self.assertIn("Expired on", page)
        self.assertNotIn("Expires on", page)

    def test_agent_home_counts_only_its_own_licences_and_invoices(self):
        self.deal.action_request_invoice()
        order = self.deal.sale_order_id
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        # Even an agent that followed its customer's invoice (older data) does not
        # count it among "Your Invoices".
        invoice.message_subscribe(partner_ids=self.agent.ids)
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["invoice_count", "octowatch_license_count"]},
        )
        self.assertEqual(counters["invoice_count"], 0)
        self.assertEqual(counters["octowatch_license_count"], 0)

    def test_the_contact_opens_its_quotation_and_invoice(self):
        self.deal.action_request_invoice()
        order = self.deal.sale_order_id
        contact_user = self._create_portal_user(self.deal.contact_id, "ow_contact")
        self.assertTrue(order.with_user(contact_user).has_access("read"))
        self.assertFalse(order.with_user(self.portal_agent).has_access("read"))
        self.authenticate("ow_contact", "ow_contact")
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertEqual(urlsplit(page.url).path, f"/my/orders/{order.id}")
        self.assertIn(order.name, page.text)
