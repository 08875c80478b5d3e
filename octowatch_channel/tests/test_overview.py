# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from ast import literal_eval

from odoo.tests import tagged

from .common import OctowatchChannelCommon

OVERVIEW_ACTIONS = (
    "octowatch_channel.action_octowatch_overview_deals",
    "octowatch_channel.action_octowatch_overview_licenses",
    "octowatch_channel.action_octowatch_overview_commissions",
    "octowatch_channel.action_octowatch_overview_requests",
)


@tagged("post_install", "-at_install")
class TestOverview(OctowatchChannelCommon):
    def test_overview_is_the_first_menu_with_its_four_reports(self):
        root = self.env.ref("octowatch_channel.menu_octowatch_root")
        overview = self.env.ref("octowatch_channel.menu_octowatch_overview")
        self.assertEqual(root.child_id.sorted("sequence")[:1], overview)
        self.assertEqual(
            overview.child_id.sorted("sequence").mapped("action"),
            [self.env.ref(xmlid) for xmlid in OVERVIEW_ACTIONS],
        )

    def test_channel_user_opens_every_overview_action(self):
        Actions = self.env["ir.actions.act_window"].with_user(self.user_channel)
        for xmlid in OVERVIEW_ACTIONS:
            action = Actions._for_xml_id(xmlid)
            self.assertIn("o_view_nocontent_smiling_face", action["help"], xmlid)
            model = self.env[action["res_model"]].with_user(self.user_channel)
            model.search_count(literal_eval(action.get("domain") or "[]"))

    def test_requests_waiting_lists_new_and_to_review_only(self):
        Request = self.env["octowatch.channel.request"]
        waiting = Request.create(
            {"request_type": "invoice", "requester_id": self.channel_partner_contact.id}
        )
        waiting._octowatch_set_problems({"x": "A problem."})
        new = Request.create(
            {
                "request_type": "service",
                "service_kind": "support",
                "requester_id": self.agent_contact.id,
            }
        )
        done = Request.create(
            {
                "request_type": "service",
                "service_kind": "support",
                "requester_id": self.agent_contact.id,
            }
        )
        done.action_confirm()
        action = self.env["ir.actions.act_window"]._for_xml_id(OVERVIEW_ACTIONS[3])
        found = Request.search(literal_eval(action["domain"]))
        self.assertIn(waiting, found)
        self.assertIn(new, found)
        self.assertNotIn(done, found)

    def test_every_window_action_of_the_addon_has_an_empty_state(self):
        actions = self.env["ir.actions.act_window"].search(
            [
                ("res_model", "not in", (False, "res.config.settings")),
                ("target", "not in", ("new", "inline")),
            ]
        )
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "octowatch_channel"),
                ("model", "=", "ir.actions.act_window"),
                ("res_id", "in", actions.ids),
            ]
        )
        self.assertTrue(data)
        for action in actions.browse(data.mapped("res_id")):
            self.assertIn(
                "o_view_nocontent_smiling_face", action.help or "", action.name
            )
