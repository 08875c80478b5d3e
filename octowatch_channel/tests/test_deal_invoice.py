# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_deal_registration import DealCommon


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
        self.assertIn(self.agent, order.message_partner_ids)

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
