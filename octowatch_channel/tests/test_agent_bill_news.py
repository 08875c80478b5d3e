# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Commission news is true: the agent hears of its bill once it is posted, and
its statement says paid only once the bill is paid."""

from odoo.tests import HttpCase, tagged

from .test_agent_report import AgentReportCase


@tagged("post_install", "-at_install")
class TestAgentReportBillNews(AgentReportCase):
    def _pdf(self, report):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "octowatch_channel.action_report_agent_report", report.ids
        )
        return html.decode()

    def _bill_posted_mails(self, report):
        return report.message_ids.filtered(
            lambda m: m.partner_ids and "is posted" in (m.subject or "")
        )

    def test_report_email_promises_no_payment_of_a_draft(self):
        report = self._report()
        self.assertEqual(report.bill_id.state, "draft")
        mail = report.message_ids.filtered(lambda m: m.partner_ids)
        self.assertEqual(len(mail), 1)
        self.assertNotIn("we pay you", mail.body)
        self.assertNotIn("will pay", mail.body)
        self.assertFalse(self._bill_posted_mails(report))
        self.assertNotIn("paid on", self._pdf(report))

    def test_agent_told_when_bill_posted_and_statement_says_paid(self):
        report = self._report()
        report.with_user(self.accountant_manager).action_accept()
        self.assertEqual(report.bill_id.state, "posted")
        mail = self._bill_posted_mails(report)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.partner_ids, self.agent)
        self.assertIn(report.bill_id.name, mail.body)
        pdf = self._pdf(report)
        self.assertNotIn("paid on", pdf)
        self.assertIn("waiting for payment", pdf)
        self._pay(report.bill_id, day="2026-04-10")
        self.assertIn(report.bill_id.payment_state, ("paid", "in_payment"))
        pdf = self._pdf(report)
        self.assertIn("paid on", pdf)
        self.assertIn("04/10/2026", pdf)

    def test_bill_line_of_one_payment_is_grammatical(self):
        report = self._report()
        names = report.bill_id.invoice_line_ids.mapped("name")
        self.assertTrue(names)
        for name in names:
            self.assertNotIn("(1 payments)", name)
            self.assertIn("(one payment)", name)


@tagged("post_install", "-at_install")
class TestCommissionPortalTotals(AgentReportCase, HttpCase):
    def test_totals_links_and_odoo_wording(self):
        deal, invoice = self._deal_invoice()
        self._pay(invoice)
        self.authenticate(self.portal_agent.login, self.portal_agent.login)
        page = self.url_open("/my/commissions").text
        self.assertIn("o_octowatch_commission_totals", page)
        self.assertIn("To settle", page)
        self.assertIn(f'href="/my/deals/{deal.id}"', page)
        report = self._settle_reports()
        report._octowatch_accept()
        bill = report.bill_id
        page = self.url_open("/my/commissions").text
        self.assertIn(bill.get_portal_url(), page)
        self.assertIn("Waiting for Payment", page)
        self.assertNotIn("Not Paid", page)
        self._pay(bill, day="2026-04-10")
        page = self.url_open("/my/commissions").text
        totals = page.split("o_octowatch_commission_totals")[1]
        totals = totals.split("Your agent's reports")[0]
        self.assertEqual(totals.count("100.00"), 2, "billed and paid")
        self.assertIn("Paid</span>", page)
