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
from odoo.tests import tagged
from odoo.tests.common import _super_send

from odoo.addons.octowatch_channel.models import octowatch_license

from .common import OctowatchChannelCommon

SECRET = "kolibri-test-secret"


class LicensingService(ThreadingHTTPServer):
    """A licensing endpoint on 127.0.0.1 that answers from a script of statuses."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), LicensingHandler)
        self.received = []
        self.statuses = []
        self.delay = 0.0

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
        self.assertEqual(push["headers"]["Idempotency-Key"], str(entry.id))
        payload = push["payload"]
        self.assertEqual(payload["idempotency_key"], entry.id)
        self.assertEqual(payload["event"], "credit")
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
            patch.object(octowatch_license, "PROVISIONING_TIMEOUT", 0.2),
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

    def test_suspension_pushed_as_a_new_event(self):
        invoice = self._paid_invoice()
        entry = invoice.octowatch_license_ids
        self.License._cron_provision()
        invoice.line_ids.remove_move_reconcile()
        self.assertEqual(entry.provisioning_state, "pending")
        self.License._cron_provision()
        credit, suspend = self.service.received
        self.assertEqual(suspend["payload"]["event"], "suspend")
        self.assertEqual(suspend["payload"]["state"], "suspended")
        self.assertEqual(suspend["payload"]["event_sequence"], 2)
        self.assertEqual(
            credit["headers"]["Idempotency-Key"], suspend["headers"]["Idempotency-Key"]
        )

    def test_not_configured_records_only(self):
        self.company.octowatch_provisioning_url = False
        entry = self._paid_invoice().octowatch_license_ids
        self.assertEqual(entry.provisioning_state, "not_configured")
        self.License._cron_provision()
        self.assertFalse(self.service.received)
