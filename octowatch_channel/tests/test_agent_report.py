# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import TIN_NEW, TIN_NEW_2, TIN_PERSON_NEW, TIN_SPARE
from .test_commission import CommissionCase


class AgentReportCase(CommissionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Settling and accepting post bills: this manager also keeps the books.
        cls.accountant_manager = cls._create_staff_user(
            "ow_accountant_manager",
            "base.group_user,account.group_account_invoice,"
            "octowatch_channel.group_octowatch_manager",
        )

    def _report(self, **agreement_vals):
        """The agent's report of one paid deal invoice: 100 of commission."""
        if agreement_vals:
            self.agreement.write(agreement_vals)
        _deal, invoice = self._deal_invoice()
        self._pay(invoice)
        return self._settle_reports()


@tagged("post_install", "-at_install")
class TestAgentReport(AgentReportCase):
    def test_one_report_per_agent_with_its_draft_bill(self):
        self._deal_invoice(tin=TIN_SPARE, name="Spare LLC", agent=self.agent)
        report = self._report(tax_ids=self.vat_22.ids)
        self.assertEqual(len(report), 1)
        self.assertRegex(report.name, r"^AR/\d{4}/\d{4}$")
        self.assertEqual(report.agent_id, self.agent)
        self.assertEqual(report.company_id, self.company)
        self.assertEqual(report.currency_id, self.company.currency_id)
        self.assertEqual(report.state, "sent")
        self.assertEqual(report.bill_id.state, "draft")
        self.assertEqual(report.bill_id.partner_id, self.agent)
        self.assertEqual(report.commission_line_ids.report_id, report)
        self.assertEqual(
            (report.amount_untaxed, report.amount_tax, report.amount_total),
            (100.0, 22.0, 122.0),
        )
        self.assertFalse(report.acceptance_deadline, "0 days: only the agent accepts")

    def test_staff_records_acceptance_which_posts_the_bill(self):
        report = self._report()
        report.with_user(self.accountant_manager).action_accept()
        self.assertEqual(report.state, "accepted")
        self.assertEqual(report.accepted_by_id, self.accountant_manager)
        self.assertTrue(report.accepted_date)
        self.assertEqual(report.bill_id.state, "posted")
        with self.assertRaisesRegex(UserError, "only a sent or objected report"):
            report.action_accept()

    def test_a_channel_user_cannot_accept(self):
        report = self._report()
        with self.assertRaises(AccessError):
            report.with_user(self.user_channel).action_accept()
        self.assertEqual(report.bill_id.state, "draft")

    def test_objection_keeps_the_bill_draft_and_gives_staff_an_activity(self):
        report = self._report()
        report.with_user(self.portal_agent).sudo()._octowatch_object(
            "Deal DEAL/1 was paid in April, not March.", ip_address="203.0.113.7"
        )
        self.assertEqual(report.state, "objected")
        self.assertEqual(report.objection, "Deal DEAL/1 was paid in April, not March.")
        self.assertEqual(report.bill_id.state, "draft")
        activity = report.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertTrue(
            activity.user_id.has_group("octowatch_channel.group_octowatch_manager")
        )
        self.assertFalse(activity.user_id.share, "Kolibri's staff, not the agent")
        self.assertIn("objects to", activity.summary)
        note = report.message_ids.filtered(lambda m: "Objected to by" in m.body)
        self.assertIn(self.portal_agent.name, note.body)
        self.assertIn("203.0.113.7", note.body)
        self.assertEqual(note.author_id, self.portal_agent.partner_id)
        with self.assertRaisesRegex(UserError, "say what is wrong"):
            report._octowatch_object("  ")
        # Staff explain; the agent then accepts after all.
        report.with_user(self.portal_agent).sudo()._octowatch_accept()
        self.assertEqual(report.state, "accepted")
        self.assertFalse(report.activity_ids, "nothing left to answer")

    def test_staff_cancel_gives_the_lines_back_and_deletes_the_draft_bill(self):
        report = self._report()
        bill, lines = report.bill_id, report.commission_line_ids
        report.with_user(self.accountant_manager).action_cancel()
        self.assertEqual(report.state, "cancelled")
        self.assertTrue(report.message_ids.filtered(lambda m: "Withdrawn by" in m.body))
        self.assertFalse(bill.exists())
        self.assertEqual(lines.mapped("state"), ["to_settle"])
        self.assertFalse(lines.bill_id)
        again = self._settle_reports()
        self.assertNotEqual(again, report)
        self.assertEqual(again.commission_line_ids, lines)

    def test_lines_that_cancel_out_are_reported_without_a_bill(self):
        _deal, invoice = self._deal_invoice()
        payment = self._pay(invoice)
        self._settle_reports()
        payment.move_id.line_ids.remove_move_reconcile()  # gives back -100
        self._pay(invoice, day="2026-03-20")  # and +100 again
        report = self._settle_reports(fields.Date.today())  # the give-back is today
        self.assertEqual(len(report.commission_line_ids), 2)
        self.assertFalse(report.bill_id)
        self.assertEqual(report.amount_total, 0.0)
        report._octowatch_accept()
        self.assertEqual(report.state, "accepted", "nothing to post")

    def test_accepted_report_cannot_be_cancelled(self):
        report = self._report()
        report._octowatch_accept()
        with self.assertRaisesRegex(UserError, "reverse the bill"):
            report.action_cancel()

    def test_deemed_accepted_after_the_agreement_days(self):
        with freeze_time("2026-04-01"):
            report = self._report(report_acceptance_days=10)
        self.assertEqual(report.acceptance_deadline, date(2026, 4, 11))
        with freeze_time("2026-04-10"):
            self.Report._cron_deem_accepted()
        self.assertEqual(report.state, "sent", "one day left")
        with freeze_time("2026-04-11"):
            self.Report._cron_deem_accepted()
        self.assertEqual(report.state, "accepted")
        self.assertFalse(report.accepted_by_id, "nobody: the deadline")
        self.assertEqual(report.bill_id.state, "posted")
        self.assertTrue(
            report.message_ids.filtered(lambda m: "Deemed accepted" in m.body)
        )

    def test_objected_report_is_never_deemed_accepted(self):
        with freeze_time("2026-04-01"):
            report = self._report(report_acceptance_days=5)
            report._octowatch_object("Wrong rate")
        with freeze_time("2026-05-01"):
            self.Report._cron_deem_accepted()
        self.assertEqual(report.state, "objected")

    def _settle_queries(self, date_to):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        reports = self._settle_reports(date_to)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, reports

    def test_settlement_is_batched(self):
        """The queries of a settlement grow with the agents, not with the lines."""
        _deal, invoice = self._deal_invoice()
        self._pay(invoice, day="2026-03-05")
        few, first = self._settle_queries("2026-03-31")
        self.assertEqual(len(first.commission_line_ids), 1)
        for tin in (TIN_SPARE, TIN_NEW, TIN_NEW_2, TIN_PERSON_NEW):
            _deal, invoice = self._deal_invoice(tin=tin, name=f"Client {tin}")
            self._pay(invoice, day="2026-03-20")
        many, second = self._settle_queries("2026-03-31")
        self.assertEqual(len(second.commission_line_ids), 4)
        self.assertLessEqual(many, few + 5, f"{few} queries for 1 line, {many} for 4")

    def test_the_agent_is_told_in_its_language_as_an_automatic_email(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["octowatch_channel"], ["ru_RU"], overwrite=True
        )
        self.agent.lang = "ru_RU"
        report = self._report(tax_ids=self.vat_22.ids)
        notice = report.message_ids.filtered(lambda m: m.partner_ids == self.agent)
        self.assertEqual(len(notice), 1)
        self.assertIn("Здравствуйте", notice.body)
        self.assertIn("122,00", notice.body)
        self.assertIn("отчёт агента", notice.subject)
        mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", notice.id)])
        )
        self.assertIn("'Auto-Submitted': 'auto-replied'", mail.headers)
        # The bill is written in the agent's language too.
        self.assertEqual(report.bill_id.ref, "Комиссия OctoWatch по 31.03.2026")
        self.assertIn("Комиссия AGR/", report.bill_id.invoice_line_ids.name)
        # Staff's own replies on the report are not automatic.
        reply = report.message_post(
            body="We check it.", message_type="comment", partner_ids=self.agent.ids
        )
        reply_mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", reply.id)])
        )
        self.assertNotIn("Auto-Submitted", reply_mail.headers or "")

    def test_pdf_lists_each_payment_in_the_agents_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["octowatch_channel"], ["ru_RU"], overwrite=True
        )
        self.agent.lang = "ru_RU"
        deal, invoice = self._deal_invoice()
        self._pay(invoice, amount=invoice.amount_total / 2, day="2026-03-10")
        self._pay(invoice, amount=invoice.amount_residual, day="2026-03-20")
        self.agreement.tax_ids = self.vat_22
        report = self._settle_reports()
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "octowatch_channel.action_report_agent_report", report.ids
        )
        html = html.decode()
        self.assertIn("Отчёт агента", html)
        for text in (
            deal.name,
            deal.end_customer_id.name,
            invoice.name,
            "10.03.2026",
            "20.03.2026",
            "500,00",
            "50,00",
            "11,00",
            "10,00</span> %",
        ):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestAgentReportPortal(AgentReportCase, HttpCase):
    def _post(self, url, **data):
        page = self.url_open("/my")
        token = page.text.split('csrf_token: "', 1)[1].split('"', 1)[0]
        return self.url_open(url, data={"csrf_token": token, **data})

    def test_agent_accepts_on_the_portal(self):
        report = self._report()
        self.authenticate(self.portal_agent.login, self.portal_agent.login)
        page = self.url_open("/my/commissions")
        self.assertIn(report.name, page.text)
        self.assertIn(f"/my/commissions/reports/{report.id}/accept", page.text)
        response = self._post(f"/my/commissions/reports/{report.id}/accept")
        self.assertEqual(response.status_code, 200)
        self.assertIn("the report is accepted", response.text)
        self.assertEqual(report.state, "accepted")
        self.assertEqual(report.accepted_by_id, self.portal_agent)
        self.assertEqual(report.bill_id.state, "posted")
        note = report.message_ids.filtered(lambda m: "Accepted by" in m.body)
        self.assertIn(self.portal_agent.name, note.body)
        self.assertIn("127.0.0.1", note.body, "from where: the agent's address")

    def test_agent_objects_with_a_reason(self):
        report = self._report()
        self.authenticate(self.portal_agent.login, self.portal_agent.login)
        response = self._post(
            f"/my/commissions/reports/{report.id}/object", reason="   "
        )
        self.assertEqual(response.status_code, 200, "the error under its field")
        self.assertIn("invalid-feedback", response.text)
        self.assertIn("say what is wrong", response.text)
        self.assertEqual(report.state, "sent")
        response = self._post(
            f"/my/commissions/reports/{report.id}/object",
            reason="The Gamma payment is missing.",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(report.state, "objected")
        self.assertEqual(report.objection, "The Gamma payment is missing.")
        self.assertEqual(report.bill_id.state, "draft")
        self.assertIn("The Gamma payment is missing.", response.text)

    @mute_logger("odoo.http")
    def test_another_agent_cannot_accept_or_object(self):
        report = self._report()
        other = self._create_portal_user(self.agent_2_contact, "ow_portal_agent_two")
        self.authenticate(other.login, other.login)
        for action, data in (("accept", {}), ("object", {"reason": "No"})):
            with self.subTest(action=action):
                response = self._post(
                    f"/my/commissions/reports/{report.id}/{action}", **data
                )
                self.assertSentHome(response)
                self.assertNotIn(report.name, response.text)
        self.assertEqual(report.state, "sent")
        self.assertEqual(report.bill_id.state, "draft")
