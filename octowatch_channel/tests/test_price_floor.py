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


@tagged("post_install", "-at_install")
class TestPriceFloorNetPrice(OctowatchChannelCommon):
    """The floor holds on what the customer pays per licence, net of every line that
    lowers it (issue 14, cases 1 to 8)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uom_dozen = cls.env.ref("uom.product_uom_dozen")
        # Volume price: 10 licences or more at 80.
        cls.env["product.pricelist.item"].create(
            {
                "pricelist_id": cls.pricelist_published.id,
                "applied_on": "0_product_variant",
                "product_id": cls.product_std.id,
                "min_quantity": 10,
                "compute_price": "fixed",
                "fixed_price": 80.0,
            }
        )

    def _approve(self, order, reason="Strategic account"):
        action = order.with_user(self.user_manager).action_octowatch_approve_floor()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_manager)
            .with_context(**action["context"])
        )
        wizard.reason = reason
        wizard.save().action_approve()

    def test_case_1_negative_line_of_another_product_on_an_order(self):
        order = self._create_order(
            self.customer_alfa,
            [(self.product_std, 1, 100.0), (self.product_a, 1, -90.0)],
        )
        self.assertEqual(order.octowatch_floor_state, "below")
        with self.assertRaisesRegex(UserError, "below the published price") as error:
            order.action_confirm()
        message = str(error.exception)
        for part in (order.name, "OctoWatch Standard", "10.00", "100.00"):
            self.assertIn(part, message)
        self.assertEqual(order.state, "draft")

    def test_case_1_negative_line_on_a_direct_invoice(self):
        invoice = self._create_invoice_for(
            self.customer_beta,
            [(self.product_std, 1, 100.0), (self.product_a, 1, -90.0)],
        )
        with self.assertRaisesRegex(UserError, "below the published price") as error:
            invoice.action_post()
        self.assertIn(invoice.display_name, str(error.exception))
        self.assertIn("10.00", str(error.exception))
        self.assertEqual(invoice.state, "draft")

    def test_case_1_negative_quantity_of_another_product(self):
        invoice = self._create_invoice_for(
            self.customer_beta,
            [(self.product_std, 1, 100.0), (self.product_a, -1, 90.0)],
        )
        with self.assertRaisesRegex(UserError, "below the published price"):
            invoice.action_post()

    def test_negative_lines_spread_pro_rata(self):
        """A discount line lowers every positive line by its share of the total: the
        licences keep 120 of 1,000, so they bear 12 of a 100 discount."""
        order = self._create_order(
            self.customer_alfa,
            [
                (self.product_std, 1, 120.0),
                (self.product_a, 1, 880.0),
                (self.product_a, 1, -100.0),
            ],
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertAlmostEqual(order.order_line[0].octowatch_net_price_unit, 108.0)

        invoice = self._create_invoice_for(
            self.customer_beta,
            [
                (self.product_std, 1, 110.0),
                (self.product_a, 1, 990.0),
                (self.product_a, 1, -110.0),
            ],
        )
        with self.assertRaisesRegex(UserError, r"99\.00"):
            invoice.action_post()

    def test_negative_lines_stay_on_their_document(self):
        licences = self._create_invoice_for(
            self.customer_beta, [(self.product_std, 1, 100.0)]
        )
        discounted_services = self._create_invoice_for(
            self.customer_beta,
            [(self.product_a, 1, 1000.0), (self.product_a, 1, -900.0)],
        )
        (licences | discounted_services).action_post()
        self.assertEqual(
            (licences | discounted_services).mapped("state"), ["posted"] * 2
        )

    def test_case_2_global_discount_button(self):
        order = self._create_order(self.customer_alfa, [(self.product_std, 1, 100.0)])
        self.env["sale.order.discount"].create(
            {
                "sale_order_id": order.id,
                "discount_type": "so_discount",
                "discount_percentage": 0.9,
            }
        ).action_apply_discount()
        self.assertEqual(len(order.order_line), 2, "the wizard adds a discount line")
        with self.assertRaisesRegex(UserError, r"net price per licence .*10\.00"):
            order.action_confirm()
        self.assertEqual(order.octowatch_floor_state, "below")

        small = self._create_order(self.customer_alfa, [(self.product_std, 1, 110.0)])
        self.env["sale.order.discount"].create(
            {
                "sale_order_id": small.id,
                "discount_type": "amount",
                "discount_amount": 5.0,
            }
        ).action_apply_discount()
        small.action_confirm()
        self.assertEqual(small.state, "sale", "105 per licence is above the floor")

    def test_case_5_invoice_inherits_the_approval_for_the_approved_quantity(self):
        order = self._create_order(self.customer_alfa, [(self.product_std, 1, 50.0)])
        self._approve(order)
        line = order.order_line
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_line_ids.quantity = 100
        with self.assertRaisesRegex(UserError, "below the published price") as error:
            invoice.action_post()
        self.assertIn("50.00", str(error.exception))
        self.assertIn("80.00", str(error.exception), "the floor for 100 licences")
        self.assertEqual(line.octowatch_floor_approved_qty, 1)
        self.assertEqual(line.octowatch_floor_approved_net_price, 50.0)
        invoice.invoice_line_ids.quantity = 1
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

        # The approval covers one licence over all the invoices of the order line.
        second = invoice.copy()
        second.invoice_line_ids.sale_line_ids = line
        with self.assertRaisesRegex(UserError, "below the published price"):
            second.action_post()
        # A credit note gives the licence back, so it can be invoiced again.
        self._reverse_invoice(invoice, post=True)
        second.action_post()
        self.assertEqual(second.state, "posted")

    def test_case_5_invoice_price_or_discount_other_than_approved(self):
        order = self._create_order(self.customer_alfa, [(self.product_std, 2, 50.0)])
        self._approve(order)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_line_ids.write({"price_unit": 100.0, "discount": 60.0})
        with self.assertRaisesRegex(UserError, "below the published price"):
            invoice.action_post()

    def test_approval_covers_discount_and_net_price(self):
        order = self._create_order(
            self.customer_alfa, [(self.product_std, 1, 100.0, {"discount": 40.0})]
        )
        self._approve(order)
        self.assertEqual(order.octowatch_floor_state, "approved")
        line = order.order_line
        line.write({"price_unit": 120.0, "discount": 50.0})
        self.assertEqual(
            order.octowatch_floor_state, "below", "same net price, other terms"
        )
        line.write({"price_unit": 100.0, "discount": 40.0})
        self.assertEqual(order.octowatch_floor_state, "approved")
        order.order_line = [
            Command.create(
                {
                    "product_id": self.product_a.id,
                    "product_uom_qty": 1,
                    "price_unit": -1,
                }
            )
        ]
        self.assertEqual(
            order.octowatch_floor_state, "below", "a new negative line voids it"
        )
        with self.assertRaisesRegex(UserError, "below the published price"):
            order.action_confirm()

    def test_attack_approval_moved_to_another_product_or_customer(self):
        order = self._create_order(self.customer_alfa, [(self.product_std, 1, 50.0)])
        self._approve(order)
        line = order.order_line.with_user(self.user_channel)
        line.write({"product_id": self.product_ent.id, "price_unit": 50.0})
        self.assertFalse(order.order_line.octowatch_floor_approved_by_id)
        with self.assertRaisesRegex(UserError, "OctoWatch Enterprise"):
            order.action_confirm()

        order.order_line.write({"product_id": self.product_std.id, "price_unit": 50.0})
        self._approve(order)
        order.with_user(self.user_channel).partner_id = self.customer_beta
        self.assertEqual(order.octowatch_floor_state, "below")

        # An invoice line of another product linked to an approved order line.
        self._approve(order)
        order.action_confirm()
        invoice = self._create_invoice_for(
            self.customer_beta,
            [(self.product_ent, 1, 50.0, {"sale_line_ids": [Command.set(line.ids)]})],
        )
        with self.assertRaisesRegex(UserError, "below the published price"):
            invoice.action_post()
        invoice.invoice_line_ids.product_id = self.product_std
        invoice.invoice_line_ids.price_unit = 50.0
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_case_6_channel_user_cannot_create_an_approved_line(self):
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.user_channel).create(
                {
                    "partner_id": self.customer_alfa.id,
                    "pricelist_id": self.pricelist_published.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_std.id,
                                "product_uom_qty": 1,
                                "price_unit": 60.0,
                                "octowatch_floor_approved_price": 60.0,
                                "octowatch_floor_approved_qty": 1,
                                "octowatch_floor_approved_by_id": self.user_channel.id,
                                "octowatch_floor_approval_reason": "self-approved",
                            }
                        )
                    ],
                }
            )
        order = self._create_order(self.customer_alfa, [(self.product_std, 1, 100.0)])
        order.with_user(self.user_channel).order_line.price_unit = 110.0
        self.assertEqual(order.order_line.price_unit, 110.0, "prices stay editable")

    def test_case_7_partner_line_for_a_client_needs_a_resale_price(self):
        order = self._create_order(
            self.channel_partner,
            [
                (
                    self.product_std,
                    5,
                    70.0,
                    {"octowatch_end_customer_id": self.customer_alfa.id},
                )
            ],
            pricelist=self.pricelist_partner,
        )
        with self.assertRaisesRegex(UserError, "declare the resale price") as error:
            order.action_confirm()
        self.assertIn(self.customer_alfa.name, str(error.exception))
        self.assertIn("100.00", str(error.exception))
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.octowatch_floor_state, "resale_missing")

        invoice = self._create_invoice_for(
            self.channel_partner,
            [
                (
                    self.product_std,
                    5,
                    70.0,
                    {"octowatch_end_customer_id": self.customer_alfa.id},
                )
            ],
        )
        with self.assertRaisesRegex(UserError, "declare the resale price"):
            invoice.action_post()

        order.order_line.octowatch_resale_price_unit = 100.0
        self.assertEqual(order.octowatch_floor_state, "ok")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_resale_price_uses_the_client_quantity_break(self):
        order = self._create_order(
            self.channel_partner,
            [
                (
                    self.product_std,
                    12,
                    70.0,
                    {
                        "octowatch_end_customer_id": self.customer_alfa.id,
                        "octowatch_resale_price_unit": 85.0,
                    },
                ),
                (
                    self.product_std,
                    2,
                    70.0,
                    {
                        "octowatch_end_customer_id": self.customer_beta.id,
                        "octowatch_resale_price_unit": 85.0,
                    },
                ),
            ],
            pricelist=self.pricelist_partner,
        )
        with self.assertRaisesRegex(
            UserError, r"resale price .*85\.00.* below .*100\.00"
        ) as error:
            order.action_confirm()
        self.assertEqual(
            str(error.exception).count("resale price"), 1, "Alfa buys 12, at 80 each"
        )

    def test_case_8_currency_without_any_rate(self):
        jpy = self.setup_other_currency("JPY", rates=[])
        pricelist_jpy = self.env["product.pricelist"].create(
            {"name": "JPY list", "currency_id": jpy.id}
        )
        order = self._create_order(
            self.customer_alfa, [(self.product_std, 1, 100.0)], pricelist=pricelist_jpy
        )
        self.assertEqual(order.currency_id, jpy)
        with self.assertRaisesRegex(UserError, "no exchange rate at all for JPY"):
            order.action_confirm()
        self.assertEqual(order.octowatch_floor_state, "invalid")
        invoice = self._create_invoice_for(
            self.customer_beta, [(self.product_std, 1, 100.0)], currency_id=jpy.id
        )
        with self.assertRaisesRegex(UserError, "JPY"):
            invoice.action_post()
        self.env["res.currency.rate"].create(
            {"currency_id": jpy.id, "name": "2026-01-01", "rate": 1.5}
        )
        self.env.invalidate_all()
        self.assertEqual(order.order_line.octowatch_price_floor, 150.0)
        order.order_line.price_unit = 150.0
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_attack_free_licences_beside_paid_ones(self):
        invoice = self._create_invoice_for(
            self.customer_beta,
            [(self.product_std, 1, 100.0), (self.product_std, 9, 0.0)],
        )
        with self.assertRaisesRegex(UserError, r"10\.00 .* 10 licences"):
            invoice.action_post()

    def test_attack_negative_price_licence_line(self):
        invoice = self._create_invoice_for(
            self.customer_beta,
            [(self.product_std, 10, 100.0), (self.product_std, 1, -500.0)],
        )
        with self.assertRaisesRegex(UserError, r"45\.45 .* 11 licences"):
            invoice.action_post()

    def test_attack_huge_amounts(self):
        invoice = self._create_invoice_for(
            self.customer_beta,
            [(self.product_std, 1, 1e12), (self.product_a, 1, -1e12 + 50.0)],
        )
        with self.assertRaisesRegex(UserError, r"50\.00"):
            invoice.action_post()

    def test_attack_another_company_floor(self):
        published_2 = self.env["product.pricelist"].create(
            {
                "name": "Published 2",
                "currency_id": self.company.currency_id.id,
                "company_id": self.company_2.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.product_std.id,
                            "compute_price": "fixed",
                            "fixed_price": 300.0,
                        }
                    )
                ],
            }
        )
        self.company_2.octowatch_published_pricelist_id = published_2
        here = self._create_invoice_for(
            self.customer_beta, [(self.product_std, 1, 200)]
        )
        there = self._create_invoice_for(
            self.customer_beta.with_company(self.company_2),
            [(self.product_std, 1, 200.0)],
            company_id=self.company_2.id,
        )
        self.assertEqual(there.company_id, self.company_2)
        both = (here | there).with_context(
            allowed_company_ids=(self.company | self.company_2).ids
        )
        with self.assertRaisesRegex(UserError, r"300\.00") as error:
            both.action_post()
        self.assertIn(f"#{there.id} ", str(error.exception))
        self.assertNotIn(f"#{here.id} ", str(error.exception))
        here.action_post()
        self.assertEqual(here.state, "posted")

    def test_down_payment_deduction_is_not_a_discount(self):
        order = self._create_order(self.customer_alfa, [(self.product_std, 5, 100.0)])
        order.action_confirm()
        down_payment = self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=order.ids
        )
        down_payment.create(
            {"advance_payment_method": "percentage", "amount": 30}
        ).create_invoices()
        order.invoice_ids.action_post()
        down_payment.create({"advance_payment_method": "delivered"}).create_invoices()
        final = order.invoice_ids.filtered(lambda move: move.state == "draft")
        deduction = final.invoice_line_ids.filtered("is_downpayment")
        self.assertEqual(deduction.price_subtotal, -150.0)
        # More than the down payment taken off is a discount.
        deduction.price_unit *= 3
        with self.assertRaisesRegex(UserError, "below the published price"):
            final.action_post()
        deduction.price_unit /= 3
        final.action_post()
        self.assertEqual(final.state, "posted")

    def test_check_queries_do_not_grow_with_lines_of_every_kind(self):
        """Units, negative lines, approvals and invoices: the check's queries stay
        the same for 5 lines and for 50."""

        def lines(n_lines):
            return [
                (
                    self.product_std if i % 2 else self.product_ent,
                    1 + i,
                    50.0 if i % 4 else 500.0,
                    {"product_uom_id": self.uom_dozen.id} if i % 3 else {},
                )
                for i in range(n_lines)
            ] + [(self.product_a, 1, -10.0)]

        def count_queries(n_lines):
            order = self._create_order(self.customer_alfa, lines(n_lines))
            self._approve(order)
            order.action_confirm()
            invoice = order._create_invoices()
            direct = self._create_invoice_for(self.customer_beta, lines(n_lines))
            counts = []
            for check in (
                order._octowatch_check_pricing,
                lambda: self.env["account.move.line"]._octowatch_floor_check(
                    invoice | direct
                ),
            ):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                check()
                counts.append(self.env.cr.sql_log_count - before)
            return counts

        count_queries(2)  # warm the registry caches (access rights, precisions)
        self.assertEqual(count_queries(5), count_queries(50))
