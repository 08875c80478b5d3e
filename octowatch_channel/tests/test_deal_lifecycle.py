# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import DealCommon


@tagged("post_install", "-at_install")
class TestDealLifecycle(DealCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-01 10:00:00"):
            cls.deal = cls._register_deal()
        # Expires on 2026-05-30 (90 days); reminded from 2026-05-23 (7 days before).

    def _messages_with_subject(self, text):
        return self.deal.message_ids.filtered(lambda m: text in (m.subject or ""))

    def test_reminder_sent_once_before_expiry(self):
        self.assertEqual(self.deal.date_expiry, date(2026, 5, 30))
        with freeze_time("2026-05-22"):
            self.Deal._cron_send_reminders()
        self.assertFalse(self.deal.expiry_reminder_sent)
        self.assertFalse(self._messages_with_subject("expires on"))

        with freeze_time("2026-05-23"):
            self.Deal._cron_send_reminders()
        reminder = self._messages_with_subject("expires on")
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.partner_ids, self.agent)
        self.assertIn(self.deal.name, reminder.subject)
        self.assertTrue(self.deal.expiry_reminder_sent)

        with freeze_time("2026-05-25"):
            self.Deal._cron_send_reminders()
        self.assertEqual(len(self._messages_with_subject("expires on")), 1)

    def test_reminder_days_from_settings(self):
        self.company.octowatch_deal_reminder_days = 20
        with freeze_time("2026-05-10"):
            self.Deal._cron_send_reminders()
        self.assertTrue(self.deal.expiry_reminder_sent)

    def test_no_reminder_when_turned_off(self):
        self.company.octowatch_deal_reminder_days = 0
        with freeze_time("2026-05-29"):
            self.Deal._cron_send_reminders()
        self.assertFalse(self.deal.expiry_reminder_sent)

    def test_expiry_cron_with_frozen_clock(self):
        customer = self.deal.end_customer_id
        with freeze_time("2026-05-30"):
            self.Deal._cron_expire()
        self.assertEqual(self.deal.state, "registered", "protected on its last day")
        with freeze_time("2026-05-31"):
            self.Deal._cron_expire()
        self.assertEqual(self.deal.state, "expired")
        expired = self._messages_with_subject("has expired")
        self.assertEqual(len(expired), 1)
        self.assertEqual(expired.partner_ids, self.agent)
        self.assertFalse(customer.octowatch_owner_id)
        self.assertIn(self.deal.name, customer.message_ids[0].body)

    def test_invoiced_deal_does_not_expire(self):
        self.deal.action_request_invoice()
        with freeze_time("2026-12-31"):
            self.Deal._cron_expire()
        self.assertEqual(self.deal.state, "invoiced")

    def test_expired_customer_kept_when_it_was_already_attached(self):
        self.deal._action_lose("Cancelled")
        customer = self._own_customer()
        own_deal = self._register_deal(tin=customer.vat, name="Own")
        with freeze_time("2100-01-01"):
            self.Deal._cron_expire()
        self.assertEqual(own_deal.state, "expired")
        self.assertEqual(customer.octowatch_owner_id, self.agent)

    def test_manager_extends_once_with_a_reason(self):
        deal = self.deal.with_user(self.user_manager)
        action = deal.action_open_extend()
        with freeze_time("2026-05-20"):
            wizard = Form(
                self.env[action["res_model"]]
                .with_user(self.user_manager)
                .with_context(**action["context"])
            )
            self.assertEqual(wizard.date_expiry, date(2026, 8, 28))
            wizard.date_expiry = date(2026, 6, 30)
            wizard.reason = "Tender postponed by the customer"
            wizard.save().action_extend()
        self.assertEqual(self.deal.date_expiry, date(2026, 6, 30))
        self.assertEqual(self.deal.date_extended, date(2026, 5, 20))
        self.assertEqual(self.deal.extension_reason, "Tender postponed by the customer")
        self.assertIn("Tender postponed", self.deal.message_ids[0].body)
        with freeze_time("2026-05-31"):
            self.Deal._cron_expire()
        self.assertEqual(self.deal.state, "registered")

        with self.assertRaisesRegex(UserError, "extended once"):
            deal._action_extend(date(2026, 7, 31), "Once more")

    def test_extension_resets_the_reminder(self):
        with freeze_time("2026-05-25"):
            self.Deal._cron_send_reminders()
            self.deal.with_user(self.user_manager)._action_extend(
                date(2026, 7, 30), "More time"
            )
        self.assertFalse(self.deal.expiry_reminder_sent)

    def test_extension_needs_reason_and_later_date(self):
        deal = self.deal.with_user(self.user_manager)
        with self.assertRaisesRegex(UserError, "reason"):
            deal._action_extend(date(2026, 6, 30), "  ")
        with self.assertRaisesRegex(UserError, "after the current one"):
            deal._action_extend(date(2026, 5, 1), "Earlier")

    def test_channel_user_cannot_extend(self):
        with self.assertRaises(AccessError):
            self.env["octowatch.deal.extend"].with_user(self.user_channel).create(
                {"deal_ids": self.deal.ids, "reason": "Please"}
            )
        with self.assertRaisesRegex(UserError, "Only a Channel Manager"):
            self.deal.with_user(self.user_channel)._action_extend(
                date(2026, 6, 30), "Please"
            )

    def test_mark_lost_needs_a_reason(self):
        action = self.deal.with_user(self.user_channel).action_open_lose()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_channel)
            .with_context(**action["context"])
        )
        with self.assertRaisesRegex(AssertionError, "reason"):
            wizard.save()
        with self.assertRaisesRegex(UserError, "reason"):
            self.deal._action_lose(" ")
        wizard.reason = "Budget cut"
        wizard.save().action_lose()
        self.assertEqual(self.deal.state, "lost")
        self.assertEqual(self.deal.lost_reason, "Budget cut")
        with self.assertRaisesRegex(UserError, "only registered or invoiced"):
            self.deal._action_lose("Again")
