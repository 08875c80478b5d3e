# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import _super_send
from odoo.tools import mute_logger

from odoo.addons.octowatch_channel.models import octowatch_license_event

from .common import OctowatchChannelCommon, load_migration

SECRET = "kolibri-test-secret"


class LicensingService(ThreadingHTTPServer):
    """A licensing endpoint on 127.0.0.1 that answers from a script of statuses.

    Like the real service it honours the Idempotency-Key: a key it has accepted
    before is answered from its replay cache and changes nothing; ``applied`` lists
    the events it acted on.
    """

    def __init__(self):
        super().__init__(("127.0.0.1", 0), LicensingHandler)
        self.received = []
        self.statuses = []
        self.delay = 0.0
        self.replay_cache = set()
        self.applied = []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/api/licenses"


class LicensingHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        self.server.received.append(
            {
                "headers": dict(self.headers),
                "body": body,
                "payload": json.loads(body),
                "signature_ok": self.headers["X-OctoWatch-Signature"]
                == f"sha256={expected}",
            }
        )
        if self.server.delay:
            time.sleep(self.server.delay)
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        key = self.headers["Idempotency-Key"]
        if status < 300 and key not in self.server.replay_cache:
            self.server.replay_cache.add(key)
            self.server.applied.append(json.loads(body))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "busy"}')

    def log_message(self, *args):
        """Keep the test log quiet."""


