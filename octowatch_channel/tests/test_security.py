# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestAccessRights(OctowatchChannelCommon):
    def test_channel_user_reads_but_does_not_sign_agreements(self):
        Agreement = self.env["octowatch.agency.agreement"].with_user(self.user_channel)
        self.assertEqual(
            Agreement.search([("agent_id", "=", self.agent.id)]), self.agreement
        )
        with self.assertRaises(AccessError):
            Agreement.create({"agent_id": self.agent.id, "commission_rate": 50.0})
        with self.assertRaises(AccessError):
            self.agreement.with_user(self.user_channel).commission_rate = 50.0

    def test_manager_signs_agreements(self):
        self.agreement.date_end = "2024-12-31"
        agreement = (
            self.env["octowatch.agency.agreement"]
            .with_user(self.user_manager)
            .create(
                {
                    "agent_id": self.agent.id,
                    "commission_rate": 7.5,
                    "date_start": "2025-01-01",
                }
            )
        )
        agreement.action_activate()
        self.assertEqual(agreement.state, "active")

    def test_employee_and_portal_see_no_agreement(self):
        for user in (self.user_employee, self.portal_agent, self.portal_partner):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.agreement.with_user(user).read(["commission_rate"])

    def test_other_company_agreement_hidden(self):
        other = self.env["octowatch.agency.agreement"].create(
            {
                "agent_id": self.agent.id,
                "commission_rate": 5.0,
                "company_id": self.company_2.id,
            }
        )
        Agreement = self.env["octowatch.agency.agreement"].with_user(self.user_manager)
        self.assertNotIn(other, Agreement.search([]))
        with self.assertRaises(AccessError):
            other.with_user(self.user_manager).read(["commission_rate"])

    def test_portal_cannot_change_role_or_owner(self):
        with self.assertRaises(AccessError):
            self.channel_partner.with_user(self.portal_partner).write(
                {"octowatch_role": "agent"}
            )
        with self.assertRaises(AccessError):
            self.customer_beta.with_user(self.portal_partner).write(
                {"octowatch_owner_id": self.channel_partner.id}
            )

    def test_provisioning_secret_for_administrators_only(self):
        self.company.octowatch_provisioning_secret = "s3cret"
        with self.assertRaises(AccessError):
            self.company.with_user(self.user_manager).read(
                ["octowatch_provisioning_secret"]
            )

    def test_settings_app_for_managers(self):
        menu = self.env.ref("octowatch_channel.menu_octowatch_config")
        self.assertIn(
            self.env.ref("octowatch_channel.group_octowatch_manager"), menu.group_ids
        )
        root = self.env.ref("octowatch_channel.menu_octowatch_root")
        visible = (
            self.env["ir.ui.menu"].with_user(self.user_channel)._visible_menu_ids()
        )
        self.assertIn(root.id, visible)
        self.assertNotIn(menu.id, visible)
        visible_employee = (
            self.env["ir.ui.menu"].with_user(self.user_employee)._visible_menu_ids()
        )
        self.assertNotIn(root.id, visible_employee)
