# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from urllib.parse import urlsplit

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import TIN_SPARE, OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestChannelRequestPortal(OctowatchChannelCommon, HttpCase):
    def _post(self, data):
        url = "/my/channel-requests/new" if "type" in data else "/my/deals/new"
        return self.url_open(
            url,
            data={**data, "csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )

    def test_partner_sends_an_invoice_request(self):
        self.authenticate("ow_portal_partner", "ow_portal_partner")
        page = self.url_open("/my/channel-requests/new?type=invoice")
        self.assertEqual(page.status_code, 200)
        self.assertIn("New invoice request", page.text)
        self.assertIn("OctoWatch Standard", page.text)
        response = self._post(
            {
                "type": "invoice",
                "account_email": "IT@alfa.example.com",
                "product_id": self.product_std.id,
                "license_qty": "12",
                "resale_price_unit": "150",
                "payment_method": "card",
                "description": "For the Moscow office",
            }
        )
        self.assertEqual(response.status_code, 303)
        request = self._requests_of(self.channel_partner)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.source, "portal")
        self.assertEqual(request.request_type, "invoice")
        self.assertEqual(request.requester_id, self.channel_partner_contact)
        self.assertEqual(request.account_email, "it@alfa.example.com")
        self.assertEqual(request.license_qty, 12)
        self.assertEqual(request.payment_method, "card")
        self.assertEqual(request.state, "new")
        self.assertIn(f"submitted={request.name}", response.headers["Location"])
        listing = self.url_open(response.headers["Location"])
        self.assertIn(request.name, listing.text)
        self.assertIn("New", listing.text)
        # The acknowledgement reaches the requester although it posted as itself.
        ack = request.message_ids.filtered(
            lambda m: m.subject == f"Request {request.name} received"
        )
        self.assertEqual(ack.partner_ids, self.channel_partner_contact)

    def test_invalid_form_shows_errors_and_creates_nothing(self):
        self.authenticate("ow_portal_partner", "ow_portal_partner")
        response = self._post(
            {
                "type": "invoice",
                "account_email": "not-an-email",
                "product_id": "999999",
                "license_qty": "0",
                "payment_method": "barter",
            }
        )
        self.assertEqual(response.status_code, 200)
        for message in (
            "Account Email &#34;not-an-email&#34; is not a valid email address.",
            "Choose the OctoWatch version.",
            "Licences is missing.",
            "Choose a payment method.",
        ):
            self.assertIn(message, response.text)
        self.assertIn('value="not-an-email"', response.text)
        self.assertFalse(self._requests_of(self.channel_partner))

    def test_absurd_count_refused(self):
        self.authenticate("ow_portal_partner", "ow_portal_partner")
        response = self._post(
            {
                "type": "invoice",
                "account_email": "it@alfa.example.com",
                "product_id": self.product_std.id,
                "license_qty": "10001",
                "payment_method": "card",
            }
        )
        self.assertIn(
            "Licences 10001 is over the maximum of 10000 per request.", response.text
        )
        self.assertFalse(self._requests_of(self.channel_partner))

    def test_agent_can_not_submit_an_invoice_request(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        self.assertEqual(
            self.url_open("/my/channel-requests/new?type=invoice").status_code, 403
        )
        response = self._post(
            {
                "type": "invoice",
                "account_email": "it@alfa.example.com",
                "product_id": self.product_std.id,
                "license_qty": "5",
                "payment_method": "card",
            }
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self._requests_of(self.agent))

    def test_partner_can_not_register_a_deal(self):
        self.authenticate("ow_portal_partner", "ow_portal_partner")
        self.assertEqual(
            self.url_open("/my/channel-requests/new?type=deal").status_code, 403
        )

    def test_end_customer_has_no_form(self):
        self.authenticate("ow_portal_client", "ow_portal_client")
        for form_type in ("invoice", "deal"):
            self.assertEqual(
                self.url_open(f"/my/channel-requests/new?type={form_type}").status_code,
                403,
            )

    def test_no_form_for_a_kind_the_table_gives_none(self):
        """Attribution has no portal form in the table of request types: no role
        gets one, nor a form of a kind that does not exist."""
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        for form_type in ("attribution", "unknown"):
            with self.subTest(form_type=form_type):
                url = f"/my/channel-requests/new?type={form_type}"
                self.assertEqual(self.url_open(url).status_code, 403)
                self.assertEqual(self._post({"type": form_type}).status_code, 403)
        self.assertFalse(self._requests_of(self.agent))

    def test_agent_registers_a_deal(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        page = self.url_open("/my/channel-requests/new?type=deal")
        # One form registers a deal: the deals' own.
        self.assertEqual(urlsplit(page.url).path, "/my/deals/new")
        self.assertIn("Register a deal", page.text)
        bad = self._post(
            {
                "tin": "1234567890",
                "company_name": "",
                "product_id": self.product_ent.id,
                "license_qty": "3",
            }
        )
        self.assertIn("TIN 1234567890 is invalid", bad.text)
        self.assertIn("Company Name is missing.", bad.text)
        response = self._post(
            {
                "tin": TIN_SPARE,
                "company_name": "Spare LLC",
                "product_id": self.product_ent.id,
                "license_qty": "3",
            }
        )
        self.assertEqual(response.status_code, 303)
        request = self._requests_of(self.agent)
        self.assertEqual(request.request_type, "deal")
        self.assertEqual(request.tin, TIN_SPARE)
        if "octowatch.deal.registration" not in self.env:
            self.assertEqual(request.state, "needs_review")

    def test_listing_shows_only_own_requests(self):
        Request = self.env["octowatch.channel.request"]
        mine = Request.create(
            {
                "request_type": "deal",
                "requester_id": self.agent_contact.id,
                "tin": TIN_SPARE,
            }
        )
        theirs = Request.create(
            {
                "request_type": "invoice",
                "requester_id": self.channel_partner_contact.id,
                "account_email": "secret-client@example.com",
            }
        )
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        listing = self.url_open("/my/channel-requests")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(mine.name, listing.text)
        self.assertNotIn(theirs.name, listing.text)
        self.assertNotIn("secret-client@example.com", listing.text)
        self.assertIn("Register a deal", listing.text)
        self.assertNotIn("New invoice request", listing.text)
        home = self.url_open("/my/home")
        self.assertIn("/my/channel-requests", home.text)

    def test_listing_is_searched_filtered_sorted_and_paged_like_odoos(self):
        Request = self.env["octowatch.channel.request"]
        invoice = Request.create(
            {
                "request_type": "invoice",
                "requester_id": self.channel_partner_contact.id,
                "subject": "Licences for the harbour office",
                "account_email": "harbour@example.com",
            }
        )
        service = Request.create(
            {
                "request_type": "service",
                "service_kind": "webinar",
                "requester_id": self.channel_partner_contact.id,
                "subject": "Webinar for the security team",
                "end_customer_id": self.customer_alfa.id,
            }
        )
        foreign = Request.create(
            {
                "request_type": "deal",
                "requester_id": self.agent_contact.id,
                "subject": "Webinar plans of another company",
                "tin": TIN_SPARE,
            }
        )
        invoice_link = f'href="/my/channel-requests/{invoice.id}"'
        service_link = f'href="/my/channel-requests/{service.id}"'
        foreign_link = f'href="/my/channel-requests/{foreign.id}"'
        self.authenticate("ow_portal_partner", "ow_portal_partner")
        page = self.url_open("/my/channel-requests?search=webinar&search_in=subject")
        self.assertIn(service_link, page.text)
        self.assertNotIn(invoice_link, page.text)
        self.assertNotIn(foreign_link, page.text)
        page = self.url_open("/my/channel-requests?search=harbour@example.com").text
        self.assertIn(invoice_link, page)
        self.assertNotIn(service_link, page)
        page = self.url_open("/my/channel-requests?filterby=service").text
        self.assertIn(service_link, page)
        self.assertNotIn(invoice_link, page)
        self.assertIn(
            "No request matches your search or filter.",
            self.url_open("/my/channel-requests?filterby=deal").text,
        )
        page = self.url_open("/my/channel-requests?sortby=type").text
        # Sorted by type: the invoice request is listed before the service.
        self.assertLess(page.index(invoice_link), page.index(service_link))
        self.assertNotIn(foreign_link, page)
        # The record page's arrows follow the list just seen.
        page = self.url_open(f"/my/channel-requests/{invoice.id}").text
        self.assertIn("record_pager", page)
        self.assertIn(service_link, page)
