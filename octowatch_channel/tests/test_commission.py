# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import TIN_GAMMA, TIN_NEW, TIN_SPARE, OctowatchChannelCommon


class CommissionCase(OctowatchChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Line = cls.env["octowatch.commission.line"]
        cls.Report = cls.env["octowatch.agent.report"]
        cls.tax_sale_a.amount = 20.0  # 1,000 untaxed invoice: 1,200 to pay
        # The agent's VAT on commission, by its regime: 22 % (general) or 5 % / 7 %
        # (simplified, above the income threshold).
        cls.vat_22, cls.vat_5 = cls.env["account.tax"].create(
            [
                {
                    "name": f"VAT {rate}% (purchases)",
                    "amount": rate,
                    "type_tax_use": "purchase",
                    "company_id": cls.company.id,
                }
                for rate in (22.0, 5.0)
            ]
        )

    @classmethod
    def _deal_invoice(cls, tin=TIN_GAMMA, qty=10, agent=None, name="Gamma Bank JSC"):
        deal = cls.env["octowatch.deal.registration"]._register_deal(
            agent or cls.agent, tin, name, cls.product_std, qty
        )
        deal.action_request_invoice()
        order = deal.sale_order_id
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_date = "2026-03-01"
        invoice.action_post()
        return deal, invoice

    def _pay(self, moves, amount=None, day="2026-03-15"):
        kwargs = {"payment_date": day}
        if amount is not None:
            kwargs["amount"] = amount
        return self._register_payment(moves, **kwargs)

    def _settle_reports(self, date_to="2026-03-31", agents=None):
        """Settle through the wizard: the agent's reports it opens."""
        wizard = self.env["octowatch.commission.settle"].create(
            {"date_to": date_to, "agent_ids": [(6, 0, (agents or self.agent).ids)]}
        )
        action = wizard.action_settle()
        self.assertEqual(action["res_model"], "octowatch.agent.report")
        return self.Report.search(action["domain"])

    def _settle(self, date_to="2026-03-31", agents=None):
        """Settle through the wizard: the draft bills of the reports it made."""
        return self._settle_reports(date_to, agents).bill_id


@tagged("post_install", "-at_install")
class TestCommissionAccrual(CommissionCase):
    def test_full_payment(self):
        deal, invoice = self._deal_invoice()
        self.assertEqual(invoice.amount_untaxed, 1000.0)
        self._pay(invoice)
        line = self.Line.search([("move_id", "=", invoice.id)])
        self.assertEqual(len(line), 1)
        self.assertEqual(line.deal_id, deal)
        self.assertEqual(line.agreement_id, self.agreement)
        self.assertEqual(line.payment_date, date(2026, 3, 15))
        self.assertEqual(line.base_amount, 1000.0)
        self.assertEqual(line.rate, 10.0)
        self.assertEqual(line.amount, 100.0)
        self.assertEqual(line.state, "to_settle")

    def test_deal_licences_credited_with_the_agent(self):
        deal, invoice = self._deal_invoice()
        self._pay(invoice)
        entry = invoice.octowatch_license_ids
        self.assertEqual(entry.end_customer_id, deal.end_customer_id)
        self.assertEqual(entry.channel_partner_id, self.agent)
        self.assertEqual(entry.quantity, 10)

    def test_two_partial_payments(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice, amount=invoice.amount_total / 4, day="2026-03-10")
        lines = self.Line.search([("move_id", "=", invoice.id)])
        self.assertEqual(
            lines.base_amount, 250.0, "a quarter paid: a quarter of the untaxed 1,000"
        )
        self.assertEqual(lines.amount, 25.0)
        self._pay(invoice, amount=invoice.amount_residual, day="2026-03-20")
        lines = self.Line.search([("move_id", "=", invoice.id)], order="payment_date")
        self.assertEqual(lines.mapped("amount"), [25.0, 75.0])
        self.assertEqual(sum(lines.mapped("base_amount")), 1000.0)

    def test_rate_change_between_payments(self):
        self.agreement.date_end = "2026-03-31"
        new = self.env["octowatch.agency.agreement"].create(
            {
                "agent_id": self.agent.id,
                "date_start": "2026-04-01",
                "commission_rate": 12.0,
            }
        )
        new.action_activate()
        _deal, invoice = self._deal_invoice()
        self._pay(invoice, amount=invoice.amount_total / 2, day="2026-03-30")
        self._pay(invoice, amount=invoice.amount_residual, day="2026-04-02")
        lines = self.Line.search([("move_id", "=", invoice.id)], order="payment_date")
        self.assertEqual(lines.mapped("rate"), [10.0, 12.0])
        self.assertEqual(lines.mapped("amount"), [50.0, 60.0])
        self.assertEqual(lines.agreement_id, self.agreement | new)

    def test_invoice_in_another_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        deal = self.env["octowatch.deal.registration"]._register_deal(
            self.agent, TIN_GAMMA, "Gamma Bank JSC", self.product_std, 10
        )
        deal.action_request_invoice()
        order = deal.sale_order_id
        order.pricelist_id = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id}
        )
        order.order_line.price_unit = 200.0
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_date = "2026-03-01"
        invoice.action_post()
        self.assertEqual(invoice.currency_id, eur)
        self._pay(invoice)
        line = self.Line.search([("move_id", "=", invoice.id)])
        self.assertEqual(line.currency_id, eur)
        self.assertEqual(line.base_amount, 2000.0)
        self.assertEqual(line.amount, 200.0)
        bill = self._settle()
        self.assertEqual(bill.currency_id, eur)
        self.assertEqual(bill.amount_total, 200.0)

    def test_no_agreement_no_line_and_an_activity(self):
        _deal, invoice = self._deal_invoice(
            agent=self.agent_2, tin=TIN_SPARE, name="Spare"
        )
        deal = _deal
        self._pay(invoice)
        self.assertFalse(self.Line.search([("move_id", "=", invoice.id)]))
        self.assertEqual(len(deal.activity_ids), 1)
        self.assertIn("No agency agreement", deal.activity_ids.summary)

    def test_unreconcile_before_and_after_settlement(self):
        _deal, invoice = self._deal_invoice()
        payment = self._pay(invoice)
        payment.move_id.line_ids.remove_move_reconcile()
        self.assertFalse(
            self.Line.search([("move_id", "=", invoice.id)]), "undone: gone"
        )
        self._pay(invoice)
        self._settle()
        settled = self.Line.search([("move_id", "=", invoice.id)])
        self.assertEqual(settled.state, "settled")
        invoice.line_ids.remove_move_reconcile()
        given_back = self.Line.search([("reversed_line_id", "=", settled.id)])
        self.assertEqual(given_back.amount, -100.0)
        self.assertEqual(given_back.state, "to_settle")

    def test_settled_invoice_cannot_be_reset(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        self._settle()
        with self.assertRaisesRegex(UserError, "reverse it with a credit note"):
            invoice.button_draft()


@tagged("post_install", "-at_install")
class TestCommissionSettlement(CommissionCase):
    def test_settle_into_one_bill_per_agent(self):
        _deal, first = self._deal_invoice()
        _deal2, second = self._deal_invoice(tin=TIN_SPARE, qty=5, name="Spare LLC")
        self._pay(first, day="2026-02-10")
        self._pay(second, day="2026-03-10")
        self._pay(
            self._deal_invoice(agent=self.agent, tin=TIN_NEW, qty=1, name="Late")[1],
            day="2026-04-05",
        )
        report = self._settle_reports("2026-03-31")
        self.assertEqual(len(report), 1, "one report per agent, company and currency")
        bill = report.bill_id
        self.assertEqual(len(bill), 1)
        self.assertEqual(bill.state, "draft", "posted when the agent accepts")
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.partner_id, self.agent)
        self.assertEqual(bill.journal_id, self.company.octowatch_commission_journal_id)
        self.assertEqual(bill.partner_bank_id, self.agent_bank)
        self.assertEqual(
            len(bill.invoice_line_ids), 2, "one line per agreement and month"
        )
        self.assertEqual(bill.invoice_line_ids.product_id, self.product_commission)
        self.assertEqual(bill.amount_total, 150.0)
        self.assertEqual(
            bill.octowatch_commission_line_ids.mapped("state"), ["settled"] * 2
        )
        self.assertEqual(report.commission_line_ids, bill.octowatch_commission_line_ids)
        self.assertEqual(report.date_from, date(2026, 2, 10))
        self.assertEqual(report.date_to, date(2026, 3, 31))
        self.assertEqual(report.state, "sent")
        self.assertEqual(report.amount_total, 150.0)
        pending = self.Line.search([("state", "=", "to_settle")])
        self.assertEqual(pending.payment_date, date(2026, 4, 5), "April waits")
        # The agent is told, on the report, with the way to its portal.
        notice = report.message_ids.filtered(
            lambda m: "agent's report" in (m.subject or "")
        )
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.partner_ids, self.agent)
        self.assertIn("/my/commissions", notice.body)
        self.assertIn("150.00", notice.body)

    def test_bill_carries_the_agents_vat_on_top(self):
        self.agreement.tax_ids = self.vat_22
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        report = self._settle_reports()
        bill = report.bill_id
        self.assertEqual(bill.invoice_line_ids.tax_ids, self.vat_22)
        # Base: the 1,000 untaxed paid; rate: 10 % -> 100 untaxed; VAT on top.
        self.assertEqual(bill.amount_untaxed, 100.0)
        self.assertEqual(bill.amount_tax, 22.0)
        self.assertEqual(bill.amount_total, 122.0)
        self.assertRecordValues(
            report,
            [{"amount_untaxed": 100.0, "amount_tax": 22.0, "amount_total": 122.0}],
        )
        self.assertEqual(report.commission_line_ids.tax_amount, 22.0)
        report._octowatch_accept()  # the untaxed amount still equals the lines
        self.assertEqual(bill.state, "posted")

    def test_agent_without_vat_and_simplified_regime(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        bill = self._settle()
        self.assertFalse(bill.invoice_line_ids.tax_ids, "no VAT: none on the bill")
        self.assertEqual(bill.amount_total, 100.0)
        bill.unlink()
        self.agreement.tax_ids = self.vat_5
        bill = self._settle()
        self.assertEqual(bill.amount_tax, 5.0)

    def test_agreement_vat_must_be_a_purchase_tax_on_top(self):
        included = self.vat_22.copy(
            {"name": "VAT 22% included", "price_include_override": "tax_included"}
        )
        for tax, message in (
            (self.tax_sale_a, "must be a purchase tax"),
            (included, "not included in the price"),
        ):
            with (
                self.subTest(tax=tax.name),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                self.agreement.tax_ids = tax

    def test_refund_after_settlement_clawed_back_then_negative_month(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice, day="2026-03-10")
        self._settle("2026-03-31")
        refund = self._reverse_invoice(invoice, post=True, date="2026-04-03")
        self._register_payment(refund, payment_date="2026-04-05")
        line = self.Line.search([("move_id", "=", refund.id)])
        self.assertEqual(line.amount, -100.0)
        self.assertEqual(line.base_amount, -1000.0)
        report = self._settle_reports("2026-04-30")
        bill = report.bill_id
        self.assertEqual(
            bill.move_type, "in_refund", "a negative month: a vendor refund"
        )
        self.assertEqual(bill.amount_total, 100.0)
        self.assertEqual(report.amount_total, -100.0, "owed by the agent")

    def test_clawback_on_the_next_bill(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice, day="2026-03-10")
        self._settle("2026-03-31")
        refund = self._reverse_invoice(invoice, post=True, date="2026-04-03")
        self._register_payment(refund, payment_date="2026-04-05")
        _deal2, other = self._deal_invoice(tin=TIN_SPARE, qty=30, name="Spare LLC")
        self._pay(other, day="2026-04-20")
        bill = self._settle("2026-04-30")
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.amount_total, 200.0, "300 earned minus 100 given back")

    def test_draft_bill_deleted_or_cancelled_returns_lines(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        report = self._settle_reports()
        bill = report.bill_id
        line = bill.octowatch_commission_line_ids
        bill.unlink()
        self.assertEqual(line.state, "to_settle")
        self.assertFalse(line.bill_id)
        self.assertEqual(report.state, "cancelled", "no bill, no report")
        report = self._settle_reports()
        report.bill_id.button_cancel()
        self.assertEqual(line.state, "to_settle")
        self.assertEqual(report.state, "cancelled")
        self.assertEqual(len(self._settle()), 1)

    def test_settled_again_the_lines_leave_the_withdrawn_report(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        withdrawn = self._settle_reports()
        line = withdrawn.commission_line_ids
        withdrawn.bill_id.unlink()
        self.assertEqual(withdrawn.amount_untaxed, line.amount, "from its lines")
        report = self._settle_reports()
        self.assertNotEqual(report, withdrawn)
        self.assertEqual(line.report_id, report)
        self.assertEqual(line.bill_id, report.bill_id)
        self.assertEqual(report.commission_line_ids, line)
        self.assertEqual(report.bill_id.octowatch_commission_line_ids, line)
        self.assertEqual(report.amount_untaxed, line.amount)
        self.assertFalse(withdrawn.commission_line_ids)
        self.assertEqual(withdrawn.amount_untaxed, 0.0, "its lines went on")
        self.assertEqual(withdrawn.state, "cancelled")
        # As the database has it, not only the cache.
        self.env.invalidate_all()
        self.assertEqual(line.state, "settled")
        self.assertEqual(line.report_id, report)
        self.assertEqual(line.write_uid, self.env.user)
        self.assertFalse(withdrawn.commission_line_ids)

    def test_what_depends_on_settling_is_what_the_update_tells(self):
        """Settling writes the lines in SQL and tells the reports that gain or lose
        lines (``_octowatch_mark_settled``): a field that comes to depend on a
        line's state, bill or report must be told there too."""
        Report = self.Report
        dependents = {
            (field.model_name, field.name)
            for fname in ("state", "bill_id", "report_id")
            for field in self.registry.get_dependent_fields(self.Line._fields[fname])
        }
        self.assertEqual(
            dependents,
            {
                (Report._name, fname)
                for fname in ("amount_untaxed", "amount_tax", "amount_total")
            }
            # A statement line's copy of its move's lines (``_inherits``), told
            # through the bills.
            | {("account.bank.statement.line", "octowatch_commission_line_ids")},
        )

    def test_settling_needs_the_right_to_write_the_lines(self):
        """The lines are written settled in one query, past the ORM's write: its
        access check stays."""
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        withdrawn = self._settle_reports()
        line = withdrawn.commission_line_ids
        withdrawn.bill_id.unlink()
        line = line.with_user(self.user_channel)
        (settlement,) = line._octowatch_settlements()
        self.assertEqual(settlement["line_ids"], line.ids)
        self.assertEqual(settlement["reports"], withdrawn, "the lines come back")
        with self.assertRaises(AccessError):
            line._octowatch_mark_settled({withdrawn: settlement})
        self.env.invalidate_all()
        self.assertEqual(line.state, "to_settle")

    def test_posted_bill_stays_consistent(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        report = self._settle_reports()
        bill = report.bill_id
        with self.assertRaisesRegex(UserError, "posted when the agent accepts"):
            bill.action_post()
        bill.invoice_line_ids.price_unit = 150.0
        with (
            self.assertRaisesRegex(UserError, "settles .*100.00"),
            self.env.cr.savepoint(),
        ):
            report._octowatch_accept()
        self.assertEqual(report.state, "sent", "nothing accepted while it fails")
        bill.invoice_line_ids.price_unit = 100.0
        report._octowatch_accept()
        self.assertEqual(bill.state, "posted")

    def test_bill_paid_through_register_payment(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        report = self._settle_reports()
        report._octowatch_accept()
        bill = report.bill_id
        self._register_payment(bill, payment_date="2026-04-10")
        self.assertIn(bill.payment_state, ("paid", "in_payment"))

    def test_two_companies_two_bills(self):
        company_2 = self.company_2
        company_2.write(
            {
                "octowatch_commission_product_id": self.product_commission.id,
                "octowatch_commission_journal_id": self.env["account.journal"]
                .search(
                    [("company_id", "=", company_2.id), ("type", "=", "purchase")],
                    limit=1,
                )
                .id,
            }
        )
        agreement_2 = self.env["octowatch.agency.agreement"].create(
            {
                "agent_id": self.agent.id,
                "company_id": company_2.id,
                "date_start": "2020-01-01",
                "commission_rate": 5.0,
            }
        )
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        line = self.Line.search([("move_id", "=", invoice.id)])
        self.Line.sudo().create(
            {
                "agent_id": self.agent.id,
                "agreement_id": agreement_2.id,
                "move_id": invoice.id,
                "payment_date": "2026-03-15",
                "base_amount": 400.0,
                "rate": 5.0,
                "amount": 20.0,
                "currency_id": company_2.currency_id.id,
                "company_id": company_2.id,
            }
        )
        bills = (
            self.env["octowatch.commission.settle"]
            .with_context(allowed_company_ids=(self.company | company_2).ids)
            .create({"date_to": "2026-03-31"})
        )
        reports = self.Report.search(bills.action_settle()["domain"])
        self.assertEqual(reports.company_id, self.company | company_2)
        bills = reports.bill_id
        self.assertEqual(bills.company_id, self.company | company_2)
        self.assertEqual(line.bill_id.company_id, self.company)

    def test_preview_before_settling(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        wizard = Form(self.env["octowatch.commission.settle"])
        wizard.date_to = date(2026, 3, 31)
        self.assertIn("Test Agent LLC", wizard.preview)
        self.assertIn("100.00", wizard.preview)
        self.assertIn("Report and draft vendor bill", wizard.preview)
        self.assertFalse(
            self.env["account.move"].search([("move_type", "=", "in_invoice")])
        )

    def test_monthly_cron(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice, day="2026-03-15")
        with freeze_time("2026-04-01 03:00:00"):
            reports = self.Line._cron_settle()
        self.assertEqual(reports.date_to, date(2026, 3, 31))
        self.assertEqual(reports.bill_id.invoice_date, date(2026, 3, 31))
        self.assertEqual(reports.bill_id.amount_total, 100.0)
        self.assertEqual(reports.bill_id.state, "draft")


@tagged("post_install", "-at_install")
class TestCommissionPortal(CommissionCase, HttpCase):
    def test_agent_sees_own_lines_bills_and_report(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        report = self._settle_reports()
        report._octowatch_accept()
        self.authenticate(self.portal_agent.login, self.portal_agent.login)
        page = self.url_open("/my/commissions")
        self.assertEqual(page.status_code, 200)
        self.assertIn(invoice.name, page.text)
        self.assertIn(report.bill_id.name, page.text)
        self.assertIn(f"/my/commissions/reports/{report.id}", page.text)
        # The bill is what Kolibri owes the agent: shown positive, not in the
        # payables sign of the company's books.
        self.assertIn("100.00", page.text)
        self.assertNotIn("-100.00", page.text)
        pdf = self.url_open(f"/my/commissions/reports/{report.id}")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertIn(report.name.encode(), pdf.content)  # HTML while testing

    def test_agent_searches_lines_by_invoice(self):
        # The agent can't read its customer's invoice, yet finds the line by its name.
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        self.authenticate(self.portal_agent.login, self.portal_agent.login)
        page = self.url_open(
            f"/my/commissions?search={invoice.name}&search_in=invoice"
        ).text
        self.assertIn(invoice.name, page)
        self.assertIn("Search in Invoice", page)
        page = self.url_open("/my/commissions?search=NO-SUCH-INVOICE").text
        self.assertNotIn(invoice.name, page)
        self.assertIn("No commission line matches your search.", page)

    def test_other_agent_refused(self):
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        report = self._settle_reports()
        other = self._create_portal_user(self.agent_2_contact, "ow_portal_agent_two")
        self.authenticate(other.login, other.login)
        page = self.url_open("/my/commissions")
        self.assertNotIn(invoice.name, page.text)
        self.assertNotIn(report.name, page.text)
        response = self.url_open(f"/my/commissions/reports/{report.id}")
        self.assertSentHome(response)
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        self.assertFalse(self.Line.with_user(other).search([]))
        self.assertFalse(self.Report.with_user(other).search([]))
