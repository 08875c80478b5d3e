# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Agent's journey end to end: the records it makes and each email's recipient."""

import re
from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import TIN_GAMMA
from .test_agent_report import AgentReportCase


@tagged("post_install", "-at_install")
class TestAgentJourney(AgentReportCase, HttpCase):
    def _sent_to(self, record, since):
        """The partners emailed on ``record`` by messages after ``since``."""
        messages = record.message_ids.filtered(lambda m: m.id > since)
        return messages.notified_partner_ids | messages.partner_ids

    def test_the_journey(self):
        # 1. The agent registers the deal with the customer's contact.
        self.authenticate(self.portal_agent.login, self.portal_agent.login)
        form = self.url_open("/my/deals/new").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        response = self.url_open(
            "/my/deals/new",
            data={
                "csrf_token": token,
                "tin": TIN_GAMMA,
                "company_name": "Gamma Bank JSC",
                "contact_name": "Irina Petrova",
                "contact_email": "irina@gamma.example",
                "contact_phone": "+7 495 000-00-00",
                "product_id": str(self.product_std.id),
                "license_qty": "10",
            },
        )
        self.assertEqual(response.status_code, 200)
        deal = self.env["octowatch.deal.registration"].search(
            [("tin", "=", TIN_GAMMA), ("agent_id", "=", self.agent.id)]
        )
        self.assertEqual(deal.state, "registered")
        contact = deal.contact_id
        self.assertEqual(contact.email, "irina@gamma.example")
        self.assertEqual(contact.parent_id, deal.end_customer_id)

        # 2. Staff ask for the invoice and send the quotation: the contact gets it.
        deal.action_request_invoice()
        order = deal.sale_order_id
        last = max(order.message_ids.ids, default=0)
        composer = (
            self.env["mail.compose.message"]
            .with_context(**order.action_quotation_send()["context"])
            .create({})
        )
        composer.action_send_mail()
        recipients = self._sent_to(order, last)
        self.assertIn(contact, recipients)
        self.assertNotIn(self.agent, recipients)
        self.assertNotIn(self.agent_contact, recipients)

        # 3. The agent sees it read-only and can't open the order's pages.
        page = self.url_open(f"/my/deals/{deal.id}").text
        self.assertIn(order.name, page)
        self.assertNotIn(f"/my/orders/{order.id}", page)
        response = self.url_open(f"/my/orders/{order.id}")
        self.assertNotEqual(urlsplit(response.url).path, f"/my/orders/{order.id}")

        # 4. The customer pays by bank transfer: the deal is won.
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_date = "2026-03-01"
        invoice.action_post()
        self.assertEqual(invoice.partner_id, contact)
        self._pay(invoice)
        self.assertEqual(deal.state, "won")

        # 5. Settled and accepted: the bill is posted and the agent is told.
        report = self._settle_reports()
        self.assertEqual(report.message_ids.partner_ids, self.agent)
        last = max(report.message_ids.ids)
        report.with_user(self.accountant_manager).action_accept()
        self.assertEqual(report.bill_id.state, "posted")
        posted = report.message_ids.filtered(lambda m: m.id > last and m.partner_ids)
        self.assertEqual(len(posted), 1)
        self.assertEqual(posted.partner_ids, self.agent)
        self.assertIn(report.bill_id.name, posted.subject)

        # 6. Accounting pays the bill: the statement says paid.
        self._pay(report.bill_id, day="2026-04-10")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "octowatch_channel.action_report_agent_report", report.ids
        )
        self.assertIn("paid on", html.decode())
        self.assertIn("Gamma Bank JSC", html.decode())

    def test_quotation_composer_addresses_the_contact(self):
        """The Send button's composer proposes the contact, not the customer's
        company, which has no email: in a browser Send would wait for one."""
        deal = self.env["octowatch.deal.registration"]._register_deal(
            self.agent, TIN_GAMMA, "Gamma Bank JSC", self.product_std, 10
        )
        deal.write(
            {"contact_name": "Irina Petrova", "contact_email": "irina@gamma.example"}
        )
        deal.action_request_invoice()
        order = deal.sale_order_id
        self.assertFalse(order.partner_id.email)
        composer = (
            self.env["mail.compose.message"]
            .with_context(**order.action_quotation_send()["context"])
            .create({})
        )
        self.assertIn(deal.contact_id, composer.partner_ids)
        self.assertNotIn(order.partner_id, composer.partner_ids)
        self.assertTrue(composer.partner_ids_all_have_email)
        self.assertEqual(deal.contact_id.email, "irina@gamma.example")


