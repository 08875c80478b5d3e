# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestPortalLicenses(OctowatchChannelCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_std.name = "OctoWatch Standard"
        for partner, qty in ((cls.customer_alfa, 7), (cls.customer_beta, 4)):
            invoice = cls._create_invoice_for(partner, [(cls.product_std, qty, 100.0)])
            invoice.action_post()
            cls._register_payment(invoice)

    def _get(self, url, login):
        if login:
            self.authenticate(login, login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response

    def test_end_customer_sees_own_licences_only(self):
        page = self._get("/my/licenses", self.portal_client.login).text
        self.assertIn("Alfa Client JSC", page)
        self.assertIn("OctoWatch Standard", page)
        self.assertNotIn("Beta Client LLC", page)

    def test_partner_sees_its_clients(self):
        page = self._get("/my/clients", self.portal_partner.login).text
        self.assertIn("Alfa Client JSC", page)
        self.assertIn("7 ×", page)
        self.assertNotIn("Beta Client LLC", page)

    def test_partner_searches_and_pages_its_clients(self):
        Partner = self.env["res.partner"]
        extra = Partner.create(
            [
                {
                    "name": f"Paged Client {index:02d}",
                    "is_company": True,
                    "octowatch_owner_id": self.channel_partner.id,
                }
                for index in range(85)
            ]
        )
        self.authenticate(self.portal_partner.login, self.portal_partner.login)
        first = self._get("/my/clients", None).text
        self.assertIn("Alfa Client JSC", first)
        self.assertIn("/my/clients/page/2", first)
        self.assertNotIn("Paged Client 84", first, "80 clients a page, by name")
        second = self._get("/my/clients/page/2", None).text
        self.assertIn("Paged Client 84", second)
        found = self._get("/my/clients?search=alfa&search_in=name", None).text
        self.assertIn("Alfa Client JSC", found)
        self.assertNotIn("Paged Client", found)
        found = self._get(f"/my/clients?search={self.customer_alfa.vat}", None).text
        self.assertIn("Alfa Client JSC", found)
        self.assertNotIn("Paged Client", found)
        newest = self._get("/my/clients?sortby=newest", None).text
        self.assertIn(extra[-1].name, newest)
        self.assertIn(
            "No client matches your search.",
            self._get("/my/clients?search=Beta", None).text,
            "another partner's client is not found",
        )

    def test_end_customer_searches_licences(self):
        self.authenticate(self.portal_client.login, self.portal_client.login)
        page = self._get("/my/licenses?search=TSTD&search_in=version", None).text
        self.assertIn("OctoWatch Standard", page)
        page = self._get("/my/licenses?search=Enterprise&search_in=version", None)
        self.assertIn("No licence matches your search.", page.text)

    def test_agent_gets_no_partner_pages(self):
        response = self._get("/my/clients", self.portal_agent.login)
        self.assertNotIn("Alfa Client JSC", response.text)
        self.assertTrue(response.url.endswith("/my"), "an agent is sent back home")
        page = self._get("/my/licenses", None).text
        self.assertIn("Beta Client LLC", page, "the agent's own client")
        self.assertNotIn("Alfa Client JSC", page)

    def test_partner_price_page(self):
        page = self._get("/my/prices", self.portal_partner.login).text
        self.assertIn("Your price", page)
        self.assertIn("70.00", page)
        self.assertIn("100.00", page)

    def test_public_published_prices(self):
        page = self._get("/octowatch/prices", None).text
        self.assertIn("OctoWatch published prices", page)
        self.assertIn("TSTD", page)
        self.assertIn("100.00", page)
        self.assertIn("200.00", page)
        self.assertNotIn("70.00", page, "no partner price for the public")

    def test_home_counters(self):
        self.authenticate(self.portal_partner.login, self.portal_partner.login)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["octowatch_license_count", "octowatch_client_count"]},
        )
        self.assertEqual(counters["octowatch_client_count"], 1)
        self.assertEqual(counters["octowatch_license_count"], 1)
