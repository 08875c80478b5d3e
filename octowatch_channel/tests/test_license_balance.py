# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The licence balances stay the sum of the ledger, whatever happens to its entries,
and each user reads of them what it reads of the ledger."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

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
