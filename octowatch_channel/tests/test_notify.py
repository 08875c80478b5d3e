# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from .common import TIN_NEW, TIN_SPARE, OctowatchChannelCommon

# A line of mail.mail_notification_light that the full layout does not have.
LIGHT_LAYOUT = "padding-top: 16px; background-color: #F1F1F1"


@tagged("post_install", "-at_install")
class TestNotify(OctowatchChannelCommon):
    """Every automatic email of the addon goes one way: the recipient's language,
    the company's partner as author, the light layout, Auto-Submitted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_russian()

    def _mail_of(self, message):
        return (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )

    def assertAutomatic(self, message, where):
        self.assertEqual(message.message_type, "auto_comment", where)
        self.assertEqual(message.author_id, self.company.partner_id, where)
        self.assertEqual(
            message.email_layout_xmlid, "mail.mail_notification_light", where
        )
        mails = self._mail_of(message)
        self.assertTrue(mails, f"{where}: no email")
        for mail in mails:
            self.assertIn("'Auto-Submitted': 'auto-replied'", mail.headers, where)
            self.assertIn(LIGHT_LAYOUT, mail.body_html, where)

    def test_one_template_in_each_recipients_language(self):
        self.agent_contact.lang = "ru_RU"
        self.channel_partner_contact.lang = "en_US"
        russian = self._service_request()
        english = self._invoice_request()
        requests = russian | english
        # One batch for both: each is rendered in its own requester's language.
        messages = requests._octowatch_notify(
            "octowatch_channel.mail_template_channel_request_ack"
        )
        self.assertEqual(len(messages), 2)
        for request, subject, greeting, other in (
            (russian, f"Заявка {russian.name} получена", "Здравствуйте", "Hello"),
            (english, f"Request {english.name} received", "Hello", "Здравствуйте"),
        ):
            message = messages.filtered(lambda m, r=request: m.res_id == r.id)
            self.assertEqual(message.subject, subject)
            self.assertEqual(message.partner_ids, request.requester_id)
            self.assertAutomatic(message, request.name)
            mail = self._mail_of(message).filtered(
                lambda m, r=request: r.requester_id in m.recipient_ids
            )
            self.assertEqual(len(mail), 1)
            self.assertIn(greeting, mail.body_html)
            self.assertNotIn(other, mail.body_html)

    def test_every_automatic_email_of_the_addon(self):
        """Each flow that emails: the gateway's acknowledgement, a rejection, the
        service emails, the deal emails, the licences credited and the agent's
        report."""
        self.agent.lang = "ru_RU"
        self.agent_contact.lang = "ru_RU"
        last_message = self.env["mail.message"].search([], order="id desc", limit=1)
        # Channel requests: acknowledgement, rejection, service planned and done.
        acknowledged = self.process_email(
            "Account email: it@alfa.example.com\nVersion: TSTD\nLicenses: 5"
        )
        acknowledged._octowatch_reject("Duplicate of an earlier request.")
        service = self._service_request()
        service.action_confirm()
        service._octowatch_plan_service(datetime(2026, 6, 10, 9, 0), self.user_channel)
        service.action_service_done()
        cancelled = self._service_request()
        cancelled.action_confirm()
        cancelled.action_service_cancel()
        # The partners@ door: the fixed notice to an unknown sender, the one-time
        # link of a registration that the mail server did not vouch for.
        self.process_email(
            "Version: TSTD\nLicenses: 5", email_from="stranger@unknown.example.com"
        )
        self.process_email(
            f"TIN: {TIN_NEW}\nCompany: Door Client LLC\nVersion: TSTD\nLicenses: 5",
            email_from="contact@agent.example.com",
            authenticated=False,
        )
        # Deals: reminded, expired (a registration is answered as its request is).
        deal = self.env["octowatch.deal.registration"]._register_deal(
            self.agent, TIN_SPARE, "Spare Client LLC", self.product_std, 5
        )
        deal.date_expiry = fields.Date.today() + timedelta(days=1)
        self.company.octowatch_deal_reminder_days = 5
        self.env["octowatch.deal.registration"]._cron_send_reminders()
        deal.date_expiry = fields.Date.today() - timedelta(days=1)
        self.env["octowatch.deal.registration"]._cron_expire()
        # Licences credited to the end customer, then the agent's report.
        invoice = self._create_invoice_for(
            self.customer_beta, [(self.product_std, 1, 100.0)]
        )
        invoice.action_post()
        self._register_payment(invoice)
        self.env["octowatch.license"]._octowatch_notify_credits()
        self.assertTrue(invoice.octowatch_license_ids.notified)
        line = (
            self.env["octowatch.commission.line"]
            .sudo()
            .create(
                {
                    "agent_id": self.agent.id,
                    "agreement_id": self.agreement.id,
                    "move_id": invoice.id,
                    "payment_date": "2026-03-15",
                    "base_amount": 1000,
                    "rate": 10.0,
                    "amount": 100,
                    "currency_id": self.company.currency_id.id,
                    "company_id": self.company.id,
                }
            )
        )
        reports = line.sudo(False)._settle(datetime(2026, 3, 31).date())
        # Accepted, its bill is posted: the agent is told.
        reports._octowatch_accept()
        # The Partner's invoice request: its quotation sent, its invoice issued.
        invoice_request = self._invoice_request()
        invoice_request.action_confirm()
        order = invoice_request.sale_order_id
        order.action_quotation_sent()
        order.action_confirm()
        order._create_invoices().action_post()

        # What the addon emailed: every message with a recipient but the incoming
        # email and Odoo's own notices to staff (an activity assigned).
        emails = self.env["mail.message"].search(
            [
                ("id", ">", last_message.id),
                ("message_type", "not in", ("email", "user_notification")),
                "|",
                ("partner_ids", "!=", False),
                ("outgoing_email_to", "!=", False),
            ]
        )
        templates = self.env["ir.model.data"].search(
            [("module", "=", "octowatch_channel"), ("model", "=", "mail.template")]
        )
        self.assertGreaterEqual(
            len(emails), len(templates), "\n".join(emails.mapped("subject"))
        )
        for message in emails:
            self.assertAutomatic(message, message.subject)
        # The agent reads Russian, the partner's contact the source English.
        russian = emails.filtered(
            lambda m: m.partner_ids & (self.agent | self.agent_contact)
        )
        self.assertTrue(russian)
        for message in russian:
            self.assertNotIn("Hello", message.body, message.subject)
            self.assertIn("Здравствуйте", message.body, message.subject)

    def test_templates_name_their_recipients_and_language(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "octowatch_channel"), ("model", "=", "mail.template")]
        )
        for template in self.env["mail.template"].browse(data.mapped("res_id")):
            self.assertFalse(template.use_default_to, template.name)
            self.assertIn("object.", template.partner_to, template.name)
            self.assertIn("object.", template.lang, template.name)
            self.assertNotIn("_RU", template.lang, template.name)
            self.assertNotIn("_US", template.lang, template.name)

    def test_staff_replies_are_not_automatic(self):
        request = self._invoice_request()
        reply = request.message_post(
            body="We check it.",
            message_type="comment",
            partner_ids=request.requester_id.ids,
        )
        self.assertNotIn("Auto-Submitted", self._mail_of(reply).headers or "")


@tagged("post_install", "-at_install")
class TestNotesInReaderLanguage(OctowatchChannelCommon):
    """What is stored for the requester to read is in its language, whoever
    receives the request (issue 19, Russian)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_russian()
        cls.channel_partner_contact.lang = "ru_RU"
        cls.agent_contact.lang = "ru_RU"

    def test_problem_note_in_russian(self):
        self.assertNotEqual(self.env.lang, "ru_RU")
        request = self.process_email("Version: TSTD\nLicenses: 5")
        self.assertEqual(request.state, "needs_review")
        self.assertIn("Не указано поле", request.review_notes)
        self.assertNotIn("is missing", request.review_notes)
        ack = request.message_ids.filtered(
            lambda m: m.subject == f"Заявка {request.name} получена"
        )
        self.assertIn("Не указано поле", ack.body)

    def test_reader_problems_in_the_language_of_the_text(self):
        """The email reader's own problems (an unknown sender, a version it can't
        read) are written in the reader's language too."""
        request = self.process_email(
            "Версия: Платиновая\nЛицензий: 5",
            email_from="stranger@unknown.example.com",
        )
        self.assertIn("Неизвестный отправитель", request.review_notes)
        self.assertIn("не является версией OctoWatch", request.review_notes)
        self.assertNotIn("Unknown sender", request.review_notes)
        english = self.process_email(
            "Version: Platinum\nLicenses: 5",
            email_from="stranger@unknown.example.com",
        )
        self.assertIn("Unknown sender", english.review_notes)
        self.assertIn("is not an OctoWatch version", english.review_notes)

    def test_problem_note_in_english_for_an_english_requester(self):
        self.channel_partner_contact.lang = "en_US"
        request = self.process_email("Version: TSTD\nLicenses: 5")
        self.assertIn("is missing", request.review_notes)

    def test_rejection_email_in_russian(self):
        first = self.env["octowatch.deal.registration"]._register_deal(
            self.agent_2, TIN_SPARE, "Spare Client LLC", self.product_std, 5
        )
        self.assertEqual(first.state, "registered")
        request = self.process_email(
            f"TIN: {TIN_SPARE}\nCompany: Spare Client\nVersion: TSTD\nLicenses: 5",
            email_from="contact@agent.example.com",
        )
        self.assertEqual(request.state, "rejected")
        self.assertIn("Уже зарегистрировано", request.rejection_reason)
        rejection = request.message_ids.filtered(
            lambda m: m.subject == f"Заявка {request.name} отклонена"
        )
        self.assertEqual(len(rejection), 1)
        self.assertIn("Уже зарегистрировано", rejection.body)
        self.assertNotIn("Hello", rejection.body)
