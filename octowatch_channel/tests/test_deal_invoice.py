# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DealCommon, load_migration


@tagged("post_install", "-at_install")
class TestDealInvoice(DealCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deal = cls._register_deal(qty=12)

    def _invoice(self):
        self.deal.action_request_invoice()
        order = self.deal.sale_order_id
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def test_request_invoice_creates_the_quotation(self):
        action = self.deal.action_request_invoice()
        order = self.deal.sale_order_id
        self.assertEqual(action["res_model"], "sale.order")
        self.assertEqual(action["res_id"], order.id)
        self.assertEqual(self.deal.state, "invoiced")
        self.assertRecordValues(
            order,
            [
                {
                    "partner_id": self.deal.end_customer_id.id,
                    "pricelist_id": self.pricelist_published.id,
                    "payment_term_id": self.env.ref(
                        "octowatch_channel.account_payment_term_bank_transfer"
                    ).id,
                    "octowatch_deal_id": self.deal.id,
                    "state": "draft",
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertRecordValues(
            order.order_line,
            [
                {
                    "product_id": self.product_std.id,
                    "product_uom_qty": 12,
                    "price_unit": 100,
                }
            ],
        )
        # The agent never follows its customer's order: a follower may sign and pay.
        self.assertNotIn(self.agent, order.message_partner_ids)

    def test_published_price_even_for_a_customer_with_another_pricelist(self):
        self.deal.end_customer_id.property_product_pricelist = self.pricelist_partner
        self.deal.action_request_invoice()
        self.assertEqual(self.deal.sale_order_id.order_line.price_unit, 100)

    def test_only_registered_deals_are_invoiced(self):
        self.deal.action_request_invoice()
        with self.assertRaisesRegex(UserError, "only a registered deal"):
            self.deal.action_request_invoice()
        rejected = self._register_deal(agent=self.agent_2)
        with self.assertRaisesRegex(UserError, "only a registered deal"):
            rejected.action_request_invoice()
        self.assertFalse(rejected.sale_order_id)

    def test_published_pricelist_required(self):
        self.company.octowatch_published_pricelist_id = False
        with self.assertRaisesRegex(UserError, "Published Pricelist"):
            self.deal.action_request_invoice()
        self.assertEqual(self.deal.state, "registered")

    def test_won_when_the_invoice_is_paid_in_full(self):
        invoice = self._invoice()
        self._register_payment(invoice, amount=invoice.amount_total / 2)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(self.deal.state, "invoiced")
        self._register_payment(invoice, amount=invoice.amount_residual)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.deal.state, "won")

    def test_won_deal_keeps_its_customer(self):
        invoice = self._invoice()
        self._register_payment(invoice)
        self.assertEqual(self.deal.state, "won")
        self.assertEqual(self.deal.end_customer_id.octowatch_owner_id, self.agent)
        again = self._register_deal(agent=self.agent_2)
        self.assertEqual(again.state, "rejected")
        self.assertIn("Already attached", again.rejection_reason)

    def test_lost_invoiced_deal_not_won_by_a_late_payment(self):
        invoice = self._invoice()
        self.deal._action_lose("Customer went silent")
        self._register_payment(invoice)
        self.assertEqual(self.deal.state, "lost")

    def test_deal_with_quotation_cannot_be_deleted(self):
        self.deal.action_request_invoice()
        with self.assertRaisesRegex(UserError, "mark it lost"):
            self.deal.unlink()

    def test_deal_with_quotation_is_not_deleted(self):
        self.deal.action_request_invoice()
        with self.assertRaisesRegex(UserError, "mark it lost instead"):
            self.deal.unlink()
        self.assertTrue(self.deal.exists())

    def test_quotation_found_from_the_deal_and_the_deal_from_it(self):
        self.assertEqual(
            self.Deal.search(
                [("id", "=", self.deal.id), ("sale_order_id", "=", False)]
            ),
            self.deal,
        )
        self.deal.action_request_invoice()
        order = self.env["sale.order"].search(
            [("octowatch_deal_id", "=", self.deal.id)]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(self.deal.sale_order_id, order)
        self.assertEqual(
            self.Deal.search([("sale_order_id", "=", order.id)]), self.deal
        )


@tagged("post_install", "-at_install")
class TestDealSaleOrderMigration(DealCommon):
    """The 19.0.1.2.0 migration keeps the quotation's side of the deal link."""

    def _migration(self):
        return load_migration("19.0.1.2.0", "post-migrate-link-sides.py")

    def test_migration_moves_the_deal_link_to_the_quotation(self):
        deal = self._register_deal(qty=12)
        deal.action_request_invoice()
        order = deal.sale_order_id
        self.env.flush_all()
        cr = self.env.cr
        # The 19.0.1.1.0 shape: the deal stores the link, the quotation lost its own.
        cr.execute(
            "ALTER TABLE octowatch_deal_registration ADD COLUMN sale_order_id integer"
        )
        cr.execute(
            "UPDATE octowatch_deal_registration SET sale_order_id = %s WHERE id = %s",
            [order.id, deal.id],
        )
        cr.execute(
            "UPDATE sale_order SET octowatch_deal_id = NULL WHERE id = %s", [order.id]
        )
        self.env.invalidate_all()
        self.assertFalse(deal.sale_order_id)

        self._migration().migrate(cr, "19.0.1.1.0")
        self.env.invalidate_all()

        self.assertEqual(order.octowatch_deal_id, deal)
        self.assertEqual(deal.sale_order_id, order)
        cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = "
            "'octowatch_deal_registration' AND column_name = 'sale_order_id'"
        )
        self.assertFalse(cr.fetchone(), "the deal's column is gone")
        # A second run finds nothing to do.
        self._migration().migrate(cr, "19.0.1.1.0")
