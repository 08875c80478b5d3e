# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import (
    TIN_GAMMA,
    TIN_PERSON_SMIRNOVA,
    TIN_PERSON_SPARE,
    TIN_SPARE,
    OctowatchChannelCommon,
)


@tagged("post_install", "-at_install")
class TestPartnerRoles(OctowatchChannelCommon):
    def _new_ru_partner(self, **vals):
        return self.env["res.partner"].create(
            {"name": "New Co", "is_company": True, "country_id": self.russia.id} | vals
        )

    def test_valid_legal_entity_tin(self):
        partner = self._new_ru_partner(
            vat=TIN_SPARE, octowatch_legal_form="legal_entity"
        )
        self.assertEqual(partner.vat, TIN_SPARE)

    def test_valid_individual_tin(self):
        partner = self._new_ru_partner(
            vat=TIN_PERSON_SPARE, octowatch_legal_form="individual_entrepreneur"
        )
        self.assertEqual(partner.vat, TIN_PERSON_SPARE)

    def test_tin_separators_and_prefix_normalised(self):
        partner = self._new_ru_partner(vat=" 7897-530 723 ")
        self.assertEqual(partner.vat, TIN_SPARE, "spaces and dashes are removed")
        partner.vat = "RU 7885.185.053"
        self.assertEqual(partner.vat, TIN_GAMMA, "the RU prefix and dots are removed")

    def test_tin_bad_checksum(self):
        with self.assertRaisesRegex(ValidationError, "check digits"):
            self._new_ru_partner(vat="7735181903")
        with self.assertRaisesRegex(ValidationError, "check digits"):
            self._new_ru_partner(vat="507971147112")

    def test_tin_bad_length(self):
        with self.assertRaisesRegex(
            ValidationError, "10 digits .* or 12 digits .*not 9"
        ):
            self._new_ru_partner(vat="773518190")
        with self.assertRaisesRegex(ValidationError, "not 11"):
            self._new_ru_partner(vat="78975307231")

    def test_tin_letters_refused(self):
        with self.assertRaisesRegex(ValidationError, "only digits"):
            self._new_ru_partner(vat="77351O1902")

    def test_tin_contradicting_legal_form(self):
        with self.assertRaisesRegex(
            ValidationError, "has 12 digits but the Legal Form"
        ):
            self._new_ru_partner(
                vat=TIN_PERSON_SPARE, octowatch_legal_form="legal_entity"
            )
        with self.assertRaisesRegex(
            ValidationError, "has 10 digits but the Legal Form"
        ):
            self._new_ru_partner(vat=TIN_SPARE, octowatch_legal_form="natural_person")

    def test_foreign_vat_not_validated_as_tin(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Belgian Co",
                "country_id": self.env.ref("base.be").id,
                "vat": "BE0477472701",
            }
        )
        self.assertEqual(partner.vat, "BE0477472701")

    def test_channel_partner_without_country_is_validated(self):
        with self.assertRaisesRegex(ValidationError, "check digits"):
            self.env["res.partner"].create(
                {"name": "No Country", "vat": "7735181903", "octowatch_role": "partner"}
            )

    def test_agent_never_natural_person(self):
        with self.assertRaisesRegex(ValidationError, "never a natural person"):
            self._new_ru_partner(
                vat=TIN_PERSON_SPARE,
                octowatch_role="agent",
                octowatch_legal_form="natural_person",
            )
        with self.assertRaisesRegex(ValidationError, "never a natural person"):
            self.agent.octowatch_legal_form = "natural_person"

    def test_agent_individual_entrepreneur_allowed(self):
        agent = self._new_ru_partner(
            vat=TIN_PERSON_SMIRNOVA,
            octowatch_role="agent",
            octowatch_legal_form="individual_entrepreneur",
        )
        self.assertEqual(agent.octowatch_role, "agent")

    def test_partner_natural_person_allowed(self):
        self.assertEqual(self.person_partner.octowatch_role, "partner")
        self.assertEqual(self.person_partner.octowatch_legal_form, "natural_person")

    def test_role_follows_commercial_entity(self):
        self.assertEqual(self.channel_partner_contact.octowatch_role, "partner")
        self.channel_partner.octowatch_role = "agent"
        self.assertEqual(self.channel_partner_contact.octowatch_role, "agent")
        self.assertEqual(
            self.customer_alfa_contact.octowatch_owner_id, self.channel_partner
        )

    def test_owner_must_be_channel_member(self):
        with self.assertRaisesRegex(
            ValidationError, "neither an OctoWatch Partner nor an Agent"
        ):
            self.customer_alfa.octowatch_owner_id = self.customer_beta
        with self.assertRaisesRegex(ValidationError, "only end customers have"):
            self.agent.octowatch_owner_id = self.channel_partner

    def test_end_customer_flag_and_account_email(self):
        self.assertTrue(self.customer_alfa.octowatch_is_end_customer)
        self.assertEqual(
            self.customer_alfa.octowatch_account_email, "it@alfa.example.com"
        )
        self.customer_alfa.octowatch_account_email = "owner@alfa.example.com"
        self.customer_alfa.email = "other@alfa.example.com"
        self.assertEqual(
            self.customer_alfa.octowatch_account_email,
            "owner@alfa.example.com",
            "an account email chosen on purpose is kept when the email changes",
        )
        with self.assertRaisesRegex(ValidationError, "not a valid email"):
            self.customer_alfa.octowatch_account_email = "not an email"

    def test_client_count_and_smart_button(self):
        self.assertEqual(self.channel_partner.octowatch_client_count, 1)
        action = self.channel_partner.action_view_octowatch_clients()
        clients = self.env["res.partner"].search(action["domain"])
        self.assertEqual(clients, self.customer_alfa)

    def test_partner_form_channel_tab(self):
        Partner = self.env["res.partner"].with_context(default_is_company=True)
        form = Form(Partner.with_user(self.user_manager))
        form.name = "Form Agent LLC"
        form.country_id = self.russia
        form.vat = TIN_SPARE
        form.octowatch_role = "agent"
        form.octowatch_legal_form = "legal_entity"
        partner = form.save()
        self.assertEqual(partner.octowatch_role, "agent")

        form = Form(Partner.with_user(self.user_channel))
        form.name = "Form Client LLC"
        with self.assertRaisesRegex(AssertionError, "readonly field 'octowatch_role'"):
            form.octowatch_role = "partner"
        with self.assertRaisesRegex(
            AssertionError, "readonly field 'octowatch_owner_id'"
        ):
            form.octowatch_owner_id = self.agent
        form.octowatch_is_end_customer = True
        form.email = "boss@client.example.com"
        client = form.save()
        self.assertTrue(client.octowatch_is_end_customer)
        self.assertEqual(client.octowatch_account_email, "boss@client.example.com")

    def test_partner_pricelist_that_is_the_first_pricelist_is_kept(self):
        """A Partner buys on its partner pricelist even when that pricelist comes first
        in the company, where Odoo stores no partner-specific value for it."""
        first = self.env["product.pricelist"].create(
            {
                "name": "First partner prices",
                "sequence": -100,
                "octowatch_is_partner_pricelist": True,
            }
        )
        partner = self._new_ru_partner(
            name="First Pricelist Reseller",
            octowatch_role="partner",
            property_product_pricelist=first.id,
        )
        self.assertEqual(
            partner._octowatch_partner_pricelist(),
            first,
            "kept at creation over the company's default partner pricelist",
        )
        self.env.company.octowatch_partner_pricelist_id = False
        self.assertEqual(partner._octowatch_partner_pricelist(), first)
