# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import TIN_NEW
from .test_commission import CommissionCase


@tagged("post_install", "-at_install")
class TestTours(CommissionCase, HttpCase):
    """The main flows clicked through in a browser, checked in the database after."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The demo catalogue has versions of the same names: the tours pick these.
        cls.product_std.name = "Tour Standard"
        cls.product_ent.name = "Tour Enterprise"

    def test_agent_registers_a_deal_and_asks_for_its_invoice(self):
        self.start_tour(
            "/my/deals/new", "octowatch_portal_deal", login=self.portal_agent.login
        )
        deal = self.env["octowatch.deal.registration"].search(
            [("agent_id", "=", self.agent.id), ("tin", "=", TIN_NEW)]
        )
        self.assertEqual(len(deal), 1)
        self.assertEqual(deal.company_name, "Tour Client LLC")
        self.assertEqual(deal.product_id, self.product_std)
        self.assertEqual(deal.license_qty, 15)
        # The one deal form leaves a channel request, as an emailed deal does.
        self.assertRecordValues(
            deal.request_id,
            [
                {
                    "request_type": "deal",
                    "source": "portal",
                    "state": "done",
                    "requester_id": self.agent_contact.id,
                    "tin": TIN_NEW,
                    "company_name": "Tour Client LLC",
                    "product_id": self.product_std.id,
                    "license_qty": 15,
                }
            ],
        )
        order = deal.sale_order_id
        self.assertTrue(order, "asking for the invoice makes the quotation")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.order_line.product_id, self.product_std)
        self.assertEqual(order.order_line.product_uom_qty, 15)
        # The contact the agent named gets the quotation; the agent doesn't follow it.
        self.assertEqual(deal.contact_name, "Irina Petrova")
        self.assertEqual(deal.contact_id.email, "irina@tour-client.example")
        self.assertIn(deal.contact_id, order.message_partner_ids)
        self.assertNotIn(self.agent_contact, order.message_partner_ids)

    def test_partner_sends_an_invoice_request(self):
        self.start_tour(
            "/my/channel-requests/new?type=invoice",
            "octowatch_portal_invoice_request",
            login=self.portal_partner.login,
        )
        request = self._requests_of(self.channel_partner)
        self.assertEqual(len(request), 1)
        self.assertRecordValues(
            request,
            [
                {
                    "request_type": "invoice",
                    "source": "portal",
                    "state": "new",
                    "requester_id": self.channel_partner_contact.id,
                    "account_email": "it@alfa.example.com",
                    "product_id": self.product_ent.id,
                    "license_qty": 25,
                    "payment_method": "bank_transfer",
                    "description": "Tour: for the Kazan office",
                }
            ],
        )

    def test_partner_asks_for_a_webinar(self):
        self.start_tour(
            "/my/channel-requests/new?type=service",
            "octowatch_portal_service_request",
            login=self.portal_partner.login,
        )
        request = self._requests_of(self.channel_partner)
        self.assertRecordValues(
            request,
            [
                {
                    "request_type": "service",
                    "service_kind": "webinar",
                    "source": "portal",
                    "state": "new",
                    "requester_id": self.channel_partner_contact.id,
                    "end_customer_id": self.customer_alfa.id,
                    "description": "Tour: a webinar on DLP policies",
                }
            ],
        )

    def test_end_customer_sees_its_licences(self):
        invoice = self._create_invoice_for(
            self.customer_alfa, [(self.product_std, 7, 100.0)]
        )
        invoice.action_post()
        self._register_payment(invoice)
        licence = self.env["octowatch.license"].search(
            [("end_customer_id", "=", self.customer_alfa.id)]
        )
        self.assertTrue(licence, "a paid invoice gives the customer its licence")
        self.start_tour(
            "/my", "octowatch_portal_licenses", login=self.portal_client.login
        )

    def test_staff_confirm_a_request_and_settle_commissions(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        request = self._invoice_request()
        # Settling makes vendor bills: the manager also keeps the books.
        staff = self._create_staff_user(
            "ow_tour_manager",
            "base.group_user,account.group_account_invoice,"
            "octowatch_channel.group_octowatch_manager",
        )
        self.start_tour("/odoo", "octowatch_backoffice", login=staff.login)
        self.assertEqual(request.state, "done")
        self.assertEqual(request.sale_order_id.partner_id, self.channel_partner)
        self.assertEqual(request.sale_order_id.order_line.product_uom_qty, 20)
        line = self.Line.search([("move_id", "=", invoice.id)])
        self.assertEqual(line.state, "settled")
        self.assertEqual(line.report_id.state, "sent", "the agent's to accept")
        bill = line.bill_id
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.partner_id, self.agent)
        self.assertEqual(bill.state, "draft")
        self.assertAlmostEqual(bill.amount_untaxed, 100.0)

    def test_agent_accepts_its_report_on_the_portal(self):
        self.agreement.tax_ids = self.vat_22
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        report = self._settle_reports()
        self.start_tour(
            "/my", "octowatch_portal_agent_report", login=self.portal_agent.login
        )
        self.assertEqual(report.state, "accepted")
        self.assertEqual(report.accepted_by_id, self.portal_agent)
        self.assertEqual(report.bill_id.state, "posted")
        self.assertEqual(report.bill_id.amount_total, 122.0)
