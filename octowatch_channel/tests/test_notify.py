# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
import re
from datetime import datetime, timedelta
from unittest.mock import patch

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


@tagged("post_install", "-at_install")
class TestNotifyBatch(OctowatchChannelCommon):
    """Two or more notices are posted and emailed in one batch
    (``_octowatch_post_batch``): what it stores is what ``message_post`` stores,
    one notice at a time, and its queries don't grow with the notices."""

    TEMPLATE = "octowatch_channel.mail_template_channel_request_ack"

    def _requests(self, count):
        return self.env["octowatch.channel.request"].concat(
            *(self._service_request() for _i in range(count))
        )

    def _one_by_one(self):
        """``_octowatch_notify`` as it was, each notice by ``message_post``."""
        return patch.object(
            type(self.env["octowatch.notify.mixin"]),
            "_octowatch_can_post_batch",
            lambda *args: False,
        )

    def _mail_values(self, message, request):
        mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        self.assertEqual(len(mail), 1, request.name)
        headers = ast.literal_eval(mail.headers)
        # Only the record's own ids and names differ from one request to another.
        body = mail.body_html.replace(request.name, "NAME")
        # The layout's title spells the name with hyphens.
        body = body.replace(request.name.replace("/", "-"), "NAME")
        if request.access_token:
            body = body.replace(request.access_token, "TOKEN")
        body = re.sub(rf"(?<![0-9]){request.id}(?![0-9])", "ID", body)
        return {
            "subject": mail.subject.replace(request.name, "NAME"),
            "recipients": mail.recipient_ids,
            "email_to": mail.email_to,
            "auto_delete": mail.auto_delete,
            "state": mail.state,
            "headers": {
                key: value for key, value in headers.items() if "Odoo" not in key
            },
            "references": len(mail.references.split()),
            "own_reference": mail.references.split()[-1] == message.message_id,
            "body": body,
            "notifications": sorted(
                (
                    n.res_partner_id.id,
                    n.notification_type,
                    n.notification_status,
                    n.is_read,
                )
                for n in message.notification_ids
            ),
        }

    def _message_values(self, message, request):
        return {
            "type": message.message_type,
            "subtype": message.subtype_id,
            "author": message.author_id,
            "email_from": message.email_from,
            "partners": message.partner_ids,
            "reply_to": message.reply_to,
            "company": message.record_company_id,
            "alias_domain": message.record_alias_domain_id,
            "layout": message.email_layout_xmlid,
            "signature": message.email_add_signature,
            "parent": message.parent_id == request.message_ids.sorted("id")[:1],
            "body": message.body.replace(request.name, "NAME"),
        }

    def test_the_batch_stores_what_message_post_stores(self):
        self.agent_contact.lang = "ru_RU"
        self._activate_russian()
        batch, one_by_one = self._requests(2), self._requests(2)
        batch_messages = batch._octowatch_notify(self.TEMPLATE)
        with self._one_by_one():
            single_messages = one_by_one._octowatch_notify(self.TEMPLATE)
        self.assertEqual(len(batch_messages), 2)
        for request, message, twin_request, twin in zip(
            batch, batch_messages, one_by_one, single_messages, strict=True
        ):
            self.assertEqual(
                (message.model, message.res_id), (request._name, request.id)
            )
            self.assertEqual(
                self._message_values(message, request),
                self._message_values(twin, twin_request),
            )
            values = self._mail_values(message, request)
            self.assertEqual(values, self._mail_values(twin, twin_request))
            self.assertIn("Здравствуйте", values["body"])
            self.assertEqual(values["headers"]["Auto-Submitted"], "auto-replied")
            self.assertTrue(values["own_reference"])
            self.assertEqual(values["state"], "outgoing")

    def test_followers_of_the_subtype_are_notified_the_author_never(self):
        requests = self._requests(2)
        staff = self._create_staff_user(
            "octowatch_batch_staff",
            "base.group_user,octowatch_channel.group_octowatch_user",
        )
        staff.notification_type = "inbox"
        deaf = self._create_staff_user(
            "octowatch_batch_deaf",
            "base.group_user,octowatch_channel.group_octowatch_user",
        )
        requests[0].message_subscribe(
            partner_ids=staff.partner_id.ids,
            subtype_ids=self.env.ref("mail.mt_comment").ids,
        )
        requests.message_subscribe(
            partner_ids=deaf.partner_id.ids,
            subtype_ids=self.env.ref("mail.mt_note").ids,
        )
        requests.message_subscribe(partner_ids=self.company.partner_id.ids)
        first, second = requests._octowatch_notify(self.TEMPLATE)
        self.assertEqual(
            first.notification_ids.filtered(
                lambda n: n.notification_type == "inbox"
            ).res_partner_id,
            staff.partner_id,
        )
        self.assertFalse(
            second.notification_ids.filtered(lambda n: n.notification_type == "inbox")
        )
        for message, request in ((first, requests[0]), (second, requests[1])):
            self.assertEqual(
                message.notification_ids.filtered(
                    lambda n: n.notification_type == "email"
                ).res_partner_id,
                request.requester_id,
            )
            notified = message.notification_ids.res_partner_id
            self.assertNotIn(deaf.partner_id, notified)
            self.assertNotIn(self.company.partner_id, notified)

    def test_an_address_that_is_no_contact_is_emailed(self):
        requests = self._requests(2)
        messages = requests._octowatch_notify(
            self.TEMPLATE, email_to="stranger@unknown.example.com"
        )
        for message in messages:
            mails = (
                self.env["mail.mail"]
                .sudo()
                .search([("mail_message_id", "=", message.id)])
            )
            self.assertIn("stranger@unknown.example.com", mails.mapped("email_to"))
            self.assertIn(
                "stranger@unknown.example.com",
                message.notification_ids.mapped("mail_email_address"),
            )

    def test_queries_do_not_grow_with_the_notices(self):
        few, many = self._requests(3), self._requests(12)
        self.env.flush_all()
        counts = []
        for requests in (few, many):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            requests._octowatch_notify(self.TEMPLATE)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        # Nine notices more cost at most a query or two (the cache's batches).
        self.assertLessEqual(counts[1] - counts[0], 2, counts)

    def test_what_the_batch_leaves_to_message_post(self):
        can_batch = self.env["octowatch.notify.mixin"]._octowatch_can_post_batch
        requests = self._requests(2)
        values = {
            "message_type": "auto_comment",
            "subtype_id": self.env.ref("mail.mt_comment").id,
            "reply_to": "x@example.com",
            "record_alias_domain_id": False,
            "record_company_id": self.company.id,
        }
        self.assertTrue(can_batch(requests, [values, values]))
        self.assertFalse(can_batch(requests[:1], [values]))
        self.assertFalse(can_batch(requests[0] + requests[0], [values, values]))
        self.assertFalse(
            can_batch(
                requests, [values, dict(values, attachments=[("a.pdf", b"%PDF")])]
            )
        )
        self.assertFalse(
            can_batch(requests, [values, dict(values, scheduled_date="2030-01-01")])
        )
        self.assertFalse(
            can_batch(requests, [values, dict(values, notify_skip_followers=True)])
        )
