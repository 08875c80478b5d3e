# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestAgencyAgreement(OctowatchChannelCommon):
    def _agreement(self, **vals):
        return self.env["octowatch.agency.agreement"].create(
            {"agent_id": self.agent.id, "commission_rate": 15.0} | vals
        )

    def test_reference_from_sequence(self):
        self.assertTrue(self.agreement.name.startswith("AGR/"))
        other = self._agreement(date_start="2019-01-01", date_end="2019-12-31")
        self.assertNotEqual(other.name, self.agreement.name)

    def test_a_batch_takes_consecutive_references_at_once(self):
        """References in the order of the batch, each once, from a standard or a
        gapless sequence; a standard one gives the lot in one query."""
        Agreement = self.env["octowatch.agency.agreement"]
        sequence = Agreement._octowatch_sequence(self.company)

        def agreements(count, first_year):
            return [
                {
                    "agent_id": self.agent.id,
                    "commission_rate": 15.0,
                    "date_start": f"{first_year + year}-01-01",
                    "date_end": f"{first_year + year}-12-31",
                }
                for year in range(count)
            ]

        def queries(vals_list):
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            names = Agreement.create(vals_list).mapped("name")
            self.env.flush_all()
            return names, self.env.cr.sql_log_count - before

        prefix = sequence._get_prefix_suffix()[0]
        for implementation, first_year in (("standard", 2000), ("no_gap", 2010)):
            with self.subTest(implementation=implementation):
                sequence.implementation = implementation
                names, _queries = queries(agreements(3, first_year))
                numbers = [int(name.removeprefix(prefix)) for name in names]
                self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 3)))
                self.assertEqual(
                    sequence._next(), f"{prefix}{numbers[-1] + 1:04d}", "the next one"
                )
        # Caches warm (above): four references take no query more than two.
        sequence.implementation = "standard"
        _names, two = queries(agreements(2, 1980))
        _names, four = queries(agreements(4, 1990))
        self.assertEqual(four, two)

    def test_overlapping_active_agreement_refused(self):
        overlapping = self._agreement(date_start="2024-06-01")
        self.assertEqual(overlapping.state, "draft", "a draft may overlap")
        with self.assertRaisesRegex(
            ValidationError, "one active agreement per company"
        ):
            overlapping.action_activate()

    def test_successive_agreements_allowed(self):
        self.agreement.date_end = "2024-12-31"
        successor = self._agreement(date_start="2025-01-01", commission_rate=12.0)
        successor.action_activate()
        self.assertEqual(successor.state, "active")
        Agreement = self.env["octowatch.agency.agreement"]
        self.assertEqual(
            Agreement._get_valid_agreement(
                self.agent, self.company, date(2024, 12, 31)
            ),
            self.agreement,
        )
        self.assertEqual(
            Agreement._get_valid_agreement(self.agent, self.company, date(2025, 1, 1)),
            successor,
        )
        self.assertFalse(
            Agreement._get_valid_agreement(self.agent, self.company, date(2019, 1, 1))
        )

    def test_other_company_allowed(self):
        other = self._agreement(date_start="2024-01-01", company_id=self.company_2.id)
        other.action_activate()
        self.assertEqual(other.state, "active")

    def test_agent_role_required(self):
        with self.assertRaisesRegex(ValidationError, "is not an OctoWatch Agent"):
            self._agreement(agent_id=self.channel_partner.id)

    def test_rate_bounds(self):
        for rate in (0.0, -5.0, 100.5):
            with (
                self.subTest(rate=rate),
                self.assertRaises(IntegrityError),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self._agreement(commission_rate=rate, date_start="2019-01-01")

    def test_dates_order(self):
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self._agreement(date_start="2019-02-01", date_end="2019-01-01")

    def test_bank_account_of_agent(self):
        foreign_bank = self.env["res.partner.bank"].create(
            {
                "partner_id": self.channel_partner.id,
                "acc_number": "40702810000000000099",
            }
        )
        with self.assertRaisesRegex(ValidationError, "not to the agent"):
            self.agreement.bank_account_id = foreign_bank

    def test_terminate_sets_end_date(self):
        with freeze_time("2026-03-15"):
            self.agreement.action_terminate()
        self.assertEqual(self.agreement.state, "terminated")
        self.assertEqual(self.agreement.date_end, date(2026, 3, 15))
        with self.assertRaisesRegex(UserError, "only active agreements"):
            self.agreement.action_terminate()

    def test_expiry_cron(self):
        self.agreement.date_end = "2026-01-31"
        Agreement = self.env["octowatch.agency.agreement"]
        with freeze_time("2026-01-31"):
            Agreement._cron_expire()
        self.assertEqual(self.agreement.state, "active", "still valid on its last day")
        with freeze_time("2026-02-01"):
            Agreement._cron_expire()
        self.assertEqual(self.agreement.state, "expired")

    def test_only_drafts_deleted(self):
        with self.assertRaisesRegex(UserError, "Only draft"):
            self.agreement.unlink()
        draft = self._agreement(date_start="2019-01-01")
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_agreement_smart_button(self):
        self.assertEqual(self.agent.octowatch_agreement_count, 1)
        action = self.agent.action_view_octowatch_agreements()
        self.assertEqual(
            self.env["octowatch.agency.agreement"].search(action["domain"]),
            self.agreement,
        )
