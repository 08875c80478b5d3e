# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.tests import HttpCase, tagged

from .common import DealCommon
from .test_tin_normalization import TIN


@tagged("post_install", "-at_install")
class TestChannelRefusals(DealCommon, HttpCase):
    """A refusal echoes only what its reader typed (case 10).

    The first agent registers a customer with its name; a second agent that types
    only the TIN must not learn that name, nor anything else the first agent gave or
    the customer record holds, wherever its refused deal or request is shown.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls._register_deal(tin=TIN, name="Secret Client Holding")
        cls.customer = cls.first.end_customer_id
        cls.customer.write(
            {"email": "ceo@secret-client.example", "phone": "+7 495 111 22 33"}
        )
        cls.secrets = (
            "Secret Client Holding",
            "secret-client.example",
            "111 22 33",
            cls.agent.name,
            cls.first.name,
        )

    def assertShowsNoSecret(self, text, where):
        for secret in self.secrets:
            self.assertNotIn(secret, text, f"{where} shows {secret!r}")

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def test_portal_deal_form_with_only_the_tin(self):
        self.authenticate("ow_portal_agent_2", "ow_portal_agent_2")
        form = {
            "csrf_token": self._csrf("/my/deals/new"),
            "tin": TIN,
            "product_id": str(self.product_std.id),
            "license_qty": "5",
        }
        # The one deal form asks every agent for the name: nothing is registered
        # and the known customer's name is not offered.
        response = self.url_open("/my/deals/new", data=form)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Company Name is missing.", response.text)
        self.assertShowsNoSecret(response.text, "the form")
        self.assertFalse(self.Deal.search([("agent_id", "=", self.agent_2.id)]))
        response = self.url_open(
            "/my/deals/new", data={**form, "company_name": "What I Typed LLC"}
        )
        self.assertEqual(response.status_code, 200)
        refused = self.Deal.search([("agent_id", "=", self.agent_2.id)])
        self.assertEqual(refused.state, "rejected")
        self.assertIn("Already registered", response.text)
        self.assertIn(TIN, response.text)
        self.assertShowsNoSecret(response.text, "the refused deal's page")
        self.assertShowsNoSecret(self.url_open("/my/deals").text, "the deals list")
        # What the agent may read of its deal over the API: what it typed.
        values = refused.with_user(self.portal_agent_2).read(
            ["company_name", "end_customer_id", "rejection_reason", "display_name"]
        )[0]
        self.assertShowsNoSecret(str(values), "the deal read over RPC")
        self.assertFalse(values["end_customer_id"])
        self.assertEqual(values["company_name"], "What I Typed LLC")

    def test_staff_registration_email_with_only_the_tin(self):
        wizard = self.env["octowatch.deal.register"].create(
            {
                "agent_id": self.agent_2.id,
                "tin": TIN,
                "company_name": "What I Typed LLC",
                "product_id": self.product_std.id,
                "license_qty": 5,
            }
        )
        refused = self.Deal.browse(wizard.action_register()["res_id"])
        self.assertEqual(refused.state, "rejected")
        email = refused.request_id.message_ids.filtered(
            lambda m: self.agent_2 in m.partner_ids
        )
        self.assertEqual(email.subject, f"Request {refused.request_id.name} rejected")
        text = " ".join(email.body.split())
        self.assertIn("Already registered", text)
        self.assertShowsNoSecret(text, "the rejection email")

    def test_request_page_and_emails(self):
        """A deal request by email, and an attribution on the portal: their pages,
        acknowledgement and rejection show the typed values only."""
        deal_request = self.process_email(
            f"TIN: {TIN}\nCompany: What I Typed LLC\nVersion: TSTD\nLicenses: 5\n",
            email_from="contact@agent2.example.com",
        )
        self.assertEqual(deal_request.state, "rejected")
        attribution = self.env["octowatch.channel.request"].create(
            {
                "request_type": "attribution",
                "requester_id": self.agent_2_contact.id,
                "tin": TIN,
            }
        )
        attribution.action_confirm()
        self.assertEqual(attribution.state, "rejected")
        self.assertFalse(attribution.end_customer_id, "the refused customer unlinked")
        self.authenticate("ow_portal_agent_2", "ow_portal_agent_2")
        for request in deal_request | attribution:
            page = self.url_open(f"/my/channel-requests/{request.id}").text
            self.assertIn(request.rejection_reason, page)
            self.assertShowsNoSecret(page, f"the page of {request.name}")
            for message in request.message_ids:
                self.assertShowsNoSecret(message.body or "", message.subject or "")
        page = self.url_open(f"/my/channel-requests/{deal_request.id}").text
        self.assertIn("What I Typed LLC", page)
        listing = self.url_open("/my/channel-requests").text
        self.assertIn(TIN, listing, "the attribution shows the TIN typed")
        self.assertShowsNoSecret(listing, "the requests list")

    def test_a_client_moved_away_is_no_longer_named(self):
        """A request page names its end customer while the customer is the
        requester's own; once moved to another owner, only what was typed."""
        request = self._invoice_request(account_email="it@alfa.example.com")
        request.action_confirm()
        self.assertEqual(request.state, "done")
        self.authenticate("ow_portal_partner", "ow_portal_partner")
        url = f"/my/channel-requests/{request.id}"
        self.assertIn(self.customer_alfa.name, self.url_open(url).text)
        self.customer_alfa.with_context(
            octowatch_owner_move=True
        ).octowatch_owner_id = self.agent_2
        page = self.url_open(url).text
        self.assertNotIn(self.customer_alfa.name, page)
        self.assertIn("it@alfa.example.com", page)
