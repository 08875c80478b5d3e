# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The partners@ door, fed with real emails (``tests/mail/*.eml``) through Odoo's
mail gateway: who is trusted, whom it answers, what it never loses."""

import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models import mail_headers
from ..models.octowatch_channel_request_mail import hash_token
from .common import TIN_SPARE, TRUSTED_AUTHSERV_ID, OctowatchChannelCommon

MAIL_DIR = Path(__file__).parent / "mail"
SAMPLE_DOMAIN = b"partners@octowatchdlp.com"
AUTO_REPLIES = {
    "auto_submitted_auto_replied.eml": "auto_reply",
    "auto_submitted_auto_generated.eml": "auto_reply",
    "precedence_bulk.eml": "bulk",
    "precedence_auto_reply.eml": "auto_reply",
    "x_autoreply.eml": "auto_reply",
    "return_path_null.eml": "bounce",
}
CONFIRM_URL = re.compile(r"/channel-requests/confirm/([A-Za-z0-9_-]+)")


class MailDoorCommon(OctowatchChannelCommon):
    def fixture(self, name, message_id=None):
        """The ``.eml`` fixture addressed to this database's partners@ alias."""
        raw = (MAIL_DIR / name).read_bytes()
        raw = raw.replace(SAMPLE_DOMAIN, self.inbox_email.encode())
        if message_id:
            raw = re.sub(
                rb"(?im)^Message-Id:.*$", f"Message-Id: {message_id}".encode(), raw
            )
        return raw

    def deliver(self, raw):
        thread_id = self.env["mail.thread"].message_process(False, raw)
        return self.env["octowatch.channel.request"].browse(thread_id or [])

    def answers(self, requests):
        """What the door emailed about ``requests``: acknowledgements, confirmation
        links, notices."""
        return self.env["mail.message"].search(
            [
                ("model", "=", "octowatch.channel.request"),
                ("res_id", "in", requests.ids),
                ("author_id", "=", self.company.partner_id.id),
                ("message_type", "=", "auto_comment"),
            ]
        )

    def incoming(self, request):
        """The email the request came from, on its chatter."""
        return request.message_ids.filtered(lambda m: m.message_type == "email")[-1:]

    def live_deals(self, tin=TIN_SPARE):
        return self.env["octowatch.deal.registration"].search(
            [("tin", "=", tin), ("state", "in", ("registered", "invoiced"))]
        )

    def confirm_token(self, request):
        confirm = self.answers(request).filtered(
            lambda m: m.subject.startswith("Confirm deal registration")
        )
        self.assertEqual(len(confirm), 1, "one confirmation link is sent")
        return CONFIRM_URL.search(confirm.body).group(1)


