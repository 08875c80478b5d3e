# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
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
        # The public page shows the prices of the public user's company.
        public = cls.env.ref("base.public_user").sudo()
        public.write(
            {
                "company_ids": [Command.link(cls.company.id)],
                "company_id": cls.company.id,
            }
        )

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

    def test_partner_ledger_sorted_by_customer(self):
        """The newest entry first by default, the customers by name when asked; the
        balances above it are each client's, whatever the order."""
        zeta = self.env["res.partner"].create(
            {
                "name": "Zeta Client LLC",
                "is_company": True,
                "octowatch_owner_id": self.channel_partner.id,
            }
        )
        invoice = self._create_invoice_for(zeta, [(self.product_std, 3, 100.0)])
        invoice.action_post()
        self._register_payment(invoice)
        self.authenticate(self.portal_partner.login, self.portal_partner.login)
        for url, first, second in (
            ("/my/licenses", "Zeta Client LLC", "Alfa Client JSC"),
            ("/my/licenses?sortby=customer", "Alfa Client JSC", "Zeta Client LLC"),
        ):
            with self.subTest(url=url):
                page = self._get(url, None).text
                balances, ledger = page.split("Ledger", 1)
                self.assertLess(
                    balances.index("Alfa Client JSC"), balances.index("Zeta")
                )
                for name, qty in (("Alfa Client JSC", 7), ("Zeta Client LLC", 3)):
                    self.assertRegex(
                        balances,
                        rf"{name}\s*</td>\s*<td>[^<]*</td>\s*<td[^>]*>\s*{qty}\s*</td>",
                    )
                self.assertLess(ledger.index(first), ledger.index(second))

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

    def test_price_pages_show_the_breaks_and_dates_of_the_floor(self):
        self.pricelist_published.write(
            {
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.product_std.id,
                            "min_quantity": 100,
                            "compute_price": "fixed",
                            "fixed_price": 90.0,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.product_ent.id,
                            "date_start": "2099-01-01 00:00:00",
                            "compute_price": "fixed",
                            "fixed_price": 220.0,
                        }
                    ),
                ]
            }
        )
        page = self._get("/octowatch/prices", None).text
        self.assertIn(f"<title>OctoWatch prices | {self.company.name}</title>", page)
        rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
        std = [row for row in rows if "TSTD" in row]
        self.assertEqual(len(std), 2, "from 1 and from 100 licences")
        self.assertIn("100.00", std[0])
        self.assertIn("from 100", std[1])
        self.assertIn("90.00", std[1])
        ent = [row for row in rows if "TENT" in row]
        self.assertIn("200.00", ent[0])
        self.assertIn("as of 01/01/2099", ent[1])
        self.assertIn("220.00", ent[1])
        self.assertIn(self.tax_sale_a.name, std[0], "the tax added on top")
        self.assertIn("before tax", page)
        partner_page = self._get("/my/prices", self.portal_partner.login).text
        self.assertIn("63.00", partner_page, "the partner's 30 % off the 100 break")
        self.assertIn(
            f"<title>OctoWatch prices | {self.company.name}</title>", partner_page
        )

    def test_vat_exempt_licences_say_so(self):
        exempt = self.env["account.tax"].create(
            {
                "name": "No VAT (registered software)",
                "amount": 0,
                "company_id": self.company.id,
            }
        )
        (self.product_std | self.product_ent).taxes_id = exempt
        page = self._get("/octowatch/prices", None).text
        self.assertIn("No VAT (registered software)", page)
        self.assertIn("article 149", page)

    def test_home_counters(self):
        self.authenticate(self.portal_partner.login, self.portal_partner.login)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["octowatch_license_count", "octowatch_client_count"]},
        )
        self.assertEqual(counters["octowatch_client_count"], 1)
        self.assertEqual(counters["octowatch_license_count"], 1)

    def test_price_pages_list_only_the_company_versions(self):
        """Another company's licence product is on none of the price pages."""
        foreign = (
            self.env["product.template"]
            .create(
                {
                    "name": "Kazakh Licence",
                    "type": "service",
                    "list_price": 55.0,
                    "octowatch_is_license": True,
                    "octowatch_version_code": "TKZ",
                    "company_id": self.company_2.id,
                }
            )
            .product_variant_id
        )
        Product = self.env["product.product"]
        self.assertIn(foreign, Product._octowatch_sellable_licenses(self.company_2))
        self.assertNotIn(foreign, Product._octowatch_sellable_licenses(self.company))
        self.env.flush_all()
        for url, login in (
            ("/octowatch/prices", None),
            ("/my/prices", self.portal_partner.login),
        ):
            with self.subTest(url=url):
                page = self._get(url, login).text
                self.assertIn("TSTD", page)
                self.assertNotIn("TKZ", page)
                self.assertNotIn("Kazakh Licence", page)
