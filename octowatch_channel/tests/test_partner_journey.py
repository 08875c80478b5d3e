# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..models import account_move
from .common import TIN_ALFA, TIN_BETA, TIN_NEW, DealCommon, OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestPartnerJourney(DealCommon):
    """The Partner's invoice request: the client named, the resale price declared,
    the channel conflicts refused before a quotation exists."""

    def _new_client_request(self, **vals):
        return self._invoice_request(
            company_name="Gamma Retail LLC",
            tin=TIN_NEW,
            account_email="it@gamma-retail.example",
            payment_method="card",
            **vals,
        )

    def _assert_refused_before_quotation(self, request, secrets):
        self.assertEqual(request.state, "rejected")
        self.assertFalse(request.sale_order_id)
        self.assertFalse(request.end_customer_id)
        self.assertFalse(
            self.env["sale.order"].search([("origin", "=", request.name)]),
        )
        email = request.message_ids[0]
        for secret in secrets:
            self.assertNotIn(secret, request.rejection_reason)
            self.assertNotIn(secret, email.body)

    def test_new_client_by_company_tin_and_account_email(self):
        request = self._new_client_request()
        request.with_user(self.user_channel).action_confirm()
        self.assertEqual(request.state, "done")
        customer = request.end_customer_id
        self.assertEqual(customer.name, "Gamma Retail LLC")
        self.assertEqual(customer.vat, TIN_NEW)
        self.assertEqual(customer.octowatch_account_email, "it@gamma-retail.example")
        self.assertEqual(customer.octowatch_owner_id, self.channel_partner)
        line = request.sale_order_id.order_line
        self.assertEqual(line.octowatch_end_customer_id, customer)
        self.assertAlmostEqual(line.octowatch_resale_price_unit, 120.0)
        bank_term = self.env.ref("octowatch_channel.account_payment_term_bank_transfer")
        self.assertNotEqual(request.sale_order_id.payment_term_id, bank_term)

    def _assert_staff(self, user):
        """A salesperson the customer may be shown: staff, never OdooBot."""
        self.assertTrue(user, "the order has a salesperson")
        self.assertFalse(user.share)
        self.assertFalse(user._is_superuser(), "OdooBot is nobody to write to")

    def test_salesperson_is_who_confirms_or_the_channel_manager(self):
        """The portal quotation and invoice name their salesperson: the staff
        member who confirmed, else the Channel Manager, never OdooBot."""
        request = self._invoice_request()
        request.with_user(self.user_channel).action_confirm()
        self.assertEqual(request.sale_order_id.user_id, self.user_channel)
        # The system confirms (the demo data, a request confirmed on receipt).
        request = self._invoice_request(license_qty=5)
        request.action_confirm()
        self._assert_staff(request.sale_order_id.user_id)
        self.assertEqual(
            request.sale_order_id.user_id, self.company._octowatch_channel_manager()
        )
        # The agent's portal asks for a deal's invoice as the system, too.
        deal = self._register_deal()
        deal.action_request_invoice()
        self._assert_staff(deal.sale_order_id.user_id)

    def test_bank_transfer_gets_the_bank_transfer_term(self):
        request = self._invoice_request(payment_method="bank_transfer")
        request.action_confirm()
        self.assertEqual(
            request.sale_order_id.payment_term_id,
            self.env.ref("octowatch_channel.account_payment_term_bank_transfer"),
        )

    def test_client_chosen_from_the_partners_clients(self):
        request = self._invoice_request(
            end_customer_id=self.customer_alfa.id, account_email=False
        )
        self.assertFalse(request._get_problems())
        request.action_confirm()
        self.assertEqual(request.end_customer_id, self.customer_alfa)
        self.assertEqual(
            request.sale_order_id.order_line.octowatch_end_customer_id,
            self.customer_alfa,
        )

    def test_client_is_named(self):
        request = self._invoice_request(account_email=False)
        with self.assertRaises(UserError) as caught:
            request.action_confirm()
        self.assertIn("Account Email is missing.", str(caught.exception))
        new = self._invoice_request(account_email="it@nobody-yet.example")
        self.assertIn("company_name", new._get_problems())

    def test_client_of_another_intermediary_chosen_refused(self):
        request = self._invoice_request(
            end_customer_id=self.customer_beta.id, account_email=False
        )
        with self.assertRaises(UserError):
            request.action_confirm()
        self.assertFalse(request.sale_order_id)

    def test_tin_held_by_an_agents_live_deal_refused(self):
        deal = self._register_deal(tin=TIN_NEW, name="Gamma Retail LLC")
        self.assertEqual(deal.state, "registered")
        request = self._new_client_request()
        request.action_confirm()
        self._assert_refused_before_quotation(
            request, (self.agent.name, deal.name, self.agent_contact.name)
        )
        self.assertIn("Already registered", request.rejection_reason)

    def test_tin_of_another_intermediarys_client_refused(self):
        request = self._invoice_request(
            company_name="Beta", tin=TIN_BETA, account_email="new@beta.example"
        )
        request.action_confirm()
        self._assert_refused_before_quotation(
            request, (self.agent.name, self.customer_beta.name)
        )
        self.assertIn("Already attached", request.rejection_reason)

    def test_own_client_by_tin_goes_through(self):
        request = self._invoice_request(tin=TIN_ALFA)
        request.action_confirm()
        self.assertEqual(request.state, "done")
        self.assertEqual(request.end_customer_id, self.customer_alfa)

    def test_resale_price_missing_refused(self):
        request = self._invoice_request(resale_price_unit=0.0)
        with self.assertRaises(UserError) as caught:
            request.action_confirm()
        self.assertIn("Resale Price per Licence is missing.", str(caught.exception))
        self.assertFalse(request.sale_order_id)

    def test_resale_price_below_the_floor_refused(self):
        request = self._invoice_request(resale_price_unit=99.0)
        with self.assertRaises(UserError) as caught:
            request.action_confirm()
        self.assertIn("below the published price", str(caught.exception))
        self.assertFalse(request.sale_order_id)
        request.resale_price_unit = 100.0
        request.action_confirm()
        self.assertEqual(request.state, "done")

    def test_email_labels_name_the_new_client_and_the_price(self):
        request = self.process_email(
            "Прошу выставить счёт.\n"
            "Компания: ООО Гамма Ритейл\n"
            f"ИНН: {TIN_NEW}\n"
            "Email аккаунта: it@gamma-retail.example\n"
            "Версия: TSTD\n"
            "Количество лицензий: 20\n"
            "Цена для клиента: 1 250,50\n"
            "Оплата: картой\n",
            subject="Счёт",
        )
        self.assertEqual(request.request_type, "invoice")
        self.assertEqual(request.company_name, "ООО Гамма Ритейл")
        self.assertEqual(request.tin, TIN_NEW)
        self.assertEqual(request.account_email, "it@gamma-retail.example")
        self.assertAlmostEqual(request.resale_price_unit, 1250.5)
        self.assertEqual(request.payment_method, "card")

    def test_email_labels_in_english(self):
        request = self.process_email(
            "Company: Gamma Retail LLC\n"
            f"TIN: {TIN_NEW}\n"
            "Account email: it@gamma-retail.example\n"
            "Version: TSTD\n"
            "Licences: 20\n"
            "Resale price: 150\n"
            "Payment method: bank transfer\n",
        )
        self.assertAlmostEqual(request.resale_price_unit, 150.0)
        self.assertEqual(request.company_name, "Gamma Retail LLC")

    def test_journey_records_and_emails(self):
        """Confirmed, the quotation sent, accepted and invoiced: the Partner is
        emailed twice, with the portal links and the PDFs of the quotation and the
        invoice."""
        request = self._new_client_request()
        request.action_confirm()
        order = request.sale_order_id
        self.assertEqual(order.partner_id, self.channel_partner)
        before = request.message_ids
        order.action_quotation_sent()
        sent = request.message_ids - before
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent.partner_ids, self.channel_partner_contact)
        self.assertIn(order.name, sent.subject)
        self.assertIn(order.get_portal_url(), sent.body)
        self.assertEqual(
            sent.attachment_ids.mapped("name"), [f"Quotation {order.name}.pdf"]
        )
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(
            invoice.invoice_line_ids.filtered("product_id").octowatch_end_customer_id,
            request.end_customer_id,
        )
        before = request.message_ids
        invoice.action_post()
        self.assertTrue(invoice.invoice_pdf_report_id, "no proforma on the portal")
        issued = request.message_ids - before
        self.assertEqual(len(issued), 1)
        self.assertEqual(issued.partner_ids, self.channel_partner_contact)
        self.assertIn(invoice.get_portal_url(), issued.body)
        self.assertIn(invoice.name, issued.body)
        self.assertEqual(
            issued.attachment_ids.mapped("name"), [invoice.invoice_pdf_report_id.name]
        )
        self.assertIn(invoice.name.replace("/", "_"), issued.attachment_ids.name)
        self.assertTrue(issued.attachment_ids.name.endswith(".pdf"))
        self.assertTrue(issued.attachment_ids.raw)

    def test_demo_card_payment_needs_the_demo_provider(self):
        """The demo's card payment pays through the Demo provider of the invoice's
        company; without one (payment_demo not installed) the invoice stays unpaid
        and the log says why."""
        invoice = self._create_invoice_for(
            self.customer_alfa, [(self.product_std, 5, 100.0)]
        )
        invoice.action_post()
        providers = (
            self.env["payment.provider"]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "=", "demo"), ("company_id", "=", self.company.id)])
        )
        providers.write({"state": "disabled"})
        providers.unlink()
        with patch.object(account_move._logger, "info") as log_info:
            invoice._octowatch_demo_pay_by_card()
        message = log_info.call_args.args[0] % log_info.call_args.args[1:]
        self.assertIn("payment_demo", message)
        self.assertIn(invoice.name, message)
        self.assertFalse(invoice.transaction_ids)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_demo_card_payment_through_the_demo_provider(self):
        invoice = self._create_invoice_for(
            self.customer_alfa, [(self.product_std, 5, 100.0)]
        )
        invoice.action_post()
        invoice._octowatch_demo_pay_by_card()
        transaction = invoice.transaction_ids
        self.assertEqual(transaction.provider_id, self.demo_provider)
        self.assertEqual(transaction.state, "done")
        self.assertTrue(transaction.payment_id)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        licence = self.env["octowatch.license"].search([("move_id", "=", invoice.id)])
        self.assertEqual(licence.quantity, 5)


