# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import hmac
import json
import logging
import uuid
from collections import defaultdict
from datetime import timedelta

import requests

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

PROVISIONING_TIMEOUT = 10  # seconds
BACKOFF_BASE_MINUTES = 1
BACKOFF_MAX_MINUTES = 6 * 60
# Licences whose events one run sends before it commits what it learnt.
BATCH_LICENSES = 50

# The fields of an event that the licence sums up.
SUMMARY_FIELDS = {"event", "sequence", "state", "attempts", "next_attempt", "error"}

EVENT_STATES = {
    "credit": "active",
    "debit": "active",
    "suspend": "suspended",
    "reactivate": "active",
}


class OctowatchLicenseEvent(models.Model):
    """One event of a licence ledger entry for the OctoWatch licensing service.

    Each event has its own idempotency key, kept across the retries of that event, and
    its body, fixed at its first attempt. The events of one entry are delivered in the
    order of their sequence: one waits until every earlier one is delivered, and a
    debit until the credit it reverses has no event left to deliver.
    """

    _name = "octowatch.license.event"
    _description = "OctoWatch Licence Provisioning Event"
    _order = "license_id, sequence"
    _rec_name = "idempotency_key"

    license_id = fields.Many2one(
        comodel_name="octowatch.license",
        string="Licence",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(related="license_id.company_id")
    event = fields.Selection(
        selection=[
            ("credit", "Credit"),
            ("debit", "Debit"),
            ("suspend", "Suspend"),
            ("reactivate", "Reactivate"),
        ],
        required=True,
        readonly=True,
    )
    sequence = fields.Integer(
        string="Event Number",
        required=True,
        readonly=True,
        help="The rank of this event among its licence's events, from 1: the "
        "licensing service can drop an older event that arrives late.",
    )
    idempotency_key = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        help="Sent in the Idempotency-Key header; the same for every retry of this "
        "event and for no other event.",
    )
    state = fields.Selection(
        selection=[
            ("not_configured", "Not configured"),
            ("pending", "Pending"),
            ("sent", "Sent"),
            ("failed", "Failed"),
        ],
        required=True,
        default="pending",
        index=True,
        readonly=True,
    )
    attempts = fields.Integer(default=0, readonly=True)
    next_attempt = fields.Datetime(index="btree_not_null", readonly=True)
    date_sent = fields.Datetime(string="Delivered On", readonly=True)
    error = fields.Text(readonly=True)
    payload = fields.Text(
        readonly=True,
        help="The JSON body sent, fixed at the first attempt: the same bytes for "
        "every retry of this event.",
    )

    _license_sequence_unique = models.UniqueIndex(
        "(license_id, sequence)",
        lambda env, diag: env._("A licence has one event per event number."),
    )
    _idempotency_key_unique = models.UniqueIndex(
        "(idempotency_key)",
        lambda env, diag: env._("An idempotency key belongs to one event."),
    )

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        if not self.env.context.get("octowatch_summary_written"):
            events._octowatch_refresh_summary()
        return events

    def write(self, vals):
        res = super().write(vals)
        if SUMMARY_FIELDS & set(vals):
            self._octowatch_refresh_summary()
        return res

    @api.model
    def _octowatch_summary(self, events):
        """The ``provisioning_*`` values of a licence that sum its ``events`` up.

        :param events: the licence's events, as records or as dicts of their values.
        :returns: failed or pending, the first event not delivered yet; otherwise the
            last event.
        """
        events = sorted(
            (
                {name: event[name] for name in SUMMARY_FIELDS if name in event}
                for event in events
            ),
            key=lambda event: event["sequence"],
        )
        last = events[-1]
        head = next(
            (event for event in events if event["state"] in ("pending", "failed")),
            None,
        )
        shown = head or last
        return {
            "provisioning_state": shown["state"],
            "provisioning_action": last["event"],
            "provisioning_sequence": last["sequence"],
            "provisioning_attempts": shown.get("attempts") or 0,
            "provisioning_next_attempt": (head or {}).get("next_attempt") or False,
            "provisioning_error": (head or {}).get("error") or False,
        }

    def _octowatch_refresh_summary(self):
        """Write the summary of their events on these events' licences, with one
        write per identical summary."""
        groups = defaultdict(lambda: self.env["octowatch.license"])
        for license_ in self.license_id:
            summary = self._octowatch_summary(license_.event_ids)
            groups[tuple(summary.items())] |= license_
        for summary, licenses in groups.items():
            licenses.write(dict(summary))

    @api.model
    def _octowatch_values(self, company, event, sequence):
        """The values of a new event: pending where ``company`` has a licensing
        endpoint, only recorded (not_configured) elsewhere."""
        vals = {
            "event": event,
            "sequence": sequence,
            "idempotency_key": str(uuid.uuid4()),
            "state": "not_configured",
        }
        if company.octowatch_provisioning_url:
            vals.update(state="pending", next_attempt=fields.Datetime.now())
        return vals

    @api.model
    def _octowatch_queue(self, licenses, event):
        """Queue ``event`` for each of ``licenses``, after its last event, in one
        ``create``."""
        events = self.create(
            [
                {
                    "license_id": license_.id,
                    **self._octowatch_values(
                        license_.company_id, event, license_.provisioning_sequence + 1
                    ),
                }
                for license_ in licenses
            ]
        )
        events._octowatch_trigger()
        return events

    def _octowatch_trigger(self):
        """Wake the provisioning job up when some of these events are pending."""
        if any(event.state == "pending" for event in self):
            self.env.ref(
                "octowatch_channel.ir_cron_octowatch_license_provisioning"
            )._trigger()

    def action_retry(self):
        """Give failed events a new series of attempts, with the same key and body."""
        failed = self.filtered(lambda event: event.state == "failed")
        if not failed:
            return
        failed.write(
            {
                "state": "pending",
                "attempts": 0,
                "error": False,
                "next_attempt": fields.Datetime.now(),
            }
        )
        self.env.ref(
            "octowatch_channel.ir_cron_octowatch_license_provisioning"
        )._trigger()

    def _octowatch_payload(self):
        """The JSON body of this event (each key in docs/provisioning.md)."""
        self.ensure_one()
        license_ = self.license_id
        customer = license_.end_customer_id.commercial_partner_id
        partner = license_.channel_partner_id
        return {
            "idempotency_key": self.idempotency_key,
            "license_id": license_.id,
            "event": self.event,
            "event_sequence": self.sequence,
            "state": EVENT_STATES[self.event],
            "account_email": license_.account_email,
            "version_code": license_.product_id.octowatch_version_code,
            "quantity": license_.quantity,
            "reversed_license_id": license_.reversed_license_id.id or None,
            "end_customer": {"name": customer.name, "tin": customer.vat or None},
            "channel_partner": partner
            and {
                "name": partner.name,
                "tin": partner.vat or None,
                "role": partner.octowatch_role or None,
            }
            or None,
            "invoice": license_.move_id.name,
            "date": fields.Date.to_string(license_.date_credited),
        }

    def _octowatch_push(self):
        """Send this event; return None when the service accepted it, else the error."""
        self.ensure_one()
        company = self.company_id.sudo()  # the secret is for administrators only
        body = self.payload.encode()
        signature = hmac.new(
            (company.octowatch_provisioning_secret or "").encode(), body, hashlib.sha256
        ).hexdigest()
        try:
            response = requests.post(
                company.octowatch_provisioning_url,
                data=body,
                headers={
                    "Content-Type": "application/json",
                    "Idempotency-Key": self.idempotency_key,
                    "X-OctoWatch-Signature": f"sha256={signature}",
                },
                timeout=PROVISIONING_TIMEOUT,
            )
        except requests.RequestException as exc:
            return str(exc) or exc.__class__.__name__
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}: {response.text[:500]}"

    @api.model
    def _octowatch_send_due(self, limit=200):
        """Send the due events, each licence's in order; retry with backoff.

        A licence's events go one after the other while the service accepts them; the
        first refusal stops that licence until its retry. What a batch of licences
        learnt is written in a few writes and committed before the next batch, so an
        accepted event is not sent again by a later run (and if it is, after a crash,
        its idempotency key makes it harmless).

        :returns: the events that were attempted.
        """
        now = fields.Datetime.now()
        due = self.search(
            [("state", "=", "pending"), ("next_attempt", "<=", now)],
            order="next_attempt, id",
            limit=limit,
        )
        licenses = due.license_id
        # What may hold a licence back: its own earlier events, and for a debit the
        # events of the credit it reverses.
        undelivered = defaultdict(list)
        for event in self.search(
            [
                ("license_id", "in", (licenses | licenses.reversed_license_id).ids),
                ("state", "in", ("pending", "failed")),
            ],
            order="license_id, sequence",
        ):
            undelivered[event.license_id].append(event)
        for event in due.filtered(lambda event: not event.payload):
            event.payload = json.dumps(event._octowatch_payload(), sort_keys=True)
        attempted = self.browse()
        for start in range(0, len(licenses), BATCH_LICENSES):
            outcomes = {}
            for license_ in licenses[start : start + BATCH_LICENSES]:
                queue = undelivered[license_]
                if undelivered.get(license_.reversed_license_id):
                    continue
                while queue and queue[0].state == "pending":
                    event = queue[0]
                    if event.next_attempt > now:
                        break
                    error = event._octowatch_push()
                    outcomes[event] = error
                    if error is None:
                        queue.pop(0)
                    else:
                        _logger.warning(
                            "OctoWatch provisioning of licence %s, event %s: %s",
                            license_.id,
                            event.idempotency_key,
                            error,
                        )
                        break
            attempted |= self._octowatch_record_outcomes(outcomes, now)
            self.env["ir.cron"]._commit_progress(len(outcomes))
        return attempted

    @api.model
    def _octowatch_record_outcomes(self, outcomes, now):
        """Write ``{event: error or None}`` with one write per identical change."""
        changes = defaultdict(lambda: self.browse())
        for event, error in outcomes.items():
            attempts = event.attempts + 1
            if error is None:
                vals = {"state": "sent", "error": False, "date_sent": now}
                vals["next_attempt"] = False
            elif attempts >= event.company_id.octowatch_provisioning_max_attempts:
                vals = {"state": "failed", "error": error, "next_attempt": False}
            else:
                delay = min(
                    BACKOFF_BASE_MINUTES * 2 ** (attempts - 1), BACKOFF_MAX_MINUTES
                )
                vals = {"error": error, "next_attempt": now + timedelta(minutes=delay)}
            vals["attempts"] = attempts
            changes[tuple(sorted(vals.items()))] |= event
        for vals, events in changes.items():
            events.write(dict(vals))
        events = self.browse().union(*outcomes)
        failed = events.filtered(lambda event: event.state == "failed")
        failed.license_id._octowatch_schedule_failure_activity()
        return events