@tagged("post_install", "-at_install")
class TestMailDoor(MailDoorCommon):
    # 1. A forged From never holds a live deal.

    def assertWaitsForConfirmation(self, request):
        self.assertEqual(request.request_type, "deal")
        self.assertEqual(request.requester_id, self.agent_contact)
        self.assertEqual(request.mail_trust, "unconfirmed")
        self.assertEqual(request.state, "new", request.review_notes)
        self.assertFalse(request.deal_id)
        self.assertFalse(self.live_deals(), "a forged From holds no live deal")
        self.assertTrue(request.mail_confirm_deadline)
        answers = self.answers(request)
        self.assertEqual(len(answers), 1)
        self.assertTrue(answers.subject.startswith("Confirm deal registration"))
        self.assertEqual(answers.partner_ids, self.agent_contact)
        self.assertNotIn("registered to you", answers.body)

    def test_forged_from_without_authentication_holds_no_deal(self):
        self.assertWaitsForConfirmation(
            self.deliver(self.fixture("deal_forged_no_auth.eml"))
        )

    def test_forged_from_failing_authentication_holds_no_deal(self):
        self.assertWaitsForConfirmation(
            self.deliver(self.fixture("deal_forged_dkim_fail.eml"))
        )

    def test_forged_from_with_foreign_authserv_holds_no_deal(self):
        self.assertWaitsForConfirmation(
            self.deliver(self.fixture("deal_forged_foreign_authserv.eml"))
        )

    def test_forged_pass_below_the_trusted_servers_header_is_ignored(self):
        self.assertWaitsForConfirmation(
            self.deliver(self.fixture("deal_forged_below.eml"))
        )

    def test_unaligned_dkim_pass_holds_no_deal(self):
        self.assertWaitsForConfirmation(
            self.deliver(self.fixture("deal_forged_unaligned_dkim.eml"))
        )

    def test_no_trusted_server_configured_holds_no_deal(self):
        self.company.octowatch_trusted_authserv_id = False
        self.assertWaitsForConfirmation(
            self.deliver(self.fixture("deal_trusted_dkim.eml"))
        )

    def assertLive(self, request):
        self.assertEqual(request.mail_trust, "authenticated")
        self.assertEqual(request.state, "done", request.review_notes)
        self.assertEqual(request.deal_id.state, "registered")
        self.assertEqual(self.live_deals(), request.deal_id)
        ack = self.answers(request)
        self.assertEqual(len(ack), 1)
        self.assertIn(request.deal_id.name, ack.body)
        self.assertIn("is registered to you", ack.body)

    def test_trusted_aligned_dkim_is_live(self):
        self.assertLive(self.deliver(self.fixture("deal_trusted_dkim.eml")))

    def test_trusted_dmarc_pass_is_live(self):
        self.assertLive(self.deliver(self.fixture("deal_trusted_dmarc.eml")))

    def test_portal_registration_is_trusted_by_the_session(self):
        request = self.env["octowatch.channel.request"]._octowatch_create_from_portal(
            {
                "request_type": "deal",
                "requester_id": self.agent_contact.id,
                "tin": TIN_SPARE,
                "company_name": "Gamma LLC",
                "product_id": self.product_std.id,
                "license_qty": 15,
            }
        )
        self.assertEqual(request.mail_trust, "portal")
        self.assertEqual(request.deal_id.state, "registered")

    def test_confirmation_link_makes_it_live_with_its_receipt_time(self):
        request = self.deliver(self.fixture("deal_forged_no_auth.eml"))
        token = self.confirm_token(request)
        Request = self.env["octowatch.channel.request"]
        self.assertNotEqual(
            request.sudo().mail_confirm_token_hash, token, "only a hash is stored"
        )
        self.assertEqual(request.sudo().mail_confirm_token_hash, hash_token(token))
        received = fields.Datetime.now() - timedelta(hours=3)
        self.env.cr.execute(
            "UPDATE octowatch_channel_request SET create_date = %s WHERE id = %s",
            (received, request.id),
        )
        request.invalidate_recordset(["create_date"])
        found, status = Request._octowatch_find_by_token(token)
        self.assertEqual((found, status), (request, "valid"))
        found._octowatch_confirm_sender()
        self.assertEqual(request.mail_trust, "confirmed")
        self.assertEqual(request.state, "done")
        self.assertEqual(request.deal_id.state, "registered")
        self.assertEqual(request.deal_id.date_registered, received)
        self.assertEqual(
            request.deal_id.date_expiry,
            received.date() + timedelta(days=self.company.octowatch_deal_validity_days),
        )
        told = self.answers(request)[:1].body
        self.assertIn(request.deal_id.name, told, "the agent is told the result")
        self.assertIn("is registered to you", told)
        self.assertEqual(Request._octowatch_find_by_token(token)[1], "used")
        self.assertEqual(Request._octowatch_find_by_token("forged")[1], "invalid")

    def test_confirmed_registration_loses_to_a_live_trusted_one(self):
        forged = self.deliver(self.fixture("deal_forged_no_auth.eml"))
        token = self.confirm_token(forged)
        other = self.process_email(
            f"TIN: {TIN_SPARE}\nCompany: Gamma\nVersion: TSTD\nLicenses: 5",
            email_from="contact@agent2.example.com",
        )
        self.assertEqual(other.deal_id.state, "registered", "no slot was held")
        request, _status = self.env[
            "octowatch.channel.request"
        ]._octowatch_find_by_token(token)
        request._octowatch_confirm_sender()
        self.assertEqual(forged.state, "rejected")
        self.assertEqual(self.live_deals(), other.deal_id)

    def test_unconfirmed_registration_lapses(self):
        self.company.octowatch_deal_confirm_hours = 2
        request = self.deliver(self.fixture("deal_forged_no_auth.eml"))
        token = self.confirm_token(request)
        deadline = request.mail_confirm_deadline
        self.assertAlmostEqual(
            deadline,
            fields.Datetime.now() + timedelta(hours=2),
            delta=timedelta(minutes=5),
        )
        Request = self.env["octowatch.channel.request"]
        self.assertFalse(Request._cron_lapse_unconfirmed(), "not yet")
        request.mail_confirm_deadline = fields.Datetime.now() - timedelta(minutes=1)
        self.assertEqual(Request._cron_lapse_unconfirmed(), request)
        self.assertEqual(request.mail_trust, "lapsed")
        self.assertEqual(request.state, "rejected")
        self.assertIn("within 2 hours", request.rejection_reason)
        self.assertEqual(len(self.answers(request)), 1, "a lapse emails nobody")
        self.assertEqual(Request._octowatch_find_by_token(token)[1], "expired")
        self.assertFalse(self.live_deals())

    def test_settings_of_the_door(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.octowatch_trusted_authserv_id, TRUSTED_AUTHSERV_ID)
        self.assertEqual(settings.octowatch_deal_confirm_hours, 24, "the default")
        settings.write(
            {
                "octowatch_trusted_authserv_id": "mx.octowatchdlp.com",
                "octowatch_deal_confirm_hours": 6,
            }
        )
        settings.execute()
        self.assertEqual(
            self.company.octowatch_trusted_authserv_id, "mx.octowatchdlp.com"
        )
        self.assertEqual(self.company.octowatch_deal_confirm_hours, 6)
        # The headers of the old server no longer vouch for anybody.
        request = self.deliver(self.fixture("deal_trusted_dkim.eml"))
        self.assertEqual(request.mail_trust, "unconfirmed")
        self.assertFalse(request.deal_id)

    # 2. Auto-replies are never acknowledged, and never lost.

    def test_six_kinds_of_auto_replies_are_not_acknowledged(self):
        for name, kind in AUTO_REPLIES.items():
            with self.subTest(fixture=name):
                request = self.deliver(self.fixture(name))
                self.assertTrue(request, "kept for staff")
                self.assertTrue(request.is_auto_reply)
                self.assertEqual(request.mail_auto_kind, kind)
                self.assertFalse(self.answers(request), "no acknowledgement")
                self.assertIn("out of the office", self.incoming(request).body)

    def test_authenticated_auto_reply_registers_nothing(self):
        raw = self.fixture("deal_trusted_dkim.eml").replace(
            b"Message-Id:", b"Auto-Submitted: auto-replied\nMessage-Id:", 1
        )
        request = self.deliver(raw)
        self.assertEqual(request.mail_trust, "authenticated")
        self.assertTrue(request.is_auto_reply)
        self.assertFalse(request.deal_id)
        self.assertFalse(self.live_deals())
        self.assertFalse(self.answers(request))

    def test_twenty_auto_replies_do_not_make_twenty_one_acknowledgements(self):
        first = self.process_email(
            "Account email: it@alfa.example.com\nVersion: TSTD\nLicenses: 25"
        )
        self.assertEqual(len(self.answers(first)), 1)
        raw = self.fixture("auto_submitted_auto_replied.eml")
        requests = first
        for index in range(20):
            requests |= self.deliver(
                re.sub(
                    rb"(?im)^Message-Id:.*$",
                    f"Message-Id: <ooo-{index}@reseller.example.com>".encode(),
                    raw,
                )
            )
        # Each one is kept and marked, until Odoo's loop guard stops the sender.
        self.assertEqual(len(requests), 20)
        self.assertEqual(requests.mapped("is_auto_reply").count(True), 19)
        self.assertEqual(len(self.answers(requests)), 1)

    def test_auto_reply_to_an_acknowledgement_joins_its_request(self):
        request = self.process_email(
            "Account email: it@alfa.example.com\nVersion: TSTD\nLicenses: 25"
        )
        ack = self.answers(request)
        raw = self.fixture("auto_submitted_auto_replied.eml").replace(
            b"Message-Id:", f"In-Reply-To: {ack.message_id}\nMessage-Id:".encode(), 1
        )
        thread_id = self.env["mail.thread"].message_process(False, raw)
        self.assertEqual(thread_id, request.id)
        self.assertIn("out of the office", request.message_ids[0].body)
        self.assertEqual(len(self.answers(request)), 1, "not answered")

    # 3. Odoo's loop guard works on this model.

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_loop_guard_stops_twenty_five_emails_from_one_address(self):
        requests = self.env["octowatch.channel.request"]
        for index in range(25):
            requests |= self.process_email(
                f"Account email: c{index}@alfa.example.com\nVersion: TSTD\nLicenses: 1"
            )
        threshold = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mail.gateway.loop.threshold", 20)
        )
        self.assertEqual(len(requests), threshold)
        self.assertEqual(len(self.answers(requests)), threshold)

    # 5. No reflection.

    def test_unknown_sender_gets_no_reflected_text(self):
        request = self.deliver(self.fixture("unknown_sender_spam.eml"))
        self.assertEqual(request.state, "needs_review")
        self.assertFalse(request.requester_id)
        notice = self.answers(request)
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.outgoing_email_to, "victim@forged.example")
        for reflected in ("PILLS", "pills", "spam.example", "Cheap"):
            self.assertNotIn(reflected, notice.body)
            self.assertNotIn(reflected, notice.subject)
        # Staff still read the email in the inbox.
        self.assertIn("BUY CHEAP PILLS", self.incoming(request).body)

    # 6. Nothing lost.

    def test_unknown_charset_is_read_and_held_for_review(self):
        request = self.deliver(self.fixture("unknown_charset.eml"))
        self.assertTrue(request)
        self.assertEqual(request.requester_id, self.channel_partner_contact)
        self.assertEqual(request.account_email, "it@alfa.example.com")
        self.assertEqual(request.license_qty, 25)
        self.assertEqual(request.state, "needs_review")
        self.assertIn("x-klingon-8", request.review_notes)
        self.assertTrue(
            request.message_ids.attachment_ids.filtered(
                lambda a: a.name.endswith(".eml")
            )
        )

    def test_nul_bytes_are_removed_and_held_for_review(self):
        request = self.deliver(self.fixture("nul_bytes.eml"))
        self.assertTrue(request)
        self.assertEqual(request.subject, "Invoice request")
        self.assertEqual(request.license_qty, 25)
        self.assertEqual(request.state, "needs_review")
        self.assertIn("NUL", request.review_notes)
        self.assertNotIn("\x00", self.incoming(request).email_from)

    @mute_logger("odoo.addons.octowatch_channel.models.mail_thread")
    def test_email_that_can_not_be_parsed_is_stored_raw(self):
        raw = self.fixture("unknown_charset.eml")
        with patch.object(
            type(self.env["mail.thread"]),
            "message_parse",
            side_effect=LookupError("unknown encoding: x-klingon-8"),
        ):
            request = self.deliver(raw)
        self.assertEqual(request.state, "needs_review")
        self.assertEqual(request.source, "email")
        self.assertEqual(request.requester_email, "contact@reseller.example.com")
        self.assertIn("could not be read", request.review_notes)
        original = request.message_ids.attachment_ids
        self.assertEqual(original.name, "original_email.eml")
        self.assertEqual(original.raw, raw)
        self.assertFalse(self.answers(request), "nothing answers an unread email")

    def test_other_addresses_keep_odoos_parsing(self):
        raw = self.fixture("unknown_charset.eml").replace(
            self.inbox_email.encode(), b"someone@elsewhere.example"
        )
        self.assertFalse(self.env["mail.thread"]._octowatch_is_for_channel_alias(raw))
        self.assertTrue(
            self.env["mail.thread"]._octowatch_is_for_channel_alias(
                self.fixture("unknown_charset.eml")
            )
        )


