# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading

import psycopg2.errors

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import TIN_NEW, OctowatchChannelCommon

ROUNDS = 10


@tagged("post_install", "-at_install")
class TestAccountEmail(OctowatchChannelCommon):
    """One OctoWatch account email is one end customer per company (case 11)."""

    def _end_customer(self, email, **vals):
        return self.env["res.partner"].create(
            {
                "name": f"Customer of {email}",
                "email": email,
                "octowatch_is_end_customer": True,
                **vals,
            }
        )

    def test_database_refuses_a_second_end_customer(self):
        first = self._end_customer("Shared@Example.com")
        self.assertEqual(first.octowatch_account_email, "shared@example.com")
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self._end_customer(
                "other@example.com"
            ).octowatch_account_email = "SHARED@example.com"
            self.env.flush_all()

    def test_contacts_other_companies_and_non_customers_are_free(self):
        first = self._end_customer("shared@example.com")
        self.env["res.partner"].create(
            [
                # A contact of the customer, who often has the same address.
                {"name": "Its admin", "parent_id": first.id, "email": "shared@x.com"},
                {"name": "Same mailbox", "email": "shared@example.com"},
            ]
        )
        first.child_ids.email = "shared@example.com"
        self._end_customer("shared@example.com", company_id=self.company_2.id)
        self.env.flush_all()

    def test_second_partner_refused_without_naming_anyone(self):
        first = self._invoice_request(
            account_email="new@client.example", company_name="New Client"
        )
        first.action_confirm()
        second = self._invoice_request(
            requester_id=self.person_partner.id, account_email="NEW@client.example"
        )
        second.action_confirm()
        self.assertEqual(second.state, "rejected")
        self.assertIn("Already attached", second.rejection_reason)
        for secret in ("New Client", self.channel_partner.name):
            self.assertNotIn(secret, second.rejection_reason)
        self.assertFalse(second.end_customer_id)
        self.assertFalse(second.sale_order_id)
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("octowatch_account_email", "=", "new@client.example")]
            ),
            1,
        )

    def test_a_look_alike_address_is_the_same_account(self):
        """Full-width letters or an invisible character make no second account of
        the Partner's client it@alfa.example.com."""
        for look_alike in ("ＩＴ@alfa.example.com", "it\u200b@alfa.example.com"):
            with self.subTest(look_alike=look_alike):
                request = self._invoice_request(
                    requester_id=self.person_partner.id, account_email=look_alike
                )
                self.assertEqual(request.account_email, "it@alfa.example.com")
                request.action_confirm()
                self.assertEqual(request.state, "rejected")
                self.assertIn("Already attached", request.rejection_reason)
        customer = self._end_customer("ｎｅｗ\u200b@Client.Example")
        self.assertEqual(customer.octowatch_account_email, "new@client.example")

    def test_the_index_decides_what_this_transaction_cannot_see(self):
        """An end customer the search does not see (here archived, as one made by a
        concurrent transaction): the index refuses the second, the request gets a
        clean refusal and nothing is created."""
        self._end_customer(
            "hidden@client.example",
            active=False,
            octowatch_owner_id=self.person_partner.id,
        )
        partners = self.env["res.partner"].with_context(active_test=False)
        before = partners.search_count([])
        request = self._invoice_request(
            account_email="hidden@client.example", company_name="Hidden Client LLC"
        )
        with mute_logger("odoo.sql_db"):
            request.with_user(self.user_channel).action_confirm()
        self.assertEqual(request.state, "rejected")
        self.assertIn("Already in use", request.rejection_reason)
        self.assertNotIn(self.person_partner.name, request.rejection_reason)
        self.assertFalse(request.sale_order_id)
        self.assertEqual(partners.search_count([]), before)

    def test_attribution_and_deal_refused_when_the_account_is_taken(self):
        """A contact that is no end customer yet, whose email is another end
        customer's account: attaching it (attribution, deal by its TIN) would make
        two; both are refused cleanly."""
        mailbox = self.env["res.partner"].create(
            {
                "name": "Self Registered Co",
                "is_company": True,
                "country_id": self.russia.id,
                "vat": TIN_NEW,
                "email": "taken@client.example",
            }
        )
        self._end_customer(
            "taken@client.example", octowatch_owner_id=self.channel_partner.id
        )
        attribution = self.env["octowatch.channel.request"].create(
            {
                "request_type": "attribution",
                "requester_id": self.agent_contact.id,
                "account_email": "taken@client.example",
            }
        )
        with mute_logger("odoo.sql_db"):
            attribution.action_confirm()
            deal = self.env["octowatch.deal.registration"]._register_deal(
                self.agent_2, TIN_NEW, "", self.product_std, 2
            )
        self.assertEqual(attribution.state, "rejected")
        self.assertEqual(deal.state, "rejected")
        self.assertIn("account email is already", deal.rejection_reason)
        self.assertFalse(mailbox.octowatch_owner_id)
        self.assertFalse(mailbox.octowatch_is_end_customer)


