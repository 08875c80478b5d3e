# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import TIN_NEW, TIN_SPARE, OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestAttribution(OctowatchChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.self_registered = cls.env["res.partner"].create(
            {
                "name": "Self Registered LLC",
                "is_company": True,
                "country_id": cls.russia.id,
                "vat": TIN_NEW,
                "email": "admin@self.example.com",
                "octowatch_is_end_customer": True,
            }
        )
        cls.self_registered_contact = cls.env["res.partner"].create(
            {"name": "Admin", "parent_id": cls.self_registered.id}
        )

    def test_first_come_first_served(self):
        customer = self.self_registered
        self.assertTrue(
            customer._octowatch_attach(self.agent_contact, reason="request #12")
        )
        self.assertEqual(customer.octowatch_owner_id, self.agent)
        self.assertEqual(self.self_registered_contact.octowatch_owner_id, self.agent)
        self.assertIn("request #12", customer.message_ids[0].body)

        self.assertTrue(customer._octowatch_attach(self.agent), "same owner again")
        self.assertFalse(customer._octowatch_attach(self.channel_partner))
        self.assertFalse(self.self_registered_contact._octowatch_attach(self.agent_2))
        self.assertEqual(customer.octowatch_owner_id, self.agent)

    def test_attach_to_a_non_member_refused(self):
        with self.assertRaisesRegex(ValidationError, "neither an OctoWatch Partner"):
            self.self_registered._octowatch_attach(self.customer_beta)

    def test_attached_customer_not_moved_by_a_plain_write(self):
        with self.assertRaisesRegex(UserError, "Move to Another Owner"):
            self.customer_beta.octowatch_owner_id = self.channel_partner
        with self.assertRaisesRegex(UserError, "Move to Another Owner"):
            self.customer_beta.octowatch_owner_id = False
        self.self_registered.octowatch_owner_id = self.channel_partner
        self.assertEqual(self.self_registered.octowatch_owner_id, self.channel_partner)

    def test_manager_moves_a_customer_with_a_reason(self):
        action = self.customer_beta.with_user(
            self.user_manager
        ).action_open_octowatch_attribute()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_manager)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard.current_owner_id, self.agent)
        wizard.new_owner_id = self.agent_2
        wizard.reason = "The customer signed with the second agent"
        wizard.save().action_apply()
        self.assertEqual(self.customer_beta.octowatch_owner_id, self.agent_2)
        body = self.customer_beta.message_ids[0].body
        self.assertIn("signed with the second agent", body)
        self.assertIn(self.agent.name, body)

    def test_channel_user_cannot_move_a_customer(self):
        with self.assertRaises(AccessError):
            self.env["octowatch.partner.attribute"].with_user(self.user_channel).create(
                {
                    "partner_id": self.customer_beta.id,
                    "new_owner_id": self.agent_2.id,
                    "reason": "Because",
                }
            )

    def test_owner_move_key_is_no_bypass_over_rpc(self):
        """The context key of the internal moves does not let a Channel User move a
        customer with a plain ``write``, as an RPC call could (case 12)."""
        customer = self.customer_beta.with_user(self.user_channel).with_context(
            octowatch_owner_move=True
        )
        for new_owner in (self.agent_2, self.env["res.partner"]):
            with (
                self.subTest(new_owner=new_owner.name),
                self.assertRaisesRegex(AccessError, "Only a Channel Manager"),
            ):
                customer.write({"octowatch_owner_id": new_owner.id})
        self.assertEqual(self.customer_beta.octowatch_owner_id, self.agent)
        # The contacts follow their company and are moved with it, never alone.
        contact = self.customer_alfa_contact.with_user(self.user_channel)
        with self.assertRaises(AccessError):
            contact.with_context(octowatch_owner_move=True).write(
                {"octowatch_owner_id": self.agent_2.id}
            )

    def test_channel_user_still_releases_by_losing_a_deal(self):
        """The internal release (a deal lost or expired) goes through its own path
        and works for a Channel User."""
        deal = self.env["octowatch.deal.registration"]._register_deal(
            self.agent, TIN_NEW, "", self.product_std, 3
        )
        self.assertEqual(self.self_registered.octowatch_owner_id, self.agent)
        deal.with_user(self.user_channel)._action_lose("The customer went elsewhere")
        self.assertFalse(self.self_registered.octowatch_owner_id)

    def test_no_move_by_giving_the_customer_a_parent(self):
        """A customer made a contact of another owner's client would take that
        owner: a move too, refused as the field's own write is."""
        customer = self.customer_beta.with_user(self.user_channel)
        # assertRaises rolls the write back, which the refusal follows.
        with self.assertRaises(UserError) as caught:
            customer.write({"parent_id": self.customer_alfa.id})
        self.assertIn("Move to Another Owner", str(caught.exception))
        with self.assertRaises(AccessError):
            customer.with_context(octowatch_owner_move=True).write(
                {"parent_id": self.customer_alfa.id}
            )
        self.assertFalse(self.customer_beta.parent_id)
        self.assertEqual(self.customer_beta.octowatch_owner_id, self.agent)
        # A free customer may join an owned company: it is attached, not moved.
        self.self_registered_contact.write({"parent_id": self.customer_alfa.id})
        self.assertEqual(
            self.self_registered_contact.octowatch_owner_id, self.channel_partner
        )

    def _other_company_client(self):
        """An end customer of the second company, with a TIN and an email that the
        first company's requests also name."""
        return self.env["res.partner"].create(
            {
                "name": "Other Company Client",
                "is_company": True,
                "country_id": self.russia.id,
                "vat": TIN_SPARE,
                "email": "it@other-company.example.com",
                "company_id": self.company_2.id,
                "octowatch_is_end_customer": True,
            }
        )

    def test_end_customer_of_another_company_is_not_found(self):
        """One finder, scoped to the company: another company's customer with the
        same TIN or email is nobody's customer here (case 4 of issue 15)."""
        other = self._other_company_client()
        Partner = self.env["res.partner"]
        for keys in (
            {"tin": TIN_SPARE},
            {"account_email": "it@other-company.example.com"},
            {"name": "Other Company Client"},
        ):
            with self.subTest(**keys):
                self.assertFalse(
                    Partner._octowatch_find_end_customer(self.company, **keys)
                )
                self.assertEqual(
                    Partner._octowatch_find_end_customer(self.company_2, **keys), other
                )
        # Only an owner's own clients, and an empty owner has none.
        self.assertFalse(
            Partner._octowatch_find_end_customer(
                self.company_2, tin=TIN_SPARE, owner=self.agent
            )
        )
        self.assertFalse(
            Partner._octowatch_find_end_customer(
                self.company_2, tin=TIN_SPARE, owner=Partner
            )
        )
        # The first company's customers are still found, by TIN or email.
        self.assertEqual(
            Partner._octowatch_find_end_customer(self.company, tin=TIN_NEW),
            self.self_registered,
        )
        self.assertEqual(
            Partner._octowatch_find_end_customer(
                self.company, account_email="admin@self.example.com"
            ),
            self.self_registered,
        )

    def test_attribution_does_not_take_another_companys_customer(self):
        other = self._other_company_client()
        for keys in (
            {"tin": TIN_SPARE},
            {"account_email": "it@other-company.example.com"},
        ):
            request = self.env["octowatch.channel.request"].create(
                {
                    "request_type": "attribution",
                    "requester_id": self.agent_contact.id,
                    **keys,
                }
            )
            with (
                self.subTest(**keys),
                self.assertRaisesRegex(UserError, "no end customer has this"),
            ):
                request.action_confirm()
        self.assertFalse(other.octowatch_owner_id)

    def test_deal_and_invoice_leave_another_companys_customer_alone(self):
        other = self._other_company_client()
        deal = self.env["octowatch.deal.registration"]._register_deal(
            self.agent, TIN_SPARE, "Spare LLC", self.product_std, 3
        )
        self.assertEqual(deal.state, "registered")
        self.assertNotEqual(deal.end_customer_id, other)
        request = self._invoice_request(
            account_email="it@other-company.example.com", company_name="Here LLC"
        )
        request.action_confirm()
        self.assertEqual(request.state, "done")
        self.assertNotEqual(request.end_customer_id, other)
        self.assertFalse(other.octowatch_owner_id)

    def test_requester_of_another_company_is_not_found(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Other Company Buyer",
                "email": "buyer@other-company.example.com",
                "company_id": self.company_2.id,
            }
        )
        Partner = self.env["res.partner"]
        email = "buyer@other-company.example.com"
        self.assertFalse(Partner._octowatch_find_requester(email, self.company))
        self.assertEqual(
            Partner._octowatch_find_requester(email, self.company_2), contact
        )