@tagged("post_install", "-at_install")
class TestAgentJourneyTour(AgentReportCase, HttpCase):
    """The Agent's journey clicked through in a browser, one tour per role and step
    group (``static/tests/tours/octowatch_agent_journey.js``), the records and each
    email's recipient checked here after each tour.

    Every step is driven in the browser; only the statement's PDF (step 6) is
    rendered here, its page says paid in the agent's last tour.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ready_back_office_tours()
        # Kolibri's staff: the deal desk sells and invoices, accounting pays.
        cls.staff = cls._create_staff_user(
            "ow_journey_staff",
            "base.group_user,sales_team.group_sale_salesman_all_leads,"
            "account.group_account_invoice,octowatch_channel.group_octowatch_manager",
        )

    def _last_message(self, record):
        return max(record.message_ids.ids, default=0)

    def _sent_to(self, record, since):
        """The partners emailed on ``record`` by messages after ``since``."""
        messages = record.message_ids.filtered(lambda m: m.id > since)
        return messages.notified_partner_ids | messages.partner_ids

    def test_the_journey_in_a_browser(self):
        agent_login = self.portal_agent.login
        # 1. The agent registers the deal with the customer's contact.
        self.start_tour("/my", "octowatch_agent_journey_register", login=agent_login)
        deal = self.env["octowatch.deal.registration"].search(
            [("tin", "=", TIN_GAMMA), ("agent_id", "=", self.agent.id)]
        )
        self.assertRecordValues(
            deal,
            [
                {
                    "state": "registered",
                    "company_name": "Gamma Bank JSC",
                    "contact_name": "Irina Petrova",
                    "contact_email": "irina@gamma.example",
                    "contact_phone": "+7 495 000-00-00",
                    "product_id": self.product_std.id,
                    "license_qty": 10,
                }
            ],
        )
        contact = deal.contact_id
        self.assertEqual(contact.email, "irina@gamma.example")
        self.assertEqual(contact.parent_id, deal.end_customer_id)
        # The agent, who sent the request, is told it is received; nobody else.
        request = deal.request_id
        ack = request.message_ids.filtered("partner_ids")
        self.assertEqual(ack.partner_ids, self.agent_contact)
        self.assertEqual(ack.subject, f"Request {request.name} received")
        self.assertNotIn(contact, self._sent_to(request, 0))

        # 2. Staff ask for the invoice and send the quotation: the contact gets it.
        self.start_tour(
            "/odoo", "octowatch_agent_journey_quotation", login=self.staff.login
        )
        self.assertEqual(deal.state, "invoiced")
        order = deal.sale_order_id
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.partner_id, deal.end_customer_id)
        self.assertEqual(order.partner_invoice_id, contact)
        sent = order.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.attachment_ids
        )
        self.assertEqual(len(sent), 1, "the quotation is emailed once, with its PDF")
        recipients = sent.notified_partner_ids | sent.partner_ids
        self.assertIn(contact, recipients)
        self.assertNotIn(self.agent, recipients)
        self.assertNotIn(self.agent_contact, recipients)

        # 3. The agent, refused on the order's page, sees it read-only on its deal.
        self.start_tour(
            f"/my/orders/{order.id}",
            "octowatch_agent_journey_read_only",
            login=agent_login,
        )
        self.authenticate(agent_login, agent_login)
        with mute_logger("odoo.http", "odoo.addons.base.models.ir_rule"):
            response = self.url_open(f"/my/orders/{order.id}")
            self.assertSentHome(response)
            self.url_open(
                f"/my/orders/{order.id}/accept",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"name": "Agent", "signature": "R0lGODlhAQABAAAAACw="},
                },
            )
        self.assertFalse(order.signature)
        self.assertEqual(order.state, "sent")

        # 4. Staff register the customer's bank transfer: the deal is won.
        self.start_tour(
            "/odoo", "octowatch_agent_journey_payment", login=self.staff.login
        )
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.partner_id, contact)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(deal.state, "won")
        sent = invoice.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.attachment_ids
        )
        self.assertEqual(len(sent), 1, "the invoice is emailed once, with its PDF")
        self.assertIn(contact, sent.notified_partner_ids | sent.partner_ids)
        line = self.Line.search([("move_id", "=", invoice.id)])
        self.assertEqual(line.amount, 100.0, "10 % of the untaxed 1,000")
        self.assertEqual(line.state, "to_settle")
        # The customer's documents never went to the agent.
        for record in (order, invoice):
            sent_to = self._sent_to(record, 0)
            self.assertNotIn(self.agent, sent_to, record)
            self.assertNotIn(self.agent_contact, sent_to, record)

        # 5. Staff settle; the agent accepts its report: the bill is posted and the
        # agent is told, each time alone.
        self.start_tour(
            "/odoo", "octowatch_agent_journey_settle", login=self.staff.login
        )
        report = line.report_id
        self.assertEqual(report.state, "sent")
        self.assertEqual(report.bill_id.state, "draft")
        self.assertEqual(self._sent_to(report, 0), self.agent)
        last = self._last_message(report)
        self.start_tour("/my", "octowatch_portal_agent_report", login=agent_login)
        self.assertEqual(report.state, "accepted")
        self.assertEqual(report.accepted_by_id, self.portal_agent)
        bill = report.bill_id
        self.assertEqual(bill.state, "posted")
        posted = report.message_ids.filtered(lambda m: m.id > last and m.partner_ids)
        self.assertEqual(len(posted), 1)
        self.assertEqual(posted.partner_ids, self.agent)
        self.assertIn(bill.name, posted.subject)
        self.assertEqual(self._sent_to(report, last), self.agent)

        # 6. Accounting pays the bill: the page and the statement say paid.
        self.assertNotIn("paid on", self._statement(report))
        self.start_tour(
            "/odoo",
            "octowatch_agent_journey_pay_bill",
            login=self.accountant_manager.login,
        )
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.start_tour("/my", "octowatch_agent_journey_statement", login=agent_login)
        statement = self._statement(report)
        self.assertIn("paid on", statement)
        self.assertIn("Gamma Bank JSC", statement)
        self.assertIn(deal.name, statement)

    def _statement(self, report):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "octowatch_channel.action_report_agent_report", report.ids
        )
        return html.decode()