@tagged("post_install", "-at_install")
class TestPartnerJourneyPortal(OctowatchChannelCommon, HttpCase):
    def test_request_page_links_the_quotation_and_the_invoice(self):
        request = self._invoice_request()
        request.action_confirm()
        order = request.sale_order_id
        self.authenticate("ow_portal_partner", "ow_portal_partner")
        url = f"/my/channel-requests/{request.id}"
        page = self.url_open(url).text
        self.assertIn(order.name, page)
        self.assertIn("Being prepared", page)
        self.assertNotIn(f'href="{order.get_portal_url()}"', page)
        order.action_quotation_sent()
        page = self.url_open(url).text
        self.assertIn(order.get_portal_url().replace("&", "&amp;"), page)
        quotation = self.url_open(order.get_portal_url()).text
        self.assertIn("Client:", quotation)
        self.assertIn(self.customer_alfa.name, quotation)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        page = self.url_open(url).text
        self.assertIn(invoice.name, page)
        self.assertIn(invoice.get_portal_url().replace("&", "&amp;"), page)


@tagged("post_install", "-at_install")
class TestPartnerJourneyTour(OctowatchChannelCommon, HttpCase):
    """The Partner's whole journey clicked through in a browser.

    Browser tours (static/tests/tours/octowatch_portal_partner_journey.js) for the
    Partner's portal steps and for the staff's confirmation and sending of the
    quotation in the back office; the staff's invoicing of the accepted order and
    the client's portal user (given to its account email) are made in Python
    between the tours.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ready_back_office_tours()
        cls.staff = cls._create_staff_user(
            "ow_journey_staff",
            "base.group_user,sales_team.group_sale_salesman_all_leads,"
            "octowatch_channel.group_octowatch_user",
        )

    def test_partner_journey_paid_by_card(self):
        self.assertTrue(self.demo_provider, "payment_demo is installed in tests")
        # 1. The Partner asks for an invoice for a new client, paid by card.
        self.start_tour(
            "/my/channel-requests/new?type=invoice",
            "octowatch_partner_journey_request",
            login=self.portal_partner.login,
        )
        request = self._requests_of(self.channel_partner)
        self.assertRecordValues(
            request,
            [
                {
                    "request_type": "invoice",
                    "source": "portal",
                    "state": "new",
                    "requester_id": self.channel_partner_contact.id,
                    "end_customer_id": False,
                    "company_name": "Gamma Retail LLC",
                    "tin": TIN_NEW,
                    "account_email": "it@gamma-retail.example",
                    "product_id": self.product_std.id,
                    "license_qty": 10,
                    "resale_price_unit": 150.0,
                    "payment_method": "card",
                }
            ],
        )
        # 2. Staff confirm it from the Inbox and send the quotation.
        before = request.message_ids
        self.start_tour(
            "/odoo", "octowatch_partner_journey_staff", login=self.staff.login
        )
        self.assertEqual(request.state, "done")
        order = request.sale_order_id
        self.assertEqual(order.state, "sent")
        client = request.end_customer_id
        self.assertEqual(client.name, "Gamma Retail LLC")
        self.assertEqual(client.octowatch_owner_id, self.channel_partner)
        quotation_email = (request.message_ids - before).filtered(
            lambda m: order.name in (m.subject or "")
        )
        # 3. The Partner accepts the quotation from the request's page ...
        self.start_tour(
            f"/my/channel-requests/{request.id}",
            "octowatch_partner_journey_accept",
            login=self.portal_partner.login,
        )
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.signature)
        # ... staff invoice the order ...
        invoice = order._create_invoices()
        before = request.message_ids
        invoice.action_post()
        invoice_email = request.message_ids - before
        self.assertTrue(invoice._has_to_be_paid(), "payable on the portal")
        # ... and the Partner pays the invoice with the Demo provider.
        self.start_tour(
            f"/my/channel-requests/{request.id}",
            "octowatch_partner_journey_pay",
            login=self.portal_partner.login,
        )
        transaction = invoice.transaction_ids
        self.assertRecordValues(
            transaction,
            [
                {
                    "provider_id": self.demo_provider.id,
                    "state": "done",
                    "is_post_processed": True,
                    "amount": invoice.amount_total,
                }
            ],
        )
        self.assertEqual(
            transaction.partner_id.commercial_partner_id, self.channel_partner
        )
        payment = transaction.payment_id
        self.assertTrue(payment, "the transaction made its payment")
        self.assertEqual(payment.state, "paid")
        self.assertEqual(payment.partner_id, self.channel_partner)
        self.assertAlmostEqual(payment.amount, invoice.amount_total)
        self.assertIn(invoice, payment.invoice_ids)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        # 4. The licences are the client's: on its line in the Partner's portal, and
        # in the client's own portal, by the user staff give its account email.
        licences = self.env["octowatch.license"].search(
            [("end_customer_id", "=", client.id)]
        )
        self.assertRecordValues(
            licences,
            [
                {
                    "product_id": self.product_std.id,
                    "quantity": 10,
                    "state": "active",
                    "channel_partner_id": self.channel_partner.id,
                    "move_id": invoice.id,
                }
            ],
        )
        self.start_tour(
            "/my/clients",
            "octowatch_partner_journey_clients",
            login=self.portal_partner.login,
        )
        client_user = self._create_portal_user(
            self.env["res.partner"].create(
                {
                    "name": "Gamma IT",
                    "parent_id": client.id,
                    "email": client.octowatch_account_email,
                }
            ),
            client.octowatch_account_email,
        )
        self.start_tour(
            "/my", "octowatch_partner_journey_client_licenses", login=client_user.login
        )
        # The Partner was emailed the quotation and the invoice, with their PDFs.
        for email, document in (
            (quotation_email, f"Quotation {order.name}.pdf"),
            (invoice_email, invoice.invoice_pdf_report_id.name),
        ):
            self.assertEqual(len(email), 1)
            self.assertEqual(email.partner_ids, self.channel_partner_contact)
            self.assertEqual(email.attachment_ids.mapped("name"), [document])
            self.assertTrue(document.endswith(".pdf"))
        self.assertIn(order.get_portal_url(), quotation_email.body)
        self.assertIn(invoice.get_portal_url(), invoice_email.body)
        # Emailed: the Partner's notifications are emails.
        notified = (quotation_email | invoice_email).notification_ids
        self.assertEqual(notified.mapped("notification_type"), ["email", "email"])
        self.assertEqual(notified.res_partner_id, self.channel_partner_contact)
