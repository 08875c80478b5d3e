# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import (
    TIN_GAMMA,
    TIN_NEW,
    TIN_NEW_2,
    TIN_PERSON_NEW,
    TIN_SPARE,
    DealCommon,
)


@tagged("post_install", "-at_install")
class TestDealPortal(DealCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deal = cls._register_deal(tin=TIN_NEW, name="Own Client LLC")
        cls.foreign_deal = cls._register_deal(
            agent=cls.agent_2, tin=TIN_NEW_2, name="Foreign Client LLC"
        )

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def test_record_rules(self):
        Deal = self.env["octowatch.deal.registration"]
        self.assertEqual(Deal.with_user(self.portal_agent).search([]), self.deal)
        self.assertEqual(
            Deal.with_user(self.portal_agent_2).search([]), self.foreign_deal
        )
        self.assertFalse(Deal.with_user(self.portal_partner).search([]))
        with self.assertRaises(AccessError):
            self.foreign_deal.with_user(self.portal_agent).read(["tin"])
        with self.assertRaises(AccessError):
            self.deal.with_user(self.portal_agent).write({"license_qty": 99})

    def test_search_own_deals(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        page = self.url_open(f"/my/deals?search={TIN_NEW}&search_in=tin").text
        self.assertIn("Own Client LLC", page)
        page = self.url_open("/my/deals?search=Foreign").text
        self.assertIn("No deal matches your search or filter.", page)
        self.assertNotIn("Foreign Client LLC", page)
        self.assertNotIn(TIN_NEW_2, page)

    def test_home_and_list_show_own_deals(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        home = self.url_open("/my")
        self.assertIn("/my/deals", home.text)
        page = self.url_open("/my/deals?sortby=state")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.deal.name, page.text)
        self.assertIn("Own Client LLC", page.text)
        self.assertNotIn(self.foreign_deal.name, page.text)
        self.assertNotIn("Foreign Client LLC", page.text)

    def test_status_filter_and_previous_next_arrows(self):
        won = self._register_deal(tin=TIN_PERSON_NEW, name="Won Client")
        won.state = "won"
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        own_link = f'href="/my/deals/{self.deal.id}"'
        won_link = f'href="/my/deals/{won.id}"'
        page = self.url_open("/my/deals?filterby=won").text
        self.assertIn(won_link, page)
        self.assertNotIn(own_link, page)
        page = self.url_open("/my/deals?filterby=open").text
        self.assertIn(own_link, page)
        self.assertNotIn(won_link, page)
        self.assertIn(
            "No deal matches your search or filter.",
            self.url_open("/my/deals?filterby=closed").text,
        )
        # The list just seen, newest first: the won deal, then the open one. The
        # arrows of a record page follow it, as on Odoo's own portal pages.
        self.url_open("/my/deals?sortby=date")
        page = self.url_open(f"/my/deals/{won.id}").text
        self.assertIn("record_pager", page)
        self.assertIn(own_link, page)
        page = self.url_open(f"/my/deals/{self.deal.id}").text
        self.assertIn(won_link, page)
        self.assertNotIn(f'href="/my/deals/{self.foreign_deal.id}"', page)

    def test_home_without_deal_tile_for_a_partner(self):
        self.authenticate("ow_portal_partner", "ow_portal_partner")
        self.assertNotIn("/my/deals", self.url_open("/my").text)
        self.assertEqual(self.url_open("/my/deals/new").status_code, 403)

    def test_foreign_deal_is_not_found(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        own = self.url_open(f"/my/deals/{self.deal.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn(self.deal.name, own.text)
        self.assertIn("Request Invoice", own.text)
        foreign = self.url_open(f"/my/deals/{self.foreign_deal.id}")
        self.assertSentHome(foreign)
        self.assertNotIn("Foreign Client LLC", foreign.text)
        self.assertSentHome(self.url_open("/my/deals/999999999"))

    def test_request_invoice_from_the_portal(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        token = self._csrf(f"/my/deals/{self.deal.id}")
        foreign = self.url_open(
            f"/my/deals/{self.foreign_deal.id}/request_invoice",
            data={"csrf_token": token},
        )
        self.assertSentHome(foreign)
        self.assertEqual(self.foreign_deal.state, "registered")

        response = self.url_open(
            f"/my/deals/{self.deal.id}/request_invoice", data={"csrf_token": token}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.deal.state, "invoiced")
        order = self.deal.sale_order_id.sudo()
        self.assertEqual(order.partner_id, self.deal.end_customer_id)
        self.assertIn(order.name, response.text)
        self.assertNotIn("Request Invoice", response.text)

        again = self.url_open(
            f"/my/deals/{self.deal.id}/request_invoice", data={"csrf_token": token}
        )
        self.assertIn("only a registered deal can be invoiced", again.text)
        self.assertEqual(self.deal.sale_order_id.sudo(), order)

    def test_request_invoice_needs_the_csrf_token(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/my/deals/{self.deal.id}/request_invoice", data={"x": "1"}
            )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.deal.state, "registered")

    def test_register_through_the_form(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        token = self._csrf("/my/deals/new")
        form = {
            "csrf_token": token,
            "tin": TIN_PERSON_NEW,
            "company_name": "IE Portal Client",
            "product_id": str(self.product_ent.id),
            "license_qty": "7",
        }
        response = self.url_open("/my/deals/new", data=form)
        self.assertEqual(response.status_code, 200)
        deal = self.Deal.search([("tin", "=", TIN_PERSON_NEW)])
        self.assertRecordValues(
            deal,
            [
                {
                    "agent_id": self.agent.id,
                    "state": "registered",
                    "product_id": self.product_ent.id,
                    "license_qty": 7,
                    "company_name": "IE Portal Client",
                }
            ],
        )
        self.assertTrue(response.url.endswith(f"/my/deals/{deal.id}"))

        taken = self.url_open(
            "/my/deals/new", data={**form, "tin": TIN_NEW_2, "company_name": "X"}
        )
        rejected = self.Deal.search(
            [("tin", "=", TIN_NEW_2), ("agent_id", "=", self.agent.id)]
        )
        self.assertEqual(rejected.state, "rejected")
        self.assertIn("Already registered", taken.text)
        self.assertNotIn(self.agent_2.name, taken.text)

    def test_form_shows_validation_errors(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        token = self._csrf("/my/deals/new")
        deals_before = self.Deal.search_count([])
        cases = [
            ({"tin": "7723456781"}, "check digits"),
            ({"license_qty": "0"}, "Licences is missing."),
            ({"license_qty": "many"}, "Licences &#34;many&#34; is not a whole number."),
            ({"product_id": str(self.product_commission.id)}, "Choose the OctoWatch"),
        ]
        for change, message in cases:
            with self.subTest(**change):
                data = {
                    "csrf_token": token,
                    "tin": "7745678901",
                    "company_name": "Typo LLC",
                    "product_id": str(self.product_std.id),
                    "license_qty": "3",
                    **change,
                }
                response = self.url_open("/my/deals/new", data=data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn('value="Typo LLC"', response.text)
        self.assertEqual(self.Deal.search_count([]), deals_before)

    def test_every_way_leaves_a_request_and_sends_the_same_email(self):
        """A deal registered on the portal, by email and by staff: each is a channel
        request, decided first come first served and answered with the same
        template: the acknowledgement when registered, the rejection when taken."""
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        token = self._csrf("/my/deals/new")

        def portal(tin, name):
            self.url_open(
                "/my/deals/new",
                data={
                    "csrf_token": token,
                    "tin": tin,
                    "company_name": name,
                    "product_id": str(self.product_std.id),
                    "license_qty": "2",
                },
            )

        def email(tin, name):
            self.process_email(
                f"TIN: {tin}\nCompany: {name}\nVersion: TSTD\nLicenses: 2\n",
                email_from="contact@agent.example.com",
            )

        def staff(tin, name):
            self.env["octowatch.deal.register"].create(
                {
                    "agent_id": self.agent.id,
                    "tin": tin,
                    "company_name": name,
                    "product_id": self.product_std.id,
                    "license_qty": 2,
                }
            ).action_register()

        ways = {"portal": portal, "email": email, "manual": staff}
        free_tins = {"portal": TIN_PERSON_NEW, "email": TIN_SPARE, "manual": TIN_GAMMA}
        for source, register in ways.items():
            with self.subTest(source=source):
                # A free TIN is registered, the agent's own taken one is refused.
                for tin, state, subject in (
                    (free_tins[source], "registered", "Request %s received"),
                    (TIN_NEW, "rejected", "Request %s rejected"),
                ):
                    name = f"{source.title()} {state.title()} LLC"
                    register(tin, name)
                    deal = self.Deal.search([("company_name", "=", name)])
                    self.assertEqual(deal.state, state)
                    request = deal.request_id
                    self.assertRecordValues(
                        request,
                        [
                            {
                                "request_type": "deal",
                                "source": source,
                                "deal_id": deal.id,
                                "state": "done" if state == "registered" else state,
                            }
                        ],
                    )
                    mail = request.message_ids.filtered(
                        lambda m, r=request: m.partner_ids == r.requester_id
                    )
                    self.assertEqual(mail.mapped("subject"), [subject % request.name])
                    if state == "registered":
                        self.assertIn(deal.name, mail.body)
                        self.assertIn(name, mail.body)
                    else:
                        self.assertIn("Already registered by you", mail.body)
