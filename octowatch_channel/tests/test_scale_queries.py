# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The hot paths take queries that don't grow with their records, and run none of the
addon's work where there is nothing to do (bench/ measures the times at scale)."""

from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from .common import TIN_NEW, TIN_SPARE
from .test_channel_request_gateway import INVOICE_EN
from .test_commission import CommissionCase

# The queries of one invoice request by email, read, checked and acknowledged, from
# a clean cache (bench_channel_inbox.py compares the door with Odoo's bare gateway).
INBOX_EMAIL_QUERIES = 72


@tagged("post_install", "-at_install")
class TestScaleQueries(CommissionCase, HttpCase):
    def _queries(self, function):
        """The queries ``function`` takes, from a clean cache to written rows."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def _paid_licences(self, partner, lines):
        invoice = self._create_invoice_for(partner, lines)
        invoice.action_post()
        self._register_payment(invoice)
        return invoice

    def test_settling_takes_the_same_queries_for_more_lines(self):
        """One report and bill for the agent, from one commission line or from
        four: the lines are read, grouped and written by batches."""

        def settle_and_accept(date_to):
            self._settle_reports(date_to)._octowatch_accept()

        _deal, warm_up = self._deal_invoice()
        self._pay(warm_up, day="2026-03-15")
        self._queries(lambda: settle_and_accept("2026-03-31"))
        _deal, one = self._deal_invoice(tin=TIN_NEW, name="New Client LLC")
        self._pay(one, day="2026-04-15")
        one_line = self._queries(lambda: settle_and_accept("2026-04-30"))
        _deal, four = self._deal_invoice(tin=TIN_SPARE, name="Spare Client LLC")
        share = four.amount_total / 4
        for day in ("2026-05-04", "2026-05-11", "2026-05-18"):
            self._pay(four, amount=share, day=day)
        self._pay(four, day="2026-05-25")
        lines = self.Line.search([("move_id", "=", four.id)])
        self.assertEqual(len(lines), 4)
        four_lines = self._queries(lambda: settle_and_accept("2026-05-31"))
        self.assertEqual(set(lines.mapped("state")), {"settled"})
        self.assertEqual(lines.report_id.state, "accepted")
        self.assertEqual(lines.bill_id.state, "posted")
        self.assertEqual(lines.report_id.amount_untaxed, 100.0)
        self.assertLessEqual(four_lines, one_line)

    def test_writing_a_journal_item_runs_no_payment_hook(self):
        """Odoo undoes the reconciliation of its statement lines on every write of
        a journal item, most often of none: no matching, payment or move at all.
        The addon's hooks on undone payments, reset and deleted moves then have
        nothing to do and are not run (they took as long as Odoo's own undoing, on
        each of the 204 line writes of a settlement's 20 bills). An undone payment
        still gives its commission back (TestCommissionAccrual)."""
        draft = self._create_invoice_for(
            self.customer_beta, [(self.product_std, 1, 100.0)]
        )
        calls = []

        def record(name):
            def hook(records, *args, **kwargs):
                calls.append((name, records, args, kwargs))

            return hook

        Line = self.registry["octowatch.commission.line"]
        Move = self.registry["account.move"]
        with (
            patch.object(Line, "_reverse_for_partials", record("give back")),
            patch.object(Line, "search_count", record("settled lines counted")),
            patch.object(Move, "_octowatch_release_commission", record("release")),
            patch.object(Move, "_octowatch_suspend_licenses", record("suspend")),
        ):
            draft.invoice_line_ids[:1].write({"quantity": 2.0})
            self.env["account.bank.statement.line"].action_undo_reconciliation()
            self.env.flush_all()
        self.assertEqual(draft.invoice_line_ids[:1].quantity, 2.0)
        self.assertEqual(calls, [])

    def test_licence_counts_grouped_for_all_partners(self):
        self._paid_licences(self.customer_alfa, [(self.product_std, 7, 100.0)])
        self._paid_licences(
            self.customer_beta,
            [(self.product_std, 2, 100.0), (self.product_ent, 1, 200.0)],
        )
        Partner = self.env["res.partner"]
        few = self.channel_partner | self.customer_alfa
        many = (
            few
            | self.customer_alfa_contact
            | self.customer_beta
            | self.agent
            | self.agent_2
            | self.person_partner
            | self.channel_partner_contact
        )
        few_queries = self._queries(lambda: few.mapped("octowatch_license_count"))
        many_queries = self._queries(lambda: many.mapped("octowatch_license_count"))
        self.assertLessEqual(many_queries, few_queries)
        License = self.env["octowatch.license"]
        for partner in many:
            self.assertEqual(
                partner.octowatch_license_count,
                License.search_count(partner._octowatch_license_domain()),
                partner.display_name,
            )
        self.assertEqual(self.customer_alfa_contact.octowatch_license_count, 1)
        self.assertEqual(self.customer_beta.octowatch_license_count, 2)
        self.assertFalse(Partner.new({"name": "Draft"}).octowatch_license_count)

    def test_my_licenses_takes_the_same_queries_for_more_entries(self):
        """The balances are summed by the database: more entries, same queries."""
        self._paid_licences(self.customer_alfa, [(self.product_std, 7, 100.0)])
        self.authenticate(self.portal_client.login, self.portal_client.login)

        def page():
            response = self.url_open("/my/licenses")
            self.assertEqual(response.status_code, 200)
            return response.text

        page()  # the routes and templates compiled once
        one_entry = self._queries(page)
        self._paid_licences(
            self.customer_alfa,
            [
                (self.product_std, 3, 100.0),
                (self.product_std, 2, 100.0),
                (self.product_ent, 4, 200.0),
            ],
        )
        more_entries = self._queries(page)
        self.assertLessEqual(more_entries, one_entry)
        text = page()
        self.assertIn("OctoWatch Enterprise", text)
        self.assertIn(">12<", text.replace(" ", "").replace("\n", ""))

    def test_one_email_through_the_door_takes_bounded_queries(self):
        """An invoice request by email, read, checked and acknowledged, takes a
        bound of queries, and the eleventh email no more than the second: the
        queries don't grow with the inbox."""
        # Odoo's loop guard would stop a sender of many requests in a row.
        self.env["mail.gateway.allowed"].create(
            {"email": "contact@reseller.example.com"}
        )
        requests = self.env["octowatch.channel.request"]

        def receive(index):
            nonlocal requests
            requests |= self.process_email(INVOICE_EN, subject=f"Invoice {index}")

        receive(0)  # the templates compiled once
        second = self._queries(lambda: receive(1))
        for index in range(2, 10):
            receive(index)
        eleventh = self._queries(lambda: receive(10))
        self.assertEqual(len(requests), 11)
        self.assertEqual(set(requests.mapped("state")), {"new"})
        acknowledgements = self.env["mail.message"].search(
            [
                ("model", "=", requests._name),
                ("res_id", "in", requests.ids),
                ("message_type", "=", "auto_comment"),
            ]
        )
        self.assertEqual(len(acknowledgements), 11)
        self.assertLessEqual(second, INBOX_EMAIL_QUERIES)
        self.assertLessEqual(eleventh, second)
