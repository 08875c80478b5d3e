# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestLicenseCredit(OctowatchChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.License = cls.env["octowatch.license"]

    def _balance(self, customer, product=None):
        entries = self.License.search(
            [("end_customer_id", "=", customer.id), ("state", "=", "active")]
            + ([("product_id", "=", product.id)] if product else [])
        )
        return sum(entries.mapped("quantity"))

    def _partner_invoice(self, qty=10, client=None):
        order = self._create_order(
            self.channel_partner,
            [
                (
                    self.product_std,
                    qty,
                    70.0,
                    {
                        "octowatch_end_customer_id": (client or self.customer_alfa).id,
                        "octowatch_resale_price_unit": 120.0,
                    },
                )
            ],
            pricelist=self.pricelist_partner,
        )
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def test_partner_order_credits_the_client(self):
        invoice = self._partner_invoice(qty=10)
        self.assertFalse(invoice.octowatch_license_ids, "nothing before payment")
        self._register_payment(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        entry = invoice.octowatch_license_ids
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.end_customer_id, self.customer_alfa)
        self.assertEqual(entry.account_email, "it@alfa.example.com")
        self.assertEqual(entry.channel_partner_id, self.channel_partner)
        self.assertEqual(entry.quantity, 10)
        self.assertEqual(entry.sale_line_id, invoice.invoice_line_ids.sale_line_ids)
        self.assertEqual(entry.provisioning_state, "not_configured")
        self.assertEqual(self._balance(self.customer_alfa, self.product_std), 10)
        self.assertEqual(invoice.octowatch_license_count, 1)
        self.assertEqual(self.channel_partner.octowatch_license_count, 1)

    def test_direct_order_credits_the_customer(self):
        order = self._create_order(self.customer_beta, [(self.product_ent, 3, 200.0)])
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self._register_payment(invoice)
        entry = invoice.octowatch_license_ids
        self.assertEqual(entry.end_customer_id, self.customer_beta)
        self.assertFalse(entry.channel_partner_id)
        self.assertEqual(self._balance(self.customer_beta, self.product_ent), 3)

    def test_partial_then_full_payment(self):
        invoice = self._partner_invoice(qty=4)
        self._register_payment(invoice, amount=invoice.amount_total / 2)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertFalse(
            invoice.octowatch_license_ids, "a partial payment credits nothing"
        )
        self._register_payment(invoice, amount=invoice.amount_residual)
        self.assertEqual(invoice.octowatch_license_ids.quantity, 4)

    def test_two_lines_two_versions(self):
        invoice = self._create_invoice_for(
            self.customer_beta,
            [(self.product_std, 2, 100.0), (self.product_ent, 5, 200.0)],
        )
        invoice.action_post()
        self._register_payment(invoice)
        self.assertEqual(len(invoice.octowatch_license_ids), 2)
        self.assertEqual(self._balance(self.customer_beta, self.product_std), 2)
        self.assertEqual(self._balance(self.customer_beta, self.product_ent), 5)

    def test_non_license_lines_credit_nothing(self):
        invoice = self._create_invoice_for(
            self.customer_beta, [(self.product_a, 1, 100.0)]
        )
        invoice.action_post()
        self._register_payment(invoice)
        self.assertFalse(invoice.octowatch_license_ids)

    def test_full_credit_note_debits(self):
        invoice = self._partner_invoice(qty=10)
        self._register_payment(invoice)
        refund = self._reverse_invoice(invoice, post=True)
        debit = refund.octowatch_license_ids
        self.assertEqual(debit.quantity, -10)
        self.assertEqual(debit.end_customer_id, self.customer_alfa)
        self.assertEqual(debit.reversed_license_id, invoice.octowatch_license_ids)
        self.assertEqual(self._balance(self.customer_alfa, self.product_std), 0)
        refund.button_draft()
        refund.action_post()
        self.assertEqual(
            self.License.search_count(
                [("move_line_id", "in", refund.invoice_line_ids.ids)]
            ),
            1,
            "posting the credit note again debits nothing more",
        )

    def test_partial_credit_notes_debit_once_each(self):
        invoice = self._partner_invoice(qty=10)
        self._register_payment(invoice)
        for qty in (3, 4):
            refund = self._reverse_invoice(invoice)
            refund.invoice_line_ids.quantity = qty
            refund.action_post()
            self.assertEqual(refund.octowatch_license_ids.quantity, -qty)
        self.assertEqual(self._balance(self.customer_alfa, self.product_std), 3)
        refund = self._reverse_invoice(invoice)
        refund.invoice_line_ids.quantity = 9
        refund.action_post()
        self.assertEqual(
            refund.octowatch_license_ids.quantity, -3, "never more than was credited"
        )
        self.assertEqual(self._balance(self.customer_alfa, self.product_std), 0)

    def test_unreconcile_suspends_and_repayment_reactivates(self):
        invoice = self._partner_invoice(qty=6)
        payment = self._register_payment(invoice)
        entry = invoice.octowatch_license_ids
        payment.move_id.line_ids.remove_move_reconcile()
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(entry.state, "suspended")
        self.assertEqual(entry.provisioning_action, "suspend")
        self.assertEqual(self._balance(self.customer_alfa), 0)
        (payment.move_id.line_ids | invoice.line_ids).filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(
            invoice.octowatch_license_ids, entry, "the same entry, no duplicate"
        )
        self.assertEqual(entry.state, "active")
        self.assertEqual(entry.provisioning_action, "reactivate")
        self.assertEqual(entry.provisioning_sequence, 3)
        payment.move_id.line_ids.remove_move_reconcile()
        self._register_payment(invoice)
        self.assertEqual(invoice.octowatch_license_ids, entry)
        self.assertEqual(self._balance(self.customer_alfa), 6)

    def test_one_payment_for_several_invoices(self):
        invoices = self._partner_invoice(qty=2) | self._partner_invoice(
            qty=5, client=self.customer_beta
        )
        self._register_payment(invoices)
        self.assertEqual(self._balance(self.customer_alfa), 2)
        self.assertEqual(self._balance(self.customer_beta), 5)

    def test_line_counts_once(self):
        invoice = self._partner_invoice(qty=1)
        self._register_payment(invoice)
        invoice._octowatch_credit_licenses()
        invoice._invoice_paid_hook()
        self.assertEqual(len(invoice.octowatch_license_ids), 1)

    def test_credit_email_to_customer_and_partner(self):
        invoice = self._partner_invoice(qty=7)
        self._register_payment(invoice)
        self.License._octowatch_notify_credits()
        message = self.customer_alfa.message_ids[0]
        self.assertIn("7", message.body)
        self.assertIn("OctoWatch Standard", message.body)
        self.assertEqual(message.partner_ids, self.customer_alfa | self.channel_partner)
        self.assertTrue(invoice.octowatch_license_ids.notified)

    def test_portal_sees_own_ledger_only(self):
        self._register_payment(self._partner_invoice(qty=2))
        order = self._create_order(self.customer_beta, [(self.product_ent, 1, 200.0)])
        order.action_confirm()
        other = order._create_invoices()
        other.action_post()
        self._register_payment(other)
        alfa_entry = self.License.search(
            [("end_customer_id", "=", self.customer_alfa.id)]
        )
        beta_entry = self.License.search(
            [("end_customer_id", "=", self.customer_beta.id)]
        )
        as_client = self.License.with_user(self.portal_client)
        self.assertEqual(as_client.search([]), alfa_entry)
        self.assertEqual(
            self.License.with_user(self.portal_partner).search([]), alfa_entry
        )
        self.assertEqual(
            self.License.with_user(self.portal_agent).search([]),
            beta_entry,
            "an agent sees the licences of the customers attached to it",
        )
        with self.assertRaises(AccessError):
            beta_entry.with_user(self.portal_client).read(["quantity"])
        with self.assertRaises(AccessError):
            alfa_entry.with_user(self.portal_client).write({"quantity": 100})
