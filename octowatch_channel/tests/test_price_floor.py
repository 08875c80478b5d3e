# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import TIN_SPARE, OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestPriceFloor(OctowatchChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Item = cls.env["product.pricelist.item"]
        # Volume price: 10 licences or more at 80.
        Item.create(
            {
                "pricelist_id": cls.pricelist_published.id,
                "applied_on": "0_product_variant",
                "product_id": cls.product_std.id,
                "min_quantity": 10,
                "compute_price": "fixed",
                "fixed_price": 80.0,
            }
        )
        # A June promotion on Enterprise: 150 instead of 200.
        Item.create(
            {
                "pricelist_id": cls.pricelist_published.id,
                "applied_on": "0_product_variant",
                "product_id": cls.product_ent.id,
                "date_start": "2026-06-01 00:00:00",
                "date_end": "2026-06-30 23:59:59",
                "compute_price": "fixed",
                "fixed_price": 150.0,
            }
        )

    def test_discount_below_floor_refused(self):
        order = self._create_order(
            self.customer_alfa, [(self.product_std, 1, 100.0, {"discount": 10.0})]
        )
        self.assertEqual(order.octowatch_floor_state, "below")
        with self.assertRaisesRegex(UserError, r"below the published price") as error:
            order.action_confirm()
        message = str(error.exception)
        self.assertIn(order.name, message)
        self.assertIn("OctoWatch Standard", message)
        self.assertIn("90.00", message)
        self.assertIn("100.00", message)
        self.assertEqual(order.state, "draft")
        order.order_line.discount = 0.0
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_quantity_break(self):
        order = self._create_order(self.customer_alfa, [(self.product_std, 10, 85.0)])
        self.assertEqual(order.order_line.octowatch_price_floor, 80.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        small = self._create_order(self.customer_alfa, [(self.product_std, 9, 85.0)])
        self.assertEqual(small.order_line.octowatch_price_floor, 100.0)
        with self.assertRaisesRegex(UserError, "below the published price"):
            small.action_confirm()

    def test_item_valid_for_a_date_range(self):
        june = self._create_order(
            self.customer_alfa,
            [(self.product_ent, 1, 160.0)],
            date_order="2026-06-15 10:00:00",
        )
        june.action_confirm()
        july = self._create_order(
            self.customer_alfa,
            [(self.product_ent, 1, 160.0)],
            date_order="2026-07-01 10:00:00",
        )
        self.assertEqual(july.order_line.octowatch_price_floor, 200.0)
        with self.assertRaisesRegex(UserError, "below the published price"):
            july.action_confirm()

    def test_other_currency_converted_at_order_date(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        pricelist_eur = self.env["product.pricelist"].create(
            {"name": "EUR list", "currency_id": eur.id}
        )
        order = self._create_order(
            self.customer_alfa,
            [(self.product_std, 1, 190.0)],
            pricelist=pricelist_eur,
            date_order="2026-03-01 10:00:00",
        )
        self.assertEqual(order.currency_id, eur)
        self.assertEqual(order.order_line.octowatch_price_floor, 200.0)
        with self.assertRaisesRegex(UserError, "below the published price"):
            order.action_confirm()
        order.order_line.price_unit = 200.0
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_partner_buys_on_partner_pricelist(self):
        order = self._create_order(
            self.channel_partner,
            [
                (
                    self.product_std,
                    5,
                    70.0,
                    {
                        "octowatch_end_customer_id": self.customer_alfa.id,
                        "octowatch_resale_price_unit": 110.0,
                    },
                )
            ],
            pricelist=self.pricelist_partner,
        )
        self.assertEqual(order.octowatch_floor_state, "ok")
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        invoice = order._create_invoices()
        self.assertEqual(
            invoice.invoice_line_ids.octowatch_end_customer_id, self.customer_alfa
        )
        self.assertEqual(invoice.invoice_line_ids.octowatch_resale_price_unit, 110.0)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_partner_pricelist_refused_for_end_customer(self):
        order = self._create_order(
            self.customer_alfa,
            [(self.product_std, 1, 100.0)],
            pricelist=self.pricelist_partner,
        )
        with self.assertRaisesRegex(UserError, "only for OctoWatch Partners"):
            order.action_confirm()

    def test_resale_price_below_floor_refused(self):
        order = self._create_order(
            self.channel_partner,
            [
                (
                    self.product_std,
                    1,
                    70.0,
                    {
                        "octowatch_end_customer_id": self.customer_alfa.id,
                        "octowatch_resale_price_unit": 95.0,
                    },
                )
            ],
            pricelist=self.pricelist_partner,
        )
        with self.assertRaisesRegex(
            UserError, "declared resale price .*95.00.* below .*100.00"
        ):
            order.action_confirm()

    def test_direct_invoice_below_floor_refused(self):
        invoice = self._create_invoice_for(
            self.customer_beta, [(self.product_std, 1, 50.0)]
        )
        with self.assertRaisesRegex(UserError, "below the published price") as error:
            invoice.action_post()
        self.assertIn(invoice.display_name, str(error.exception))
        self.assertEqual(invoice.state, "draft")
        invoice.invoice_line_ids.price_unit = 100.0
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_credit_note_not_blocked(self):
        refund = self._create_invoice_for(
            self.customer_beta, [(self.product_std, 1, 10.0)], move_type="out_refund"
        )
        refund.action_post()
        self.assertEqual(refund.state, "posted")

    def test_non_license_product_not_floored(self):
        order = self._create_order(self.customer_alfa, [(self.product_a, 1, 0.01)])
        self.assertEqual(order.octowatch_floor_state, "none")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_exception_approved_then_voided(self):
        order = self._create_order(self.customer_alfa, [(self.product_std, 3, 60.0)])
        action = order.with_user(self.user_manager).action_octowatch_approve_floor()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_manager)
            .with_context(**action["context"])
        )
        wizard.reason = "Pilot for a strategic account"
        wizard.save().action_approve()
        line = order.order_line
        self.assertEqual(line.octowatch_floor_approved_by_id, self.user_manager)
        self.assertEqual(order.octowatch_floor_state, "approved")
        body = order.message_ids[0].body
        self.assertIn("Pilot for a strategic account", body)
        self.assertIn("60.00", body)
        self.assertIn("100.00", body)

        line.price_unit = 55.0
        self.assertEqual(order.octowatch_floor_state, "below", "a new price voids it")
        with self.assertRaisesRegex(UserError, "below the published price"):
            order.action_confirm()
        line.write({"price_unit": 60.0, "product_uom_qty": 4})
        with self.assertRaisesRegex(UserError, "below the published price"):
            order.action_confirm()
        line.write({"price_unit": 60.0, "product_uom_qty": 3})
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted", "the approval carries to the invoice")

    def test_channel_user_cannot_approve(self):
        order = self._create_order(self.customer_alfa, [(self.product_std, 1, 60.0)])
        wizard = (
            self.env["octowatch.price.floor.approve"]
            .with_user(self.user_manager)
            .create(
                {
                    "order_id": order.id,
                    "line_ids": [Command.set(order.order_line.ids)],
                    "reason": "no",
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_channel).action_approve()
        with self.assertRaises(AccessError):
            order.order_line.with_user(self.user_channel).write(
                {
                    "octowatch_floor_approved_price": 60.0,
                    "octowatch_floor_approved_by_id": self.user_channel.id,
                }
            )
        self.assertFalse(order.order_line.octowatch_floor_approved_by_id)

    def test_new_channel_partner_gets_partner_pricelist(self):
        partner = self.env["res.partner"].create(
            {
                "name": "New Reseller",
                "is_company": True,
                "country_id": self.russia.id,
                "vat": TIN_SPARE,
                "octowatch_role": "partner",
            }
        )
        self.assertEqual(partner.property_product_pricelist, self.pricelist_partner)
        other_partner_list = self.pricelist_partner.copy({"name": "Gold partners"})
        self.customer_beta.with_context(
            octowatch_owner_move=True
        ).octowatch_owner_id = False
        self.customer_beta.property_product_pricelist = other_partner_list
        self.customer_beta.octowatch_role = "partner"
        self.assertEqual(
            self.customer_beta.property_product_pricelist,
            other_partner_list,
            "a partner pricelist already chosen is kept",
        )

    def test_check_queries_do_not_grow_with_lines(self):
        def count_queries(n_lines):
            order = self._create_order(
                self.customer_alfa,
                [
                    (self.product_std if i % 2 else self.product_ent, 1 + i, 500.0)
                    for i in range(n_lines)
                ],
            )
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            order._octowatch_check_pricing()
            return self.env.cr.sql_log_count - before

        count_queries(2)  # warm the registry caches (access rights, precisions)
        self.assertEqual(count_queries(5), count_queries(50))
