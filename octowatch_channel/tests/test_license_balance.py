# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The licence balances stay the sum of the ledger, whatever happens to its entries,
and each user reads of them what it reads of the ledger."""

import threading

from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestLicenseBalance(OctowatchChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.License = cls.env["octowatch.license"]
        cls.Balance = cls.env["octowatch.license.balance"]

    def _paid(self, partner, lines):
        invoice = self._create_invoice_for(partner, lines)
        invoice.action_post()
        payment = self._register_payment(invoice)
        return invoice, payment

    def _ledger_sums(self):
        """What the balances must hold, summed from the ledger by the database."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT end_customer_id, product_id, channel_partner_id, company_id, state,
                   SUM(quantity), COUNT(*)
              FROM octowatch_license
             GROUP BY end_customer_id, product_id, channel_partner_id, company_id, state
            """
        )
        return sorted(self.env.cr.fetchall(), key=str)

    def _balances(self):
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT end_customer_id, product_id, channel_partner_id, company_id, state,
                   quantity, entry_count
              FROM octowatch_license_balance
            """
        )
        return sorted(self.env.cr.fetchall(), key=str)

    def assertBalancesAreTheLedger(self):
        ledger = self._ledger_sums()
        self.assertTrue(ledger)
        self.assertEqual(self._balances(), ledger)

    def test_credit_debit_suspend_and_reactivate_move_the_balance(self):
        invoice, payment = self._paid(
            self.customer_alfa,
            [(self.product_std, 7, 100.0), (self.product_ent, 2, 200.0)],
        )
        self.assertBalancesAreTheLedger()
        active = {
            (customer, product): qty
            for customer, product, qty in self.Balance._octowatch_active()
        }
        self.assertEqual(active[self.customer_alfa, self.product_std], 7)
        self.assertEqual(active[self.customer_alfa, self.product_ent], 2)

        payment.move_id.line_ids.remove_move_reconcile()
        self.assertEqual(
            set(invoice.octowatch_license_ids.mapped("state")), {"suspended"}
        )
        self.assertBalancesAreTheLedger()
        self.assertFalse(
            self.Balance._octowatch_active(
                [("end_customer_id", "=", self.customer_alfa.id)]
            ),
            "suspended licences are not active",
        )

        (payment.move_id.line_ids | invoice.line_ids).filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self.assertBalancesAreTheLedger()
        self.assertFalse(
            self.Balance.search([("state", "=", "suspended")]),
            "a balance left with no entry is deleted",
        )

        refund = self._reverse_invoice(invoice)
        refund.invoice_line_ids.filtered(
            lambda line: line.product_id == self.product_std
        ).quantity = 3
        refund.invoice_line_ids.filtered(
            lambda line: line.product_id == self.product_ent
        ).unlink()
        refund.action_post()
        self.assertBalancesAreTheLedger()
        balance = self.Balance.search(
            [
                ("end_customer_id", "=", self.customer_alfa.id),
                ("product_id", "=", self.product_std.id),
            ]
        )
        self.assertEqual((balance.quantity, balance.entry_count), (4, 2))

    def test_written_and_deleted_entries_leave_their_balance(self):
        invoice, _payment = self._paid(
            self.customer_beta, [(self.product_std, 5, 100.0)]
        )
        entry = invoice.octowatch_license_ids
        # A manager may correct an entry: the balance follows it.
        entry.with_user(self.user_manager).write(
            {"quantity": 8, "end_customer_id": self.customer_alfa.id}
        )
        self.assertBalancesAreTheLedger()
        self.assertFalse(
            self.Balance.search([("end_customer_id", "=", self.customer_beta.id)])
        )
        # Nobody may delete an entry: only the system, cleaning a database up.
        entry.sudo().unlink()
        self.assertEqual(self._balances(), self._ledger_sums())
        self.assertFalse(
            self.Balance.search([("end_customer_id", "=", self.customer_alfa.id)])
        )

    def test_rebuilt_balances_are_the_kept_ones(self):
        self._paid(self.customer_alfa, [(self.product_std, 3, 100.0)])
        self._paid(self.customer_beta, [(self.product_ent, 1, 200.0)])
        kept = self._balances()
        # An upgrade sums the ledger up from nothing.
        self.env.cr.execute("DELETE FROM octowatch_license_balance")
        self.Balance._octowatch_rebuild()
        self.assertEqual(self._balances(), kept)
        self.assertBalancesAreTheLedger()

    def test_each_portal_user_reads_the_balances_of_its_ledger(self):
        self._paid(self.customer_alfa, [(self.product_std, 7, 100.0)])
        self._paid(self.customer_beta, [(self.product_ent, 4, 200.0)])
        self._paid(self.channel_partner, [(self.product_std, 1, 100.0)])
        for user in (self.portal_client, self.portal_partner, self.portal_agent):
            with self.subTest(user=user.login):
                entries = self.License.with_user(user).search([])
                self.assertTrue(entries)
                balances = self.Balance.with_user(user)
                self.assertEqual(balances._octowatch_entry_count(), len(entries))
                sums = {}
                for entry in entries.filtered(lambda e: e.state == "active"):
                    key = (entry.end_customer_id, entry.product_id)
                    sums[key] = sums.get(key, 0) + entry.quantity
                self.assertEqual(
                    {(c, p): q for c, p, q in balances._octowatch_active()}, sums
                )
        other = self.Balance.search([("end_customer_id", "=", self.customer_beta.id)])
        with self.assertRaises(AccessError):
            other.with_user(self.portal_client).read(["quantity"])
        with self.assertRaises(AccessError):
            other.with_user(self.portal_agent).write({"quantity": 1000})
        with self.assertRaises(AccessError):
            self.Balance.with_user(self.user_manager).create(
                {
                    "end_customer_id": self.customer_beta.id,
                    "product_id": self.product_ent.id,
                    "company_id": self.company.id,
                    "state": "active",
                    "quantity": 1000,
                }
            )

    def test_other_company_balances_are_not_read(self):
        self._paid(self.customer_alfa, [(self.product_std, 2, 100.0)])
        self.user_manager.company_ids |= self.company_2
        Balance = self.Balance.with_user(self.user_manager)
        self.assertEqual(
            Balance.with_context(allowed_company_ids=self.company.ids).search_count([]),
            1,
        )
        self.assertEqual(
            Balance.with_context(allowed_company_ids=self.company_2.ids).search_count(
                []
            ),
            0,
            "another company's balances are not read",
        )


