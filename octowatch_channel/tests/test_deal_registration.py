# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta
from unittest.mock import patch

import psycopg2.errors
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import (
    TIN_ALFA,
    TIN_NEW,
    TIN_NEW_2,
    TIN_PERSON_NEW,
    TIN_SIGMA,
    DealCommon,
)


@tagged("post_install", "-at_install")
class TestDealRegistration(DealCommon):
    def test_first_registration_wins_and_creates_the_customer(self):
        with freeze_time("2026-03-01 10:00:00"):
            deal = self._register_deal(tin="77 2345-6782", name=" New Client LLC ")
        self.assertEqual(deal.state, "registered")
        self.assertEqual(deal.tin, TIN_NEW)
        self.assertRegex(deal.name, r"^DEAL/2026/\d{4}$")
        self.assertEqual(deal.date_expiry, date(2026, 5, 30))
        self.assertFalse(deal.rejection_reason)
        customer = deal.end_customer_id
        self.assertRecordValues(
            customer,
            [
                {
                    "name": "New Client LLC",
                    "vat": TIN_NEW,
                    "country_id": self.russia.id,
                    "is_company": True,
                    "octowatch_legal_form": "legal_entity",
                    "octowatch_is_end_customer": True,
                    "octowatch_owner_id": self.agent.id,
                }
            ],
        )
        self.assertTrue(deal.customer_attached)
        self.assertIn(deal.name, customer.message_ids[0].body)

    def test_legal_form_follows_tin_length(self):
        deal = self._register_deal(tin=TIN_PERSON_NEW, name="IE Ivan Orlov")
        self.assertEqual(
            deal.end_customer_id.octowatch_legal_form, "individual_entrepreneur"
        )

    def test_validity_follows_settings(self):
        self.company.octowatch_deal_validity_days = 30
        with freeze_time("2026-03-01 10:00:00"):
            deal = self._register_deal()
        self.assertEqual(deal.date_expiry, date(2026, 3, 31))

    def test_existing_customer_found_by_tin(self):
        customer = self._own_customer()
        partners_before = self.env["res.partner"].search_count([])
        deal = self._register_deal(tin=TIN_NEW_2, name="Own, as the agent typed it")
        self.assertEqual(deal.state, "registered")
        self.assertEqual(deal.end_customer_id, customer)
        self.assertFalse(deal.customer_attached, "it already belonged to the agent")
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)

    def test_contact_of_the_agent_registers_for_the_agent(self):
        deal = self._register_deal(agent=self.agent_contact)
        self.assertEqual(deal.agent_id, self.agent)

    def test_second_agent_rejected_without_naming_the_first(self):
        first = self._register_deal()
        partners_before = self.env["res.partner"].search_count([])
        second = self._register_deal(agent=self.agent_2, name="New Client")
        self.assertEqual(second.state, "rejected")
        self.assertIn("Already registered", second.rejection_reason)
        for secret in (self.agent.name, self.agent.vat, first.name):
            self.assertNotIn(secret, second.rejection_reason)
        self.assertFalse(second.end_customer_id, "a refusal links no customer")
        self.assertFalse(second.date_expiry)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        self.assertEqual(first.state, "registered")
        self.assertEqual(first.end_customer_id.octowatch_owner_id, self.agent)

    def test_same_agent_twice(self):
        first = self._register_deal()
        again = self._register_deal(qty=20)
        self.assertEqual(again.state, "rejected")
        self.assertIn(first.name, again.rejection_reason)
        self.assertEqual(first.state, "registered")
        self.assertEqual(first.license_qty, 10)

    def test_registered_again_after_loss_or_expiry(self):
        first = self._register_deal()
        customer = first.end_customer_id
        first._action_lose("The customer chose a competitor")
        self.assertFalse(customer.octowatch_owner_id, "the lost deal frees it")

        second = self._register_deal(agent=self.agent_2)
        self.assertEqual(second.state, "registered")
        self.assertEqual(second.end_customer_id, customer)
        self.assertEqual(customer.octowatch_owner_id, self.agent_2)

        with freeze_time(second.date_expiry + timedelta(days=1)):
            self.Deal._cron_expire()
        self.assertEqual(second.state, "expired")
        self.assertFalse(customer.octowatch_owner_id)

        third = self._register_deal()
        self.assertEqual(third.state, "registered")
        self.assertEqual(customer.octowatch_owner_id, self.agent)

    def test_customer_attached_to_another_intermediary(self):
        deal = self._register_deal(tin=TIN_ALFA, name="Alfa")
        self.assertEqual(deal.state, "rejected")
        self.assertIn("Already attached", deal.rejection_reason)
        self.assertNotIn(self.channel_partner.name, deal.rejection_reason)
        self.assertEqual(self.customer_alfa.octowatch_owner_id, self.channel_partner)
        # The TIN is not held by the rejection: its owner's agent could register it.
        self.assertFalse(
            self.Deal.search([("tin", "=", TIN_ALFA), ("state", "=", "registered")])
        )

    def test_tin_of_a_channel_member_rejected(self):
        deal = self._register_deal(agent=self.agent_2, tin=TIN_SIGMA, name="Sigma")
        self.assertEqual(deal.state, "rejected")
        self.assertIn("belongs to an OctoWatch Partner or Agent", deal.rejection_reason)

    def test_invalid_input_raises_and_stores_nothing(self):
        deals_before = self.Deal.search_count([])
        cases = [
            ({"tin": "7723456781"}, "check digits"),
            ({"tin": "12345"}, "10 digits"),
            ({"tin": "77234567AB"}, "only digits"),
            ({"tin": ""}, "only digits"),
            ({"agent": self.channel_partner}, "not an OctoWatch Agent"),
            ({"agent": self.customer_beta}, "not an OctoWatch Agent"),
            ({"qty": 0}, "Licences is missing"),
            ({"qty": -3}, "positive number"),
            ({"product": self.product_commission}, "not an OctoWatch version"),
            ({"name": ""}, "Company Name is required"),
        ]
        for kwargs, message in cases:
            with (
                self.subTest(**kwargs),
                self.assertRaisesRegex(ValidationError, message),
            ):
                self._register_deal(**kwargs)
        self.assertEqual(self.Deal.search_count([]), deals_before)

    def test_one_live_deal_per_company(self):
        first = self._register_deal()
        other = self.Deal._register_deal(
            self.agent, TIN_NEW, "New Client LLC", self.product_std, 5, self.company_2
        )
        self.assertEqual(other.state, "registered")
        self.assertEqual(other.company_id, self.company_2)
        self.assertEqual(first.state, "registered")

    def test_unique_index_decides_what_this_transaction_cannot_see(self):
        """Simulate a concurrent winner: the pre-check sees nothing, the index does."""
        first = self._register_deal()
        with (
            patch.object(type(self.Deal), "_get_rejection_reason", return_value=False),
            mute_logger("odoo.sql_db"),
        ):
            second = self._register_deal(agent=self.agent_2, tin=TIN_NEW)
        self.assertEqual(second.state, "rejected")
        self.assertIn("Already registered", second.rejection_reason)
        self.assertEqual(first.state, "registered")
        self.assertEqual(first.end_customer_id.octowatch_owner_id, self.agent)

    def test_serialization_failure_is_left_to_odoos_retry(self):
        """A concurrent update is not a lost race: the error leaves the savepoint
        untouched, with nothing stored, so that Odoo replays the whole request."""
        deals_before = self.Deal.search_count([])
        with (
            patch.object(
                type(self.Deal),
                "_create_registered",
                side_effect=psycopg2.errors.SerializationFailure(
                    "could not serialize access due to concurrent update"
                ),
            ),
            self.assertRaises(psycopg2.errors.SerializationFailure),
        ):
            self._register_deal()
        self.assertEqual(self.Deal.search_count([]), deals_before)

    def test_database_refuses_two_live_deals(self):
        self._register_deal()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Deal.create(
                {
                    "agent_id": self.agent_2.id,
                    "tin": TIN_NEW,
                    "company_name": "Bypass",
                    "product_id": self.product_std.id,
                    "license_qty": 1,
                }
            )

    def test_registration_query_count_is_bounded(self):
        self._register_deal(tin=TIN_PERSON_NEW, name="Warm-up")
        self.env.invalidate_all()
        with self.assertQueryCount(30):
            self._register_deal()
