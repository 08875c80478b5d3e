# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Give each licence ledger entry of 19.0.1.0.0 the provisioning event it was at.

Before 19.0.1.1.0 an entry held one event at a time, and every event of an entry went
out under the entry's id as its Idempotency-Key. Each entry now gets one event with
its last event's type, number, state, attempts and error:

- its first event (number 1), and any event already delivered, keeps the key it went
  out with, the entry's id, so that a retry of a credit the service may have received
  is still recognised;
- a later event not delivered yet (a suspension or a reactivation) gets a key of its
  own: under the entry's id the service would answer it from its replay cache.

A pending event goes out at the next run of the provisioning job, after every earlier
event of its entry as always; a failed one waits for _Retry Push_.
"""

import uuid

from odoo import SUPERUSER_ID, api

BATCH = 1000


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """
        SELECT license.id, license.provisioning_action, license.provisioning_sequence,
               license.provisioning_state, license.provisioning_attempts,
               license.provisioning_next_attempt, license.provisioning_error
          FROM octowatch_license license
         WHERE NOT EXISTS (
               SELECT 1 FROM octowatch_license_event event
                WHERE event.license_id = license.id)
         ORDER BY license.id
        """
    )
    rows = cr.fetchall()
    License = env["octowatch.license"]
    Event = env["octowatch.license.event"]
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        licenses = License.browse([row[0] for row in batch])
        vals_list = []
        for license_, row in zip(licenses, batch, strict=True):
            _id, event, sequence, state, attempts, next_attempt, error = row
            event = event or ("debit" if license_.quantity < 0 else "credit")
            sequence = sequence or 1
            state = state or "not_configured"
            if sequence == 1 or state == "sent":
                key = str(license_.id)
            else:
                key = str(uuid.uuid4())
            vals = {
                "license_id": license_.id,
                "event": event,
                "sequence": sequence,
                "idempotency_key": key,
                "state": state,
                "attempts": attempts or 0,
                "next_attempt": next_attempt if state == "pending" else False,
                "error": error if state in ("pending", "failed") else False,
            }
            vals_list.append(vals)
        Event.create(vals_list)
        env.flush_all()
