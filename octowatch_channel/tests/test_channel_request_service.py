# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import TIN_ALFA, TIN_BETA, OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestChannelRequestService(OctowatchChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Request = cls.env["octowatch.channel.request"]

    def _plan(self, request, date="2026-06-10 09:00:00", user=None, note=None):
        wizard = Form(
            self.env["octowatch.channel.request.plan"].with_context(
                default_request_id=request.id
            )
        )
        wizard.service_date = datetime.fromisoformat(date)
        wizard.user_id = user or self.user_channel
        if note:
            wizard.note = note
        wizard.save().action_plan()

    def _mails_to_requester(self, request, subject_part):
        return request.message_ids.filtered(
            lambda m: (
                subject_part in (m.subject or "")
                and request.requester_id in m.partner_ids
            )
        )

    def test_service_request_starts_to_plan(self):
        request = self._service_request()
        self.assertEqual(request.service_state, "to_plan")
        invoice = self.Request.create(
            {"request_type": "invoice", "requester_id": self.channel_partner_contact.id}
        )
        self.assertFalse(invoice.service_state)

    def test_plan_sets_date_responsible_activity_and_tells_requester(self):
        request = self._service_request()
        self._plan(request, note="Online, one hour.")
        self.assertEqual(request.state, "done", "planning confirms the request")
        self.assertEqual(request.service_state, "planned")
        self.assertEqual(request.service_date, datetime(2026, 6, 10, 9, 0))
        self.assertEqual(request.user_id, self.user_channel)
        activity = request.service_activity_id
        self.assertEqual(len(request.activity_ids), 1, "one activity, moved")
        self.assertEqual(activity, request.activity_ids)
        self.assertEqual(activity.user_id, self.user_channel)
        self.assertEqual(str(activity.date_deadline), "2026-06-10")
        self.assertIn("Online, one hour.", activity.note)
        self.assertEqual(activity.summary, "Webinar for Beta Client LLC")
        mail = self._mails_to_requester(request, "your service is planned")
        self.assertEqual(len(mail), 1)
        self.assertIn("Beta Client LLC", mail.body)
        self.assertIn(f"/my/channel-requests/{request.id}", mail.body)

    def test_replanning_moves_the_same_activity(self):
        request = self._service_request()
        request.action_confirm()
        first = request.service_activity_id
        self.assertEqual(first.summary, "Plan webinar for Test Agent LLC")
        self._plan(request, date="2026-06-10 09:00:00")
        self._plan(request, date="2026-07-01 12:00:00", user=self.user_manager)
        self.assertEqual(request.service_activity_id, first)
        self.assertEqual(len(request.activity_ids), 1)
        self.assertEqual(first.user_id, self.user_manager)
        self.assertEqual(str(first.date_deadline), "2026-07-01")
        self.assertEqual(request.user_id, self.user_manager)
        self.assertEqual(
            len(self._mails_to_requester(request, "your service is planned")), 2
        )

    def test_mark_done_closes_the_activity_and_tells_requester(self):
        request = self._service_request()
        self._plan(request)
        request.action_service_done()
        self.assertEqual(request.service_state, "done")
        self.assertFalse(request.activity_ids, "the activity is done")
        self.assertEqual(
            len(self._mails_to_requester(request, "your service is done")), 1
        )
        with self.assertRaises(UserError):
            request.action_service_cancel()
        with self.assertRaises(UserError):
            self._plan(request)

    def test_cancel_removes_the_activity(self):
        request = self._service_request()
        request.action_confirm()
        request.action_service_cancel()
        self.assertEqual(request.service_state, "cancelled")
        self.assertFalse(request.activity_ids)
        self.assertEqual(
            len(self._mails_to_requester(request, "your service is cancelled")), 1
        )

    def test_plan_refuses_a_request_with_problems(self):
        request = self._service_request(service_kind=False)
        with self.assertRaises(UserError):
            request._octowatch_plan_service(
                datetime(2026, 6, 10, 9, 0), self.user_channel
            )
        self.assertEqual(request.service_state, "to_plan")

    def test_plan_needs_an_employee(self):
        request = self._service_request()
        with self.assertRaises(UserError):
            request._octowatch_plan_service(
                datetime(2026, 6, 10, 9, 0), self.portal_agent
            )

    def test_only_own_client(self):
        with self.assertRaisesRegex(ValidationError, "is not a client of Test Agent"):
            self._service_request(end_customer_id=self.customer_alfa.id)
        request = self._service_request()
        with self.assertRaises(ValidationError):
            request.end_customer_id = self.customer_alfa
        # Other request types keep their own rules.
        invoice = self.Request.create(
            {
                "request_type": "invoice",
                "requester_id": self.agent_contact.id,
                "end_customer_id": self.customer_alfa.id,
            }
        )
        self.assertTrue(invoice)

    def test_email_naming_another_intermediary_client_needs_review(self):
        request = self.process_email(
            f"Please run a presentation for our client.\nTIN: {TIN_ALFA}",
            subject="Presentation",
            email_from="contact@agent.example.com",
        )
        self.assertEqual(request.request_type, "service")
        self.assertEqual(request.service_kind, "presentation")
        self.assertEqual(request.state, "needs_review")
        self.assertIn(
            f'The client "{TIN_ALFA}" named in the request is not a client of '
            "Test Agent LLC",
            request.review_notes,
        )
        self.assertFalse(request.end_customer_id)
        with self.assertRaises(UserError):
            request.action_confirm()

    def test_email_naming_own_client_is_found_on_confirm(self):
        request = self.process_email(
            f"Support needed for our client.\nINN: {TIN_BETA}",
            subject="Support",
            email_from="contact@agent.example.com",
        )
        self.assertEqual(request.service_kind, "support")
        self.assertEqual(request.state, "new", request.review_notes)
        request.action_confirm()
        self.assertEqual(request.end_customer_id, self.customer_beta)
        self.assertEqual(request.service_state, "to_plan")

    def test_portal_user_reads_service_state(self):
        request = self._service_request()
        self._plan(request)
        as_agent = request.with_user(self.portal_agent)
        self.assertEqual(as_agent.service_state, "planned")
        self.assertEqual(as_agent.service_date, datetime(2026, 6, 10, 9, 0))


