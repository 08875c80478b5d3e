# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Agent's journey end to end: the records it makes and each email's recipient."""

import re
from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged

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
