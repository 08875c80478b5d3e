# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestSettings(OctowatchChannelCommon):
    def test_settings_round_trip(self):
        journal = self.company_data["default_journal_purchase"]
        settings = Form(self.env["res.config.settings"])
        settings.octowatch_deal_validity_days = 60
        settings.octowatch_published_pricelist_id = self.pricelist_published
        settings.octowatch_partner_pricelist_id = self.pricelist_partner
        settings.octowatch_commission_product_id = self.product_commission
        settings.octowatch_commission_journal_id = journal
        settings.octowatch_provisioning_url = (
            "https://licensing.example.com/api/credits"
        )
        settings.octowatch_provisioning_secret = "s3cret"
        settings.save().execute()

        company = self.company
        self.assertEqual(company.octowatch_deal_validity_days, 60)
        self.assertEqual(
            company.octowatch_published_pricelist_id, self.pricelist_published
        )
        self.assertEqual(company.octowatch_partner_pricelist_id, self.pricelist_partner)
        self.assertEqual(
            company.octowatch_commission_product_id, self.product_commission
        )
        self.assertEqual(company.octowatch_commission_journal_id, journal)
        self.assertEqual(
            company.octowatch_provisioning_url,
            "https://licensing.example.com/api/credits",
        )
        self.assertEqual(company.octowatch_provisioning_secret, "s3cret")

        reopened = self.env["res.config.settings"].create({})
        self.assertEqual(reopened.octowatch_deal_validity_days, 60)
        self.assertEqual(reopened.octowatch_commission_journal_id, journal)

    def test_kpp_of_a_russian_company(self):
        for kpp in ("770501001", "7705AB001"):
            self.company.octowatch_kpp = kpp
            self.assertEqual(self.company.octowatch_kpp, kpp)

    def test_default_deal_validity(self):
        company = self.env["res.company"].create({"name": "Fresh Company"})
        self.assertEqual(company.octowatch_deal_validity_days, 90)

    def test_invalid_settings_refused(self):
        cases = [
            ({"octowatch_deal_validity_days": 0}, "positive number of days"),
            (
                {
                    "octowatch_commission_journal_id": self.company_data[
                        "default_journal_sale"
                    ].id
                },
                "must be a purchase journal",
            ),
            (
                {"octowatch_provisioning_url": "ftp://licensing.example.com"},
                "must be an https URL",
            ),
            (
                {"octowatch_provisioning_url": "http://licensing.example.com"},
                "must be an https URL",
            ),
            ({"octowatch_provisioning_max_attempts": 0}, "at least 1"),
            ({"octowatch_kpp": "77050100X"}, "KPP .* is not valid"),
            ({"octowatch_kpp": "7705010"}, "KPP .* is not valid"),
            (
                {"octowatch_published_pricelist_id": self.pricelist_partner.id},
                "is a partner pricelist",
            ),
            (
                {"octowatch_partner_pricelist_id": self.pricelist_published.id},
                "is not flagged",
            ),
        ]
        for vals, message in cases:
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                self.company.write(vals)
        self.assertEqual(self.company.octowatch_deal_validity_days, 90)
        self.assertEqual(
            self.company.octowatch_published_pricelist_id, self.pricelist_published
        )

    def test_pricelists_feature_is_on(self):
        # Installing the addon turns on Odoo's Pricelists for every internal user.
        self.assertIn(
            self.env.ref("product.group_product_pricelist"),
            self.env.ref("base.group_user").all_implied_ids,
        )
        self.assertTrue(self.user_employee.has_group("product.group_product_pricelist"))

    def test_saving_settings_keeps_the_pricelists(self):
        settings = Form(self.env["res.config.settings"])
        self.assertTrue(settings.group_product_pricelist)
        settings.octowatch_deal_validity_days = 45
        settings.save().execute()
        self.assertEqual(self.company.octowatch_deal_validity_days, 45)
        for pricelist in (self.pricelist_published, self.pricelist_partner):
            self.assertTrue(pricelist.active, pricelist.name)
        self.assertEqual(
            self.company.octowatch_published_pricelist_id, self.pricelist_published
        )
        self.assertEqual(
            self.company.octowatch_partner_pricelist_id, self.pricelist_partner
        )

    def test_settings_cannot_turn_pricelists_off(self):
        wizard = Form(self.env["res.config.settings"]).save()
        # The Sales checkbox is read-only; unticked anyway, it ticks itself again.
        wizard.group_product_pricelist = False
        warning = wizard._onchange_group_sale_pricelist()["warning"]
        self.assertIn("needs the Pricelists feature", warning["message"])
        self.assertTrue(wizard.group_product_pricelist)
        wizard.group_product_pricelist = False  # as an RPC call could write it
        wizard.execute()
        self.assertIn(
            self.env.ref("product.group_product_pricelist"),
            self.env.ref("base.group_user").all_implied_ids,
        )
        for pricelist in (self.pricelist_published, self.pricelist_partner):
            self.assertTrue(pricelist.active, pricelist.name)
