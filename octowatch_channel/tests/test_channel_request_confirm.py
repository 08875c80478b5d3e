# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import TIN_ALFA, TIN_SPARE, OctowatchChannelCommon, load_migration


@tagged("post_install", "-at_install")
class TestChannelRequestConfirm(OctowatchChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Request = cls.env["octowatch.channel.request"]

    def _deal_request(self):
        """The agent's registration of 10 Enterprise licences for Spare LLC."""
        return self.Request.create(
            {
                "request_type": "deal",
                "requester_id": self.agent_contact.id,
                "tin": TIN_SPARE,
                "company_name": "Spare LLC",
                "product_id": self.product_ent.id,
                "license_qty": 10,
            }
        )

    def test_invoice_makes_quotation_on_partner_pricelist(self):
        request = self._invoice_request()
        request.with_user(self.user_channel).action_confirm()
        order = request.sale_order_id
        self.assertEqual(request.state, "done")
        self.assertEqual(order.partner_id, self.channel_partner)
        self.assertEqual(order.pricelist_id, self.pricelist_partner)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.origin, request.name)
        line = order.order_line
        self.assertEqual(line.product_id, self.product_std)
        self.assertEqual(line.product_uom_qty, 20)
        # Published 100, partner pricelist 30% off.
        self.assertAlmostEqual(line.price_unit, 70.0)
        self.assertEqual(line.octowatch_end_customer_id, self.customer_alfa)
        self.assertEqual(request.end_customer_id, self.customer_alfa)

    def test_invoice_creates_unknown_end_customer(self):
        request = self._invoice_request(
            account_email="Admin@New-Client.example", company_name="New Client LLC"
        )
        request.action_confirm()
        customer = request.end_customer_id
        self.assertEqual(customer.name, "New Client LLC")
        self.assertEqual(customer.octowatch_account_email, "admin@new-client.example")
        self.assertEqual(customer.octowatch_owner_id, self.channel_partner)
        self.assertTrue(customer.octowatch_is_end_customer)
        self.assertEqual(
            request.sale_order_id.order_line.octowatch_end_customer_id, customer
        )
        # A second request for the same account finds the same customer.
        again = self._invoice_request(account_email="admin@new-client.example")
        again.action_confirm()
        self.assertEqual(again.end_customer_id, customer)

    def test_invoice_for_another_intermediarys_customer_refused(self):
        """The Partner typed only an email: the refusal emailed to it names neither
        the customer nor its owner, and links no customer to the request."""
        request = self._invoice_request(account_email="it@beta.example.com")
        request.with_user(self.user_channel).action_confirm()
        self.assertEqual(request.state, "rejected")
        self.assertIn("Already attached", request.rejection_reason)
        self.assertIn("it@beta.example.com", request.rejection_reason)
        self.assertFalse(request.sale_order_id)
        self.assertFalse(request.end_customer_id)
        self.assertEqual(self.customer_beta.octowatch_owner_id, self.agent)
        email = request.message_ids[0]
        self.assertIn("is rejected", email.body)
        for secret in (self.customer_beta.name, self.agent.name, self.agent.vat):
            self.assertNotIn(secret, request.rejection_reason)
            self.assertNotIn(secret, email.body)

    def test_partner_pricelist_of_the_partner_wins(self):
        own = self.pricelist_partner.copy({"name": "Gold partners"})
        self.channel_partner.property_product_pricelist = own
        request = self._invoice_request()
        request.action_confirm()
        self.assertEqual(request.sale_order_id.pricelist_id, own)

    def test_confirm_refused_while_problems_remain(self):
        request = self._invoice_request(license_qty=0, account_email="nope")
        with self.assertRaises(UserError) as caught:
            request.action_confirm()
        message = str(caught.exception)
        self.assertIn('Account Email "nope" is not a valid email address.', message)
        self.assertIn("Licences is missing.", message)
        self.assertEqual(request.state, "new")
        # Staff fix the request, then it goes through.
        request.write({"license_qty": 5, "account_email": "it@alfa.example.com"})
        request.action_confirm()
        self.assertEqual(request.state, "done")

    def test_agent_can_not_get_an_invoice_request_confirmed(self):
        request = self._invoice_request(requester_id=self.agent_contact.id)
        with self.assertRaisesRegex(UserError, "Test Agent LLC is an OctoWatch Agent"):
            request.action_confirm()

    def test_reject_emails_the_reason(self):
        request = self._invoice_request()
        action = request.with_user(self.user_channel).action_reject()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_channel)
            .with_context(**action["context"])
        )
        wizard_form.reason = "This client is served by another partner."
        wizard_form.save().action_reject()
        self.assertEqual(request.state, "rejected")
        self.assertEqual(
            request.rejection_reason, "This client is served by another partner."
        )
        mail = request.message_ids.filtered(
            lambda m: m.subject == f"Request {request.name} rejected"
        )
        self.assertEqual(mail.partner_ids, self.channel_partner_contact)
        self.assertIn("This client is served by another partner.", mail.body)
        with self.assertRaises(UserError):
            request.action_confirm()
        # Reset puts it back in the queue.
        request.action_reset()
        self.assertEqual(request.state, "new")
        self.assertFalse(request.rejection_reason)

    def test_reject_needs_a_reason(self):
        request = self._invoice_request()
        with self.assertRaises(UserError):
            request._octowatch_reject("  ")

    def test_service_confirm_plans_an_activity(self):
        request = self.Request.create(
            {
                "request_type": "service",
                "service_kind": "presentation",
                "requester_id": self.agent_contact.id,
                "user_id": self.user_manager.id,
                "description": "A presentation for the board of Beta.",
            }
        )
        request.action_confirm()
        self.assertEqual(request.state, "done")
        activity = request.activity_ids
        self.assertEqual(activity.user_id, self.user_manager)
        self.assertEqual(activity.summary, "Plan presentation for Test Agent LLC")

    def test_deal_confirm(self):
        request = self._deal_request()
        request.action_confirm()
        if "octowatch.deal.registration" in self.env:
            self.assertIn(request.state, ("done", "rejected"))
        else:
            self.assertEqual(request.state, "needs_review")
            self.assertEqual(
                request.review_notes, "Deal registration is not available."
            )

    def test_attribution_confirm(self):
        request = self.Request.create(
            {
                "request_type": "attribution",
                "requester_id": self.channel_partner_contact.id,
                "tin": TIN_ALFA,
            }
        )
        if hasattr(self.env["res.partner"], "_octowatch_attach"):
            request.action_confirm()
            self.assertEqual(request.state, "done")
            self.assertEqual(request.end_customer_id, self.customer_alfa)
        else:
            request.action_confirm()
            self.assertEqual(request.state, "needs_review")
            self.assertEqual(request.review_notes, "Attribution is not available.")

    def test_portal_users_see_only_their_companys_requests(self):
        mine = self._invoice_request()
        theirs = self.Request.create(
            {
                "request_type": "deal",
                "requester_id": self.agent_contact.id,
                "tin": TIN_SPARE,
            }
        )
        as_partner = self.Request.with_user(self.portal_partner)
        self.assertEqual(as_partner.search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.portal_partner).read(["tin"])
        self.assertEqual(self.Request.with_user(self.portal_agent).search([]), theirs)
        self.assertFalse(self.Request.with_user(self.portal_client).search([]))
        with self.assertRaises(AccessError):
            mine.with_user(self.portal_partner).write({"license_qty": 1000})
        with self.assertRaises(AccessError):
            self.Request.with_user(self.portal_partner).create(
                {"requester_id": self.channel_partner_contact.id}
            )
        with self.assertRaises(AccessError):
            mine.with_user(self.user_employee).read(["license_qty"])

    def test_deal_link_is_stored_on_the_deal_only(self):
        """The request reads its deal from the deal's request_id: one stored side,
        and the request finds its deal by it."""
        request = self._deal_request()
        request.action_confirm()
        deal = request.deal_id
        self.assertTrue(deal)
        self.assertEqual(deal.request_id, request)
        self.assertFalse(self.Request._fields["deal_id"].store)
        self.assertEqual(self.Request.search([("deal_id", "=", deal.id)]), request)
        self.assertEqual(
            self.Request.search([("deal_id", "!=", False), ("id", "=", request.id)]),
            request,
        )

    def test_migration_moves_the_request_deal_link_to_the_deal(self):
        """19.0.1.1.0 stored the link on both sides: the upgrade keeps the deal's."""
        request = self._invoice_request()
        deal = self.env["octowatch.deal.registration"]._register_deal(
            self.agent, TIN_SPARE, "Spare LLC", self.product_ent, 10
        )
        self.assertFalse(deal.request_id)
        self.env.flush_all()
        self.env.cr.execute(
            "ALTER TABLE octowatch_channel_request ADD COLUMN deal_id integer"
        )
        self.env.cr.execute(
            "UPDATE octowatch_channel_request SET deal_id = %s WHERE id = %s",
            [deal.id, request.id],
        )
        migration = load_migration("19.0.1.2.0", "post-migrate-link-sides.py")
        migration.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(deal.request_id, request)
        self.assertEqual(request.deal_id, deal)
        self.env.cr.execute(
            """SELECT 1 FROM information_schema.columns
                WHERE table_name = 'octowatch_channel_request'
                  AND column_name = 'deal_id'"""
        )
        self.assertFalse(self.env.cr.rowcount, "the request's column is gone")