@tagged("post_install", "-at_install")
class TestMailHeaders(MailDoorCommon):
    """The pure header rules, on the fixtures' headers."""

    def headers(self, name):
        return email.message_from_bytes(self.fixture(name), policy=email.policy.SMTP)

    def test_trust(self):
        expected = {
            "deal_forged_no_auth.eml": False,
            "deal_forged_dkim_fail.eml": False,
            "deal_forged_foreign_authserv.eml": False,
            "deal_forged_below.eml": False,
            "deal_forged_unaligned_dkim.eml": False,
            "deal_trusted_dkim.eml": True,
            "deal_trusted_dmarc.eml": True,
        }
        for name, trusted in expected.items():
            with self.subTest(fixture=name):
                headers = self.headers(name)
                self.assertEqual(
                    mail_headers.is_trusted(headers, TRUSTED_AUTHSERV_ID), trusted
                )
                self.assertFalse(mail_headers.is_trusted(headers, "other.example"))
                self.assertFalse(mail_headers.automatic_kind(headers))

    def test_automatic_kinds(self):
        for name, kind in AUTO_REPLIES.items():
            with self.subTest(fixture=name):
                self.assertEqual(mail_headers.automatic_kind(self.headers(name)), kind)
        self.assertEqual(
            mail_headers.automatic_kind(
                _Headers({"From": ["MAILER-DAEMON@mx.example"]})
            ),
            "bounce",
        )
        self.assertFalse(
            mail_headers.automatic_kind(_Headers({"Auto-Submitted": ["no"]}))
        )

    def test_alignment(self):
        self.assertTrue(
            mail_headers.is_aligned("agent.example.com", "agent.example.com")
        )
        self.assertTrue(
            mail_headers.is_aligned("mail.agent.example.com", "agent.example.com")
        )
        self.assertFalse(
            mail_headers.is_aligned("notagent.example.com", "agent.example.com")
        )
        self.assertFalse(mail_headers.is_aligned("com", "agent.com"))


