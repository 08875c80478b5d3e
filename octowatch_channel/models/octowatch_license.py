# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import hmac
import json
import logging
from collections import defaultdict
from datetime import timedelta

import requests

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

PROVISIONING_TIMEOUT = 10  # seconds
BACKOFF_BASE_MINUTES = 1
BACKOFF_MAX_MINUTES = 6 * 60


class OctowatchLicense(models.Model):
    _name = "octowatch.license"
    _description = "OctoWatch Licence Ledger Entry"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_credited desc, id desc"
    _check_company_auto = True

    end_customer_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        help="The personal account the licences are credited to.",
    )
    account_email = fields.Char(
        help="The OctoWatch personal account, as it was when the licences were "
        "credited."
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Version",
        required=True,
        index=True,
        ondelete="restrict",
    )
    version_code = fields.Char(related="product_id.octowatch_version_code")
    quantity = fields.Integer(
        required=True,
        aggregator="sum",
        help="Licences credited (positive) or debited by a credit note (negative).",
    )
    channel_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner / Agent",
        index="btree_not_null",
        ondelete="restrict",
        help="The channel Partner that bought the licences, or the Agent of the deal.",
    )
    move_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Invoice Line",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
        help="The invoice or credit note of the line.",
    )
    sale_line_id = fields.Many2one(
        comodel_name="sale.order.line", string="Sale Order Line", index="btree_not_null"
    )
    reversed_license_id = fields.Many2one(
        comodel_name="octowatch.license",
        string="Reversed Credit",
        index="btree_not_null",
        help="For a debit: the credit that the credit note reverses.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, readonly=True
    )
    date_credited = fields.Date(required=True, default=fields.Date.context_today)
    state = fields.Selection(
        selection=[("active", "Active"), ("suspended", "Suspended")],
        required=True,
        default="active",
        tracking=True,
        help="Suspended: the payment of its invoice was undone.",
    )
    provisioning_state = fields.Selection(
        selection=[
            ("not_configured", "Not configured"),
            ("pending", "Pending"),
            ("sent", "Sent"),
            ("failed", "Failed"),
        ],
        required=True,
        default="not_configured",
        tracking=True,
        index=True,
    )
    provisioning_action = fields.Selection(
        selection=[
            ("credit", "Credit"),
            ("debit", "Debit"),
            ("suspend", "Suspend"),
            ("reactivate", "Reactivate"),
        ],
        string="Last Event",
        required=True,
        default="credit",
    )
    provisioning_sequence = fields.Integer(
        string="Event Number",
        default=1,
        help="Increases with each event of this entry, so that the licensing service "
        "can drop an older event that arrives late.",
    )
    provisioning_attempts = fields.Integer(default=0)
    provisioning_next_attempt = fields.Datetime(index="btree_not_null")
    provisioning_error = fields.Text()
    notified = fields.Boolean(
        default=False, help="The end customer and the partner were emailed."
    )

    _customer_product_idx = models.Index(
        "(end_customer_id, product_id) WHERE state = 'active'"
    )
    _move_line_unique = models.UniqueIndex(
        "(move_line_id)",
        lambda env, diag: env._(
            "An invoice line credits or debits licences only once."
        ),
    )

    @api.depends("product_id", "quantity", "end_customer_id")
    def _compute_display_name(self):
        for entry in self:
            entry.display_name = self.env._(
                "%(qty)s × %(version)s for %(customer)s",
                qty=entry.quantity,
                version=entry.product_id.octowatch_version_code
                or entry.product_id.name,
                customer=entry.end_customer_id.display_name,
            )

    @api.model_create_multi
    def create(self, vals_list):
        # Ledger entries are made by the thousand inside a payment: no creation message.
        entries = super(
            OctowatchLicense, self.with_context(mail_create_nolog=True)
        ).create(vals_list)
        entries._octowatch_queue_push()
        return entries

    def action_retry_provisioning(self):
        self.filtered(lambda e: e.provisioning_state == "failed").write(
            {"provisioning_attempts": 0}
        )
        self._octowatch_queue_push(new_event=False)

    def _octowatch_copy_values(self):
        """What a debit takes from the credit it reverses."""
        self.ensure_one()
        return {
            "end_customer_id": self.end_customer_id.id,
            "account_email": self.account_email,
            "product_id": self.product_id.id,
            "channel_partner_id": self.channel_partner_id.id,
            "sale_line_id": self.sale_line_id.id,
            "company_id": self.company_id.id,
            "date_credited": fields.Date.context_today(self),
        }

    def _octowatch_set_state(self, state):
        """Suspend or reactivate entries; queue the event for the licensing service."""
        entries = self.filtered(lambda e: e.state != state)
        if not entries:
            return
        entries.write({"state": state})
        action = "suspend" if state == "suspended" else "reactivate"
        for entry in entries:
            entry.write(
                {
                    "provisioning_action": action,
                    "provisioning_sequence": entry.provisioning_sequence + 1,
                }
            )
        entries._octowatch_queue_push(new_event=False)

    def _octowatch_queue_push(self, new_event=True):
        """Mark entries to push, or not_configured where the company has no endpoint.

        Nothing is sent here: the provisioning job sends after the transaction commits.
        """
        configured = self.filtered(lambda e: e.company_id.octowatch_provisioning_url)
        (self - configured).write({"provisioning_state": "not_configured"})
        if not configured:
            return
        configured.write(
            {
                "provisioning_state": "pending",
                "provisioning_attempts": 0,
                "provisioning_next_attempt": fields.Datetime.now(),
                "provisioning_error": False,
            }
        )
        self.env.ref(
            "octowatch_channel.ir_cron_octowatch_license_provisioning"
        )._trigger()

    def _octowatch_payload(self):
        self.ensure_one()
        customer = self.end_customer_id.commercial_partner_id
        return {
            "idempotency_key": self.id,
            "license_id": self.id,
            "event": self.provisioning_action,
            "event_sequence": self.provisioning_sequence,
            "state": self.state,
            "account_email": self.account_email,
            "version_code": self.product_id.octowatch_version_code,
            "quantity": self.quantity,
            "end_customer": {"name": customer.name, "tin": customer.vat or None},
            "channel_partner": self.channel_partner_id
            and {
                "name": self.channel_partner_id.name,
                "tin": self.channel_partner_id.vat or None,
                "role": self.channel_partner_id.octowatch_role or None,
            }
            or None,
            "invoice": self.move_id.name,
            "date": fields.Date.to_string(self.date_credited),
        }

    def _octowatch_push(self):
        """Send this entry's current event; return None on success, else the error."""
        self.ensure_one()
        company = self.company_id.sudo()  # the secret is for administrators only
        body = json.dumps(self._octowatch_payload(), sort_keys=True).encode()
        signature = hmac.new(
            (company.octowatch_provisioning_secret or "").encode(), body, hashlib.sha256
        ).hexdigest()
        try:
            response = requests.post(
                company.octowatch_provisioning_url,
                data=body,
                headers={
                    "Content-Type": "application/json",
                    "Idempotency-Key": str(self.id),
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
    def _cron_provision(self, limit=200):
        """Push pending entries; retry with exponential backoff; give up after N tries.

        Each entry is committed on its own, so that a push the service accepted is
        never sent again because a later one failed.
        """
        now = fields.Datetime.now()
        entries = self.search(
            [
                ("provisioning_state", "=", "pending"),
                ("provisioning_next_attempt", "<=", now),
            ],
            order="provisioning_next_attempt, id",
            limit=limit,
        )
        failed = self.browse()
        for entry in entries:
            error = entry._octowatch_push()
            attempts = entry.provisioning_attempts + 1
            if error is None:
                entry.write(
                    {
                        "provisioning_state": "sent",
                        "provisioning_attempts": attempts,
                        "provisioning_error": False,
                        "provisioning_next_attempt": False,
                    }
                )
            elif attempts >= entry.company_id.octowatch_provisioning_max_attempts:
                entry.write(
                    {
                        "provisioning_state": "failed",
                        "provisioning_attempts": attempts,
                        "provisioning_error": error,
                        "provisioning_next_attempt": False,
                    }
                )
                failed |= entry
            else:
                delay = min(
                    BACKOFF_BASE_MINUTES * 2 ** (attempts - 1), BACKOFF_MAX_MINUTES
                )
                entry.write(
                    {
                        "provisioning_attempts": attempts,
                        "provisioning_error": error,
                        "provisioning_next_attempt": now + timedelta(minutes=delay),
                    }
                )
            if error is not None:
                _logger.warning(
                    "OctoWatch provisioning of licence %s: %s", entry.id, error
                )
            self.env["ir.cron"]._commit_progress(1)
        failed._octowatch_schedule_failure_activity()
        self._octowatch_notify_credits()
        return entries

    def _octowatch_schedule_failure_activity(self):
        for entry in self:
            entry.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Licence push to OctoWatch failed"),
                note=self.env._(
                    "The licensing service refused or did not answer %(attempts)s "
                    "times: %(error)s",
                    attempts=entry.provisioning_attempts,
                    error=entry.provisioning_error,
                ),
                user_id=entry.company_id._octowatch_channel_manager().id,
            )

    @api.model
    def _octowatch_notify_credits(self, limit=500):
        """Email each end customer (and the partner) about the licences credited."""
        entries = self.search(
            [("notified", "=", False), ("quantity", ">", 0), ("state", "=", "active")],
            limit=limit,
        )
        groups = defaultdict(lambda: self.browse())
        for entry in entries:
            groups[(entry.move_id, entry.end_customer_id)] |= entry
        template = self.env.ref("octowatch_channel.mail_template_license_credited")
        for (_move, customer), group in groups.items():
            recipients = customer | group.channel_partner_id
            first = group.sorted("id")[:1]
            # In the customer's language (the template's lang), branded layout.
            body = template._render_field("body_html", first.ids, compute_lang=True)
            subject = template._render_field("subject", first.ids, compute_lang=True)
            customer.message_post(
                body=body[first.id],
                subject=subject[first.id],
                partner_ids=recipients.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid=template.email_layout_xmlid,
            )
        entries.notified = True

    def _octowatch_credit_group(self):
        """The credits that one email announces: this entry's invoice, for its end
        customer (what the licence-credited template lists)."""
        self.ensure_one()
        return self.search(
            [
                ("move_id", "=", self.move_id.id),
                ("end_customer_id", "=", self.end_customer_id.id),
                ("quantity", ">", 0),
                ("state", "=", "active"),
            ],
            order="id",
        )
