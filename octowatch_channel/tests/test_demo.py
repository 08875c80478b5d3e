# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

# The models of the channel's records, every one of them Kolibri's in the demo.
CHANNEL_MODELS = (
    "product.pricelist",
    "sale.order",
    "account.move",
    "account.payment",
    "octowatch.deal.registration",
    "octowatch.license",
    "octowatch.commission.line",
    "octowatch.agent.report",
    "octowatch.channel.request",
    "octowatch.agency.agreement",
)


@tagged("post_install", "-at_install")
class TestKolibriDemo(TransactionCase):
    """The demo shows Kolibri's books (skipped on a database without demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kolibri = cls.env.ref(
            "octowatch_channel.company_kolibri", raise_if_not_found=False
        )

    def setUp(self):
        super().setUp()
        if not self.kolibri:
            self.skipTest("no demo data")

    def _ref(self, xmlid):
        return self.env.ref(f"octowatch_channel.{xmlid}")

    def test_kolibri_in_russia_in_roubles(self):
        kolibri = self.kolibri
        self.assertEqual(kolibri.name, "ООО «Колибри»")
        self.assertEqual(kolibri.country_id, self.env.ref("base.ru"))
        self.assertEqual(kolibri.currency_id, self.env.ref("base.RUB"))
        self.assertEqual(kolibri.account_fiscal_country_id, self.env.ref("base.ru"))
        self.assertEqual(
            (kolibri.vat, kolibri.octowatch_kpp), ("7705012343", "770501001")
        )
        self.assertTrue(kolibri.street and kolibri.city and kolibri.zip)
        bank = self.env["account.journal"].search(
            [("company_id", "=", kolibri.id), ("type", "=", "bank")]
        )
        self.assertTrue(bank.bank_account_id.acc_number)
        self.assertEqual(
            self._ref("pricelist_octowatch_published").currency_id,
            self.env.ref("base.RUB"),
        )

    def test_vat_and_the_exempt_licences(self):
        taxes = self.env["account.tax"].search([("company_id", "=", self.kolibri.id)])
        by_use = {(t.type_tax_use, t.amount) for t in taxes}
        for tax in (
            ("sale", 22),
            ("purchase", 22),
            ("purchase", 5),
            ("purchase", 7),
            ("sale", 0),
        ):
            self.assertIn(tax, by_use)
        exempt = self._ref("tax_no_vat_sale")
        self.assertEqual(exempt.name, "Без НДС")
        for product in ("product_octowatch_standard", "product_octowatch_enterprise"):
            self.assertEqual(self._ref(product).taxes_id, exempt, product)
        self.assertEqual(self._ref("product_octowatch_support").taxes_id.amount, 22.0)
        self.assertEqual(self.kolibri.account_sale_tax_id.amount, 22.0)

    def test_demo_users_and_channel_records_in_kolibri(self):
        for user in (
            self.env.ref("base.user_admin"),
            self._ref("user_portal_partner"),
            self._ref("user_portal_agent"),
            self._ref("user_portal_client"),
            self.env.ref("base.public_user"),
        ):
            self.assertEqual(user.company_id, self.kolibri, user.login)
        for model in CHANNEL_MODELS:
            records = self._demo_records(model)
            self.assertTrue(records, model)
            self.assertEqual(records.company_id, self.kolibri, model)
        self.assertEqual(self._ref("partner_sigma").name, "ООО «Сигма Интеграция»")
        self.assertEqual(self._ref("agent_vector").name, "ООО «Вектор Консалтинг»")

    def _demo_records(self, model):
        """The records of ``model`` that the addon's demo made: by external id, or
        made by its flows (licences, commission, reports, payments)."""
        named = self.env["ir.model.data"].search(
            [("module", "=", "octowatch_channel"), ("model", "=", model)]
        )
        if named:
            return self.env[model].browse(named.mapped("res_id"))
        if model == "account.payment":
            customers = self._ref("partner_sigma") | self._ref("customer_epsilon")
            return self.env[model].search([("partner_id", "in", customers.ids)])
        return self.env[model].search([])

    def test_agent_reports_of_the_demo(self):
        reports = self.env["octowatch.agent.report"].search(
            [("agent_id", "=", self._ref("agent_vector").id)], order="id"
        )
        self.assertEqual(reports.mapped("state"), ["accepted", "sent"])
        self.assertEqual(reports.bill_id.mapped("state"), ["posted", "draft"])
        self.assertTrue(all(report.amount_tax for report in reports), "VAT 22 %")
        # Accepted by Vector on its portal, as its statement prints.
        self.assertEqual(reports[0].accepted_by_id, self._ref("user_portal_agent"))

    def test_demo_documents_name_a_staff_salesperson(self):
        """The portal shows each quotation's and invoice's salesperson: the demo's
        documents made by its flows name staff, not OdooBot."""
        requests = self._ref("channel_request_sigma_card_paid") | self._ref(
            "channel_request_sigma_card_due"
        )
        orders = requests.sale_order_id
        documents = [(order, order.user_id) for order in orders] + [
            (invoice, invoice.invoice_user_id) for invoice in orders.invoice_ids
        ]
        self.assertEqual(len(documents), 4, "two quotations, two invoices")
        for document, user in documents:
            self.assertTrue(user, document.display_name)
            self.assertFalse(user.share, document.display_name)
            self.assertFalse(user._is_superuser(), document.display_name)

    def test_new_demo_invoice_request_can_be_confirmed(self):
        """REQ/2026/00001 is New with everything its text gives: staff confirm it."""
        request = self._ref("channel_request_sigma_invoice")
        self.assertEqual(request.state, "new")
        self.assertEqual(request.product_id, self._ref("product_octowatch_standard"))
        self.assertFalse(request._get_problems())
        request.action_confirm()
        self.assertEqual(request.state, "done")
        line = request.sale_order_id.order_line
        self.assertEqual(line.octowatch_end_customer_id, request.end_customer_id)
        self.assertAlmostEqual(line.octowatch_resale_price_unit, 5200.0)
        self.assertEqual(
            request.sale_order_id.payment_term_id,
            self._ref("account_payment_term_bank_transfer"),
        )

    def test_partner_invoices_paid_by_card_and_by_bank_transfer(self):
        """Sigma has an invoice paid by card through the Demo provider (payment_demo
        is installed in tests, as on `make run`), one to pay by card, and one paid
        by bank transfer."""
        alfa = self._ref("customer_alfa")
        card = self._ref("channel_request_sigma_card_paid").sale_order_id.invoice_ids
        self.assertEqual(len(card), 1)
        due = self._ref("channel_request_sigma_card_due").sale_order_id.invoice_ids
        self.assertEqual(due.state, "posted")
        self.assertTrue(due._has_to_be_paid(), "Pay Now on the portal")
        self.assertTrue(due.invoice_pdf_report_id, "issued, no proforma")
        transaction = card.transaction_ids
        self.assertEqual(transaction.provider_id.code, "demo")
        self.assertEqual(transaction.provider_id.company_id, self.kolibri)
        self.assertEqual(transaction.state, "done")
        self.assertEqual(transaction.payment_id.payment_transaction_id, transaction)
        self.assertEqual(transaction.payment_id.partner_id, self._ref("partner_sigma"))
        self.assertIn(card.payment_state, ("paid", "in_payment"))
        bank = self._ref("invoice_sigma_alfa")
        self.assertEqual(
            bank.invoice_payment_term_id,
            self._ref("account_payment_term_bank_transfer"),
        )
        self.assertFalse(bank.transaction_ids)
        payment = bank.matched_payment_ids
        self.assertEqual(len(payment), 1)
        self.assertFalse(payment.payment_transaction_id)
        self.assertEqual(payment.journal_id.type, "bank")
        self.assertIn(bank.payment_state, ("paid", "in_payment"))
        for invoice, qty in ((card, 5), (bank, 10)):
            licence = self.env["octowatch.license"].search(
                [("move_id", "=", invoice.id)]
            )
            self.assertEqual(licence.end_customer_id, alfa)
            self.assertEqual(licence.quantity, qty)
            self.assertEqual(licence.state, "active")