class _Headers:
    def __init__(self, values):
        self.values = values

    def get_all(self, name):
        return self.values.get(name)


@tagged("post_install", "-at_install")
class TestMailConfirmPage(MailDoorCommon, HttpCase):
    def test_link_shows_then_confirms_once(self):
        request = self.deliver(self.fixture("deal_forged_no_auth.eml"))
        token = self.confirm_token(request)
        url = f"/channel-requests/confirm/{token}"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(TIN_SPARE, page.text)
        self.assertIn("I sent it: confirm", page.text)
        self.assertFalse(request.deal_id, "a GET confirms nothing")
        refused = self.url_open(url, data={"confirm": "1"})
        self.assertNotIn("Thank you", refused.text, "no CSRF token, no confirmation")
        self.assertFalse(request.deal_id)
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        done = self.url_open(url, data={"confirm": "1", "csrf_token": csrf})
        self.assertEqual(done.status_code, 200)
        self.assertIn("Thank you", done.text)
        request.invalidate_recordset()
        self.assertEqual(request.deal_id.state, "registered")
        again = self.url_open(url)
        self.assertIn("already used", again.text)
        self.assertNotIn(TIN_SPARE, again.text)

    def test_wrong_token_shows_nothing(self):
        self.deliver(self.fixture("deal_forged_no_auth.eml"))
        page = self.url_open("/channel-requests/confirm/not-a-token")
        self.assertEqual(page.status_code, 200)
        self.assertIn("not valid", page.text)
        self.assertNotIn(TIN_SPARE, page.text)