@tagged("post_install", "-at_install")
class TestChannelRequestServicePortal(OctowatchChannelCommon, HttpCase):
    def _post(self, data):
        return self.url_open(
            "/my/channel-requests/new",
            data={
                **data,
                "type": "service",
                "csrf_token": http.Request.csrf_token(self),
            },
            allow_redirects=False,
        )

    def test_agent_asks_a_service_for_its_client(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        page = self.url_open("/my/channel-requests/new?type=service")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Beta Client LLC", page.text, "its own client is offered")
        self.assertNotIn("Alfa Client JSC", page.text, "another's client is not")
        response = self._post(
            {
                "service_kind": "presentation",
                "end_customer_id": self.customer_beta.id,
                "description": "For the board, in May.",
            }
        )
        self.assertEqual(response.status_code, 303)
        request = self.env["octowatch.channel.request"].search(
            [("channel_partner_id", "=", self.agent.id)]
        )
        self.assertEqual(len(request), 1)
        self.assertEqual(request.request_type, "service")
        self.assertEqual(request.service_kind, "presentation")
        self.assertEqual(request.end_customer_id, self.customer_beta)
        self.assertEqual(request.state, "new", request.review_notes)
        self.assertEqual(request.service_state, "to_plan")

    def test_service_for_another_intermediary_client_refused(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        response = self._post(
            {"service_kind": "support", "end_customer_id": self.customer_alfa.id}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choose one of your clients.", response.text)
        self.assertFalse(
            self.env["octowatch.channel.request"].search(
                [("channel_partner_id", "=", self.agent.id)]
            )
        )

    def test_partner_can_ask_a_service_and_end_customer_can_not(self):
        self.authenticate("ow_portal_partner", "ow_portal_partner")
        page = self.url_open("/my/channel-requests/new?type=service")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Alfa Client JSC", page.text)
        self.assertNotIn("Beta Client LLC", page.text)
        self.authenticate("ow_portal_client", "ow_portal_client")
        page = self.url_open("/my/channel-requests/new?type=service")
        self.assertEqual(page.status_code, 403)

    def test_requester_follows_the_planned_service(self):
        request = self.env["octowatch.channel.request"].create(
            {
                "request_type": "service",
                "service_kind": "webinar",
                "requester_id": self.agent_contact.id,
                "end_customer_id": self.customer_beta.id,
            }
        )
        request._octowatch_plan_service(datetime(2026, 6, 10, 9, 0), self.user_channel)
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        listing = self.url_open("/my/channel-requests")
        self.assertIn(f"/my/channel-requests/{request.id}", listing.text)
        self.assertIn("Planned", listing.text)
        page = self.url_open(f"/my/channel-requests/{request.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Webinar", page.text)
        self.assertIn("Beta Client LLC", page.text)
        self.assertIn("Planned", page.text)
        self.assertIn("06/10/2026", page.text)
        self.assertIn(self.user_channel.name, page.text)

    def test_accepted_service_shows_where_its_service_stands(self):
        """A request accepted (Done) whose webinar is only planned is not shown
        as a green Done: its badge is the service's, Planned."""
        request = self._service_request()
        request.action_confirm()
        request._octowatch_plan_service(datetime(2026, 6, 10, 9, 0), self.user_channel)
        self.assertEqual(request.state, "done")
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        for url in ("/my/channel-requests", f"/my/channel-requests/{request.id}"):
            text = self.url_open(url).text
            self.assertIn(
                "badge rounded-pill text-bg-primary", text.replace(" fs-6", "")
            )
            self.assertNotIn("text-bg-success", text, url)

    def test_someone_else_request_is_not_found(self):
        request = self.env["octowatch.channel.request"].create(
            {
                "request_type": "service",
                "service_kind": "webinar",
                "requester_id": self.agent_contact.id,
                "end_customer_id": self.customer_beta.id,
            }
        )
        self.authenticate("ow_portal_agent_2", "ow_portal_agent_2")
        page = self.url_open(f"/my/channel-requests/{request.id}")
        self.assertSentHome(page)
        self.assertNotIn("Beta Client LLC", page.text)
        self.authenticate("ow_portal_partner", "ow_portal_partner")
        self.assertSentHome(self.url_open(f"/my/channel-requests/{request.id}"))
        missing = self.url_open("/my/channel-requests/999999")
        self.assertSentHome(missing)