@tagged("post_install", "-at_install")
class TestLicenseBalanceConcurrency(TransactionCase):
    """Two payments credit one personal account at the same instant.

    Each credit runs in a thread on its own committed cursor, as two workers would,
    and is retried as Odoo retries a request that lost a race. What they create is
    committed, so it is deleted at the end.
    """

    def _committed_env(self):
        return api.Environment(self.registry.cursor(), SUPERUSER_ID, {})

    def _create_committed_data(self):
        env = self._committed_env()
        with env.cr:
            customer = env["res.partner"].create(
                {"name": "Race Balance Customer", "is_company": True}
            )
            product = env["product.template"].create(
                {
                    "name": "OctoWatch Race Balance",
                    "type": "service",
                    "octowatch_is_license": True,
                    "octowatch_version_code": "TRACEB",
                }
            )
            # Two invoices: the credits share no row but their balance.
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": product.product_variant_id.id,
                                    "quantity": qty,
                                    "price_unit": 100.0,
                                }
                            )
                        ],
                    }
                    for qty in (3, 5)
                ]
            )
            return customer.id, product.id, invoices.ids

    def _delete_committed_data(self, customer_id, product_id, invoice_ids):
        env = self._committed_env()
        with env.cr:
            # Nobody may delete ledger entries: the system cleans its test rows up.
            env["octowatch.license"].sudo().search(
                [("end_customer_id", "=", customer_id)]
            ).unlink()
            env["account.move"].browse(invoice_ids).unlink()
            env["product.template"].browse(product_id).unlink()
            env["res.partner"].browse(customer_id).unlink()

    def _credit_in_thread(self, env, barrier, invoice_id, results, index):
        try:
            with env.cr:
                # Both transactions take their snapshot before either credits, so
                # neither sees the other's balance: only the upsert's lock can.
                env.cr.execute("SELECT 1")
                barrier.wait(timeout=20)
                line = env["account.move"].browse(invoice_id).invoice_line_ids

                def credit():
                    return env["octowatch.license"].create(
                        {
                            "end_customer_id": line.move_id.partner_id.id,
                            "product_id": line.product_id.id,
                            "quantity": int(line.quantity),
                            "move_line_id": line.id,
                            "move_id": line.move_id.id,
                            "company_id": line.company_id.id,
                        }
                    )

                # As odoo.service.model.retrying retries a request, less what
                # would wait, in a thread, for the registry lock that the test
                # runner holds (a new registry for the transaction).
                for _attempt in range(5):
                    try:
                        entry = credit()
                        env.cr.flush()
                        env.cr.commit()
                        break
                    except errors.SerializationFailure:
                        env.cr.rollback()
                        env.transaction.clear()
                results[index] = entry.id
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            results[index] = exc
            barrier.abort()

    def test_simultaneous_credits_both_add_up(self):
        customer_id, product_id, invoice_ids = self._create_committed_data()
        try:
            barrier = threading.Barrier(2)
            results = [None, None]
            # Environments are made here: the test runner holds the registry lock,
            # which only this thread may take again.
            threads = [
                threading.Thread(
                    target=self._credit_in_thread,
                    args=(self._committed_env(), barrier, invoice_id, results, i),
                )
                for i, invoice_id in enumerate(invoice_ids)
            ]
            # The later upsert waits for the earlier one's row, then is refused as
            # a concurrent update (logged as a bad query) and retried.
            with self.assertLogs("odoo.sql_db", level="ERROR") as logs:
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=60)
            for result in results:
                self.assertIsNotNone(result, "a credit hung")
                if isinstance(result, Exception):
                    self.fail(f"a credit failed: {result!r}")
            self.assertIn("could not serialize", "\n".join(logs.output))
            env = self._committed_env()
            with env.cr:
                balances = env["octowatch.license.balance"].search(
                    [("end_customer_id", "=", customer_id)]
                )
                self.assertEqual(
                    (balances.quantity, balances.entry_count),
                    (8, 2),
                    "both credits are in the balance",
                )
        finally:
            self._delete_committed_data(customer_id, product_id, invoice_ids)
