# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
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


@tagged("post_install", "-at_install")
class TestLicenseQuantities(OctowatchChannelCommon):
    """The ledger counts licences in the product's reference unit, and never ignores
    a line that takes licences back (issue 14, cases 3 and 4)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.License = cls.env["octowatch.license"]
        cls.uom_dozen = cls.env.ref("uom.product_uom_dozen")

    def _balance(self, customer):
        return sum(
            self.License.search(
                [("end_customer_id", "=", customer.id), ("state", "=", "active")]
            ).mapped("quantity")
        )

    def test_case_3_negative_quantity_refused_on_an_invoice(self):
        invoice = self._create_invoice_for(
            self.customer_beta,
            [(self.product_std, 10, 100.0), (self.product_std, -9, 100.0)],
        )
        with self.assertRaisesRegex(UserError, "negative quantity") as error:
            invoice.action_post()
        self.assertIn(invoice.display_name, str(error.exception))
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(invoice.octowatch_license_ids)

        order = self._create_order(
            self.customer_alfa,
            [(self.product_std, 10, 100.0), (self.product_std, -9, 100.0)],
        )
        self.assertEqual(order.octowatch_floor_state, "invalid")
        with self.assertRaisesRegex(UserError, "negative quantity"):
            order.action_confirm()

    def test_case_3_negative_quantity_on_a_credit_note_debits(self):
        invoice = self._create_invoice_for(
            self.customer_beta, [(self.product_std, 10, 100.0)]
        )
        invoice.action_post()
        self._register_payment(invoice)
        refund = self._reverse_invoice(invoice)
        refund.invoice_line_ids.write({"quantity": -4, "price_unit": -100.0})
        refund.action_post()
        self.assertEqual(refund.octowatch_license_ids.quantity, -4)
        self.assertEqual(self._balance(self.customer_beta), 6)

    def test_case_4_licences_counted_in_the_reference_unit(self):
        order = self._create_order(
            self.customer_beta,
            [(self.product_std, 1, 1200.0, {"product_uom_id": self.uom_dozen.id})],
        )
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.product_uom_id, self.uom_dozen)
        invoice.action_post()
        self._register_payment(invoice)
        self.assertEqual(invoice.octowatch_license_ids.quantity, 12)
        self.assertEqual(self._balance(self.customer_beta), 12)
        self.assertEqual(order.order_line.octowatch_net_price_unit, 100.0)

        refund = self._reverse_invoice(invoice)
        refund.invoice_line_ids.quantity = 0.5
        refund.action_post()
        self.assertEqual(refund.octowatch_license_ids.quantity, -6)
        self.assertEqual(self._balance(self.customer_beta), 6)

    def test_case_4_floor_per_licence_in_the_reference_unit(self):
        below = self._create_order(
            self.customer_beta,
            [(self.product_std, 1, 1000.0, {"product_uom_id": self.uom_dozen.id})],
        )
        with self.assertRaisesRegex(UserError, r"83\.33 .* 12 licences"):
            below.action_confirm()

    def test_quantity_not_whole_in_the_reference_unit_refused(self):
        for qty, uom, expected in (
            (1.5, self.env.ref("uom.product_uom_unit"), "1.5 Units"),
            (0.1, self.uom_dozen, "1.2 Units"),
        ):
            invoice = self._create_invoice_for(
                self.customer_beta,
                [(self.product_std, qty, 2000.0, {"product_uom_id": uom.id})],
            )
            with self.assertRaisesRegex(UserError, "counted whole") as error:
                invoice.action_post()
            self.assertIn(expected, str(error.exception))
            self.assertEqual(invoice.state, "draft")

    def test_attack_unit_of_another_kind(self):
        invoice = self._create_invoice_for(
            self.customer_beta,
            [
                (
                    self.product_std,
                    1,
                    100.0,
                    {"product_uom_id": self.env.ref("uom.product_uom_ton").id},
                )
            ],
        )
        with self.assertRaisesRegex(UserError, "can't be converted"):
            invoice.action_post()

    def test_attack_more_licences_than_the_ledger_holds(self):
        invoice = self._create_invoice_for(
            self.customer_beta, [(self.product_std, 3e9, 100.0)]
        )
        with self.assertRaisesRegex(UserError, "more licences than one line"):
            invoice.action_post()