@tagged("post_install", "-at_install")
class TestAccountEmailConcurrency(TransactionCase):
    """Two Partners' invoice requests for one new account email, confirmed at the
    same instant by two workers (case 11).

    As in ``test_deal_concurrency``, each confirmation runs in a thread on its own
    committed cursor; what they create is committed and deleted at the end.
    """

    def _committed_env(self):
        return api.Environment(self.registry.cursor(), SUPERUSER_ID, {})

    def _create_committed_data(self):
        env = self._committed_env()
        with env.cr:
            product = (
                env["product.template"]
                .create(
                    {
                        "name": "OctoWatch Account Race Edition",
                        "type": "service",
                        "list_price": 100.0,
                        "octowatch_is_license": True,
                        "octowatch_version_code": "TACCRACE",
                    }
                )
                .product_variant_id
            )
            pricelist = env["product.pricelist"].create(
                {"name": "Race partner prices", "octowatch_is_partner_pricelist": True}
            )
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Race Reseller {i}",
                        "is_company": True,
                        "octowatch_role": "partner",
                        "property_product_pricelist": pricelist.id,
                        "child_ids": [
                            Command.create(
                                {"name": f"Race Contact {i}", "email": f"r{i}@race.ex"}
                            )
                        ],
                    }
                    for i in range(2)
                ]
            )
            requests = env["octowatch.channel.request"].create(
                [
                    {
                        "request_type": "invoice",
                        "requester_id": partner.child_ids.id,
                        "account_email": f"account{round_}@race.example",
                        "company_name": f"Race {round_} LLC",
                        "product_id": product.id,
                        "license_qty": 1,
                        "resale_price_unit": 1000000.0,
                        "payment_method": "bank_transfer",
                    }
                    for round_ in range(ROUNDS)
                    for partner in partners
                ]
            )
            return {
                "product": product.id,
                "pricelist": pricelist.id,
                "partners": partners.ids,
                "requests": requests.ids,
            }

    def _delete_committed_data(self, data):
        env = self._committed_env()
        with env.cr:
            requests = env["octowatch.channel.request"].browse(data["requests"])
            orders = requests.sale_order_id
            customers = env["res.partner"].search(
                [("octowatch_account_email", "=like", "account%@race.example")]
            )
            requests.unlink()
            orders.unlink()
            partners = env["res.partner"].browse(data["partners"])
            (customers | partners.child_ids | partners).unlink()
            env["product.pricelist"].browse(data["pricelist"]).unlink()
            env["product.product"].browse(data["product"]).product_tmpl_id.unlink()

    def _confirm_in_thread(self, env, barrier, request_id, results, index):
        try:
            with env.cr:
                # Both transactions start before either confirms: neither can see
                # the other's customer, only the unique index can tell them apart.
                env.cr.execute("SELECT 1")
                barrier.wait(timeout=20)
                request = env["octowatch.channel.request"].browse(request_id)
                request.action_confirm()
                results[index] = (request.state, request.rejection_reason)
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            results[index] = exc
            barrier.abort()

    def test_simultaneous_confirmations_make_one_end_customer(self):
        data = self._create_committed_data()
        try:
            for round_ in range(ROUNDS):
                pair = data["requests"][2 * round_ : 2 * round_ + 2]
                with self.assertLogs("odoo.sql_db", level="ERROR") as logs:
                    barrier = threading.Barrier(2)
                    results = [None, None]
                    threads = [
                        threading.Thread(
                            target=self._confirm_in_thread,
                            args=(
                                self._committed_env(),
                                barrier,
                                request_id,
                                results,
                                i,
                            ),
                        )
                        for i, request_id in enumerate(pair)
                    ]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join(timeout=60)
                    for result in results:
                        self.assertIsNotNone(result, f"round {round_}: a confirm hung")
                        if isinstance(result, Exception):
                            self.fail(f"round {round_}: a confirm failed: {result!r}")
                self.assertEqual(
                    sorted(state for state, _reason in results),
                    ["done", "rejected"],
                    f"round {round_}",
                )
                reason = next(r for s, r in results if s == "rejected")
                self.assertIn("Already in use", reason)
                self.assertNotIn("Race Reseller", reason)
                self.assertIn("octowatch_unique_account_email", "\n".join(logs.output))
            env = self._committed_env()
            with env.cr:
                customers = env["res.partner"].search(
                    [("octowatch_account_email", "=like", "account%@race.example")]
                )
                self.assertEqual(len(customers), ROUNDS, "one end customer per email")
                requests = env["octowatch.channel.request"].browse(data["requests"])
                self.assertEqual(len(requests.sale_order_id), ROUNDS, "one order each")
        finally:
            self._delete_committed_data(data)