@tagged("post_install", "-at_install")
class TestProvisioning(OctowatchChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = LicensingService()
        thread = threading.Thread(target=cls.service.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.service.server_close)
        cls.addClassCleanup(cls.service.shutdown)
        cls.company.write(
            {
                "octowatch_provisioning_url": cls.service.url,
                "octowatch_provisioning_secret": SECRET,
                "octowatch_provisioning_max_attempts": 3,
            }
        )
        cls.License = cls.env["octowatch.license"]

    def setUp(self):
        super().setUp()
        self.service.received.clear()
        self.service.statuses.clear()
        self.service.delay = 0.0
        self.service.replay_cache.clear()
        self.service.applied.clear()
        # The job commits after each push; inside a test the transaction must stay open.
        patcher = patch.object(
            type(self.env["ir.cron"]), "_commit_progress", lambda self, *a, **kw: 1.0
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def _paid_invoice(self, qty=5):
        invoice = self._create_invoice_for(
            self.customer_beta, [(self.product_std, qty, 100.0)]
        )
        invoice.action_post()
        self._register_payment(invoice)
        return invoice

    def test_push_after_commit_signed(self):
        invoice = self._paid_invoice()
        entry = invoice.octowatch_license_ids
        self.assertEqual(entry.provisioning_state, "pending")
        self.assertFalse(self.service.received, "nothing is sent inside the payment")

        self.License._cron_provision()
        self.assertEqual(entry.provisioning_state, "sent")
        self.assertEqual(len(self.service.received), 1)
        push = self.service.received[0]
        self.assertTrue(
            push["signature_ok"], "the service can verify the HMAC signature"
        )
        event = entry.event_ids
        self.assertEqual(push["headers"]["Idempotency-Key"], event.idempotency_key)
        payload = push["payload"]
        self.assertEqual(payload["idempotency_key"], event.idempotency_key)
        self.assertEqual(payload["license_id"], entry.id)
        self.assertEqual(payload["event"], "credit")
        self.assertEqual(payload["event_sequence"], 1)
        self.assertEqual(payload["state"], "active")
        self.assertEqual(payload["account_email"], "it@beta.example.com")
        self.assertEqual(payload["version_code"], "TSTD")
        self.assertEqual(payload["quantity"], 5)
        self.assertEqual(
            payload["end_customer"], {"name": "Beta Client LLC", "tin": "7872839380"}
        )
        self.assertEqual(payload["invoice"], invoice.name)

        self.License._cron_provision()
        self.assertEqual(
            len(self.service.received), 1, "a sent event is not sent again"
        )

    def test_http_500_then_success_with_backoff(self):
        entry = self._paid_invoice().octowatch_license_ids
        self.service.statuses = [500]
        self.License._cron_provision()
        self.assertEqual(entry.provisioning_state, "pending")
        self.assertEqual(entry.provisioning_attempts, 1)
        self.assertIn("HTTP 500", entry.provisioning_error)
        self.assertGreater(entry.provisioning_next_attempt, fields.Datetime.now())

        self.License._cron_provision()
        self.assertEqual(len(self.service.received), 1, "not retried before its time")

        with freeze_time(fields.Datetime.now() + timedelta(minutes=2)):
            self.License._cron_provision()
        self.assertEqual(entry.provisioning_state, "sent")
        first, second = self.service.received
        self.assertEqual(
            first["headers"]["Idempotency-Key"], second["headers"]["Idempotency-Key"]
        )
        self.assertEqual(first["body"], second["body"], "a retry sends the same event")

    def test_timeout_then_failed_with_activity(self):
        entry = self._paid_invoice().octowatch_license_ids
        entry.company_id.octowatch_provisioning_max_attempts = 1
        self.service.delay = 1.0
        # The test framework raises short timeouts to 10 s: keep ours, to time out fast.
        with (
            patch.object(octowatch_license_event, "PROVISIONING_TIMEOUT", 0.2),
            patch.object(
                type(self),
                "_request_handler",
                classmethod(
                    lambda cls, session, request, **kw: _super_send(
                        session, request, **kw
                    )
                ),
            ),
        ):
            self.License._cron_provision()
        self.assertEqual(entry.provisioning_state, "failed")
        self.assertIn("timed out", entry.provisioning_error.lower())
        activity = entry.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertTrue(
            activity.user_id.has_group("octowatch_channel.group_octowatch_manager")
        )
        entry.with_user(self.user_manager).action_retry_provisioning()
        self.assertEqual(entry.provisioning_state, "pending")

    def test_case_13_each_event_its_own_key(self):
        """The suspension after an undone payment reaches the service: it has its own
        key, which its retries keep, and so do the reactivation and the debit."""
        invoice = self._paid_invoice()
        entry = invoice.octowatch_license_ids
        self.License._cron_provision()
        invoice.line_ids.remove_move_reconcile()
        self.assertEqual(entry.provisioning_state, "pending")
        self.assertEqual(entry.provisioning_action, "suspend")
        self.service.statuses = [503]
        self.License._cron_provision()
        with freeze_time(fields.Datetime.now() + timedelta(minutes=2)):
            self.License._cron_provision()
        credit, suspend, suspend_retry = self.service.received
        self.assertEqual(suspend["payload"]["event"], "suspend")
        self.assertEqual(suspend["payload"]["state"], "suspended")
        self.assertEqual(suspend["payload"]["event_sequence"], 2)
        self.assertNotEqual(
            credit["headers"]["Idempotency-Key"], suspend["headers"]["Idempotency-Key"]
        )
        self.assertEqual(suspend["body"], suspend_retry["body"])
        self.assertEqual(
            suspend["headers"]["Idempotency-Key"],
            suspend_retry["headers"]["Idempotency-Key"],
        )
        self.assertEqual(
            [event["event"] for event in self.service.applied],
            ["credit", "suspend"],
            "the service acted on the suspension",
        )

        self._register_payment(invoice)
        self._reverse_invoice(invoice, post=True)
        self.License._cron_provision()
        self.assertEqual(
            [event["event"] for event in self.service.applied],
            ["credit", "suspend", "reactivate", "debit"],
        )
        keys = [push["headers"]["Idempotency-Key"] for push in self.service.received]
        self.assertEqual(len(set(keys)), 4, "one key per event, retries aside")
        events = (entry | invoice.reversal_move_ids.octowatch_license_ids).event_ids
        self.assertEqual(set(events.mapped("state")), {"sent"})
        self.assertEqual(entry.provisioning_state, "sent")
        self.assertEqual(entry.provisioning_sequence, 3)

    def test_case_13_events_of_a_licence_in_order(self):
        invoice = self._paid_invoice()
        entry = invoice.octowatch_license_ids
        self.service.statuses = [500]
        self.License._cron_provision()
        invoice.line_ids.remove_move_reconcile()
        self.License._cron_provision()
        self.assertEqual(
            len(self.service.received), 1, "the suspension waits for the credit"
        )
        self.assertEqual(entry.provisioning_state, "pending")
        self.assertEqual(entry.provisioning_attempts, 1, "the credit's attempts")
        self.assertIn("HTTP 500", entry.provisioning_error)

        with freeze_time(fields.Datetime.now() + timedelta(minutes=2)):
            self.License._cron_provision()
        self.assertEqual(
            [push["payload"]["event"] for push in self.service.received],
            ["credit", "credit", "suspend"],
        )
        self.assertEqual(entry.provisioning_state, "sent")

    def test_failed_event_holds_back_the_next_until_retried(self):
        invoice = self._paid_invoice()
        entry = invoice.octowatch_license_ids
        entry.company_id.octowatch_provisioning_max_attempts = 1
        self.service.statuses = [500]
        self.License._cron_provision()
        self.assertEqual(entry.provisioning_state, "failed")
        invoice.line_ids.remove_move_reconcile()
        self.License._cron_provision()
        self.assertEqual(len(self.service.received), 1)
        self.assertEqual(entry.provisioning_state, "failed", "the credit is stuck")

        entry.with_user(self.user_manager).action_retry_provisioning()
        self.License._cron_provision()
        self.assertEqual(
            [push["payload"]["event"] for push in self.service.received],
            ["credit", "credit", "suspend"],
        )
        first, retry = self.service.received[:2]
        self.assertEqual(
            first["headers"]["Idempotency-Key"], retry["headers"]["Idempotency-Key"]
        )
        self.assertEqual(entry.provisioning_state, "sent")

    def test_debit_waits_for_the_credit_it_reverses(self):
        invoice = self._paid_invoice()
        self.service.statuses = [500]
        self.License._cron_provision()
        refund = self._reverse_invoice(invoice, post=True)
        debit = refund.octowatch_license_ids
        self.assertEqual(debit.provisioning_action, "debit")
        self.License._cron_provision()
        self.assertEqual(len(self.service.received), 1)
        self.assertEqual(debit.provisioning_state, "pending")
        with freeze_time(fields.Datetime.now() + timedelta(minutes=2)):
            self.License._cron_provision()
            self.License._cron_provision()
        self.assertEqual(
            [push["payload"]["event"] for push in self.service.received],
            ["credit", "credit", "debit"],
        )
        payload = self.service.received[-1]["payload"]
        self.assertEqual(payload["quantity"], -5)
        self.assertEqual(
            payload["reversed_license_id"], invoice.octowatch_license_ids.id
        )

    @mute_logger("odoo.addons.octowatch_channel.models.octowatch_license_event")
    def test_delivery_writes_in_batches(self):
        Event = self.env["octowatch.license.event"]

        def count_queries(n_invoices):
            invoices = self.env["account.move"].union(
                *(
                    self._create_invoice_for(
                        self.customer_beta, [(self.product_std, 1, 100.0)]
                    )
                    for _ in range(n_invoices)
                )
            )
            invoices.action_post()
            self._register_payment(invoices)
            invoices.line_ids.remove_move_reconcile()
            self.service.statuses = [200, 500] * n_invoices
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Event._octowatch_send_due()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        count_queries(1)  # warm the caches
        self.assertEqual(count_queries(3), count_queries(12))

    def test_migration_gives_existing_entries_their_event(self):
        """19.0.1.0.0 left the pending event on the entry; the upgrade queues it."""
        credit = self._paid_invoice().octowatch_license_ids
        suspended = self._paid_invoice(qty=2).octowatch_license_ids
        entries = credit | suspended
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM octowatch_license_event WHERE license_id IN %s",
            [tuple(entries.ids)],
        )
        self.env.cr.execute(
            """UPDATE octowatch_license
                  SET state = 'suspended', provisioning_action = 'suspend',
                      provisioning_sequence = 2, provisioning_state = 'pending',
                      provisioning_attempts = 3, provisioning_error = 'HTTP 502'
                WHERE id = %s""",
            [suspended.id],
        )
        self.env.invalidate_all()
        # The old code sent the credit of this entry under its id.
        self.service.replay_cache.add(str(suspended.id))

        migration = load_migration("19.0.1.1.0", "post-migrate-license-events.py")
        migration.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()

        self.assertEqual(credit.event_ids.idempotency_key, str(credit.id))
        self.assertEqual(credit.event_ids.event, "credit")
        event = suspended.event_ids
        self.assertEqual(
            (event.event, event.sequence, event.state, event.attempts),
            ("suspend", 2, "pending", 3),
        )
        self.assertNotEqual(event.idempotency_key, str(suspended.id))
        self.assertEqual(suspended.provisioning_state, "pending")
        self.assertEqual(suspended.provisioning_error, "HTTP 502")

        self.License._cron_provision()
        self.assertEqual(set(entries.mapped("provisioning_state")), {"sent"})
        self.assertIn(
            ("suspend", suspended.id),
            [(event["event"], event["license_id"]) for event in self.service.applied],
        )

    def test_events_are_read_only_below_manager(self):
        entry = self._paid_invoice().octowatch_license_ids
        event = entry.event_ids.with_user(self.user_channel)
        self.assertEqual(event.state, "pending", "a Channel User reads the events")
        with self.assertRaises(AccessError):
            event.write({"state": "sent"})
        with self.assertRaises(AccessError):
            event.copy()

    def test_not_configured_records_only(self):
        self.company.octowatch_provisioning_url = False
        entry = self._paid_invoice().octowatch_license_ids
        self.assertEqual(entry.provisioning_state, "not_configured")
        self.License._cron_provision()
        self.assertFalse(self.service.received)
