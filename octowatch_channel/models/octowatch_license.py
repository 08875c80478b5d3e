# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models

from .octowatch_license_balance import BALANCE_KEY

# The fields whose change moves an entry from one balance to another, or changes it.
BALANCE_FIELDS = {*BALANCE_KEY, "state", "quantity"}


class OctowatchLicense(models.Model):
    _name = "octowatch.license"
    _description = "OctoWatch Licence Ledger Entry"
    _inherit = ["octowatch.notify.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_credited desc, id desc"
    _check_company_auto = True

    end_customer_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        help="The personal account the licences are credited to.",
    )
    # Stored and indexed with the id for the portal's ledger sorted by customer: the
    # index gives its first page without sorting every entry of a Partner's clients.
    end_customer_name = fields.Char(
        string="End Customer Name", related="end_customer_id.name", store=True
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
    # Indexed: the ledger lists the newest entries first, from among thousands.
    date_credited = fields.Date(
        required=True, index=True, default=fields.Date.context_today
    )
    state = fields.Selection(
        selection=[("active", "Active"), ("suspended", "Suspended")],
        required=True,
        default="active",
        tracking=True,
        help="Suspended: the payment of its invoice was undone.",
    )
    event_ids = fields.One2many(
        comodel_name="octowatch.license.event",
        inverse_name="license_id",
        string="Provisioning Events",
        readonly=True,
    )
    # A summary of the events, for lists, filters and the external API; written by
    # the events (see octowatch.license.event._octowatch_refresh_summary).
    provisioning_state = fields.Selection(
        selection=[
            ("not_configured", "Not configured"),
            ("pending", "Pending"),
            ("sent", "Sent"),
            ("failed", "Failed"),
        ],
        required=True,
        default="not_configured",
        readonly=True,
        index=True,
        help="Failed or pending: the state of the first event not delivered yet. "
        "Otherwise sent, or not configured when the last event was only recorded.",
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
        readonly=True,
    )
    provisioning_sequence = fields.Integer(
        string="Event Number",
        readonly=True,
        help="The number of the last event of this entry.",
    )
    provisioning_attempts = fields.Integer(
        readonly=True,
        help="The attempts of the first event not delivered yet, else of the last.",
    )
    provisioning_next_attempt = fields.Datetime(readonly=True, index="btree_not_null")
    provisioning_error = fields.Text(readonly=True)
    notified = fields.Boolean(
        default=False, help="The end customer and the partner were emailed."
    )

    _customer_product_idx = models.Index(
        "(end_customer_id, product_id) WHERE state = 'active'"
    )
    _customer_name_idx = models.Index("(end_customer_name, id DESC)")
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
        """Each entry comes with its first event, its credit (or its debit)."""
        Event = self.env["octowatch.license.event"]
        events_vals = []
        for vals in vals_list:
            company = (
                self.env["res.company"].browse(vals.get("company_id"))
                or self.env.company
            )
            event = "debit" if vals.get("quantity", 0) < 0 else "credit"
            event_vals = Event._octowatch_values(company, event, 1)
            vals.update(Event._octowatch_summary([event_vals]))
            events_vals.append(event_vals)
        # Ledger entries are made by the thousand inside a payment: no creation message.
        entries = super(
            OctowatchLicense, self.with_context(mail_create_nolog=True)
        ).create(vals_list)
        Event.with_context(octowatch_summary_written=True).create(
            [
                {"license_id": entry.id, **event_vals}
                for entry, event_vals in zip(entries, events_vals, strict=True)
            ]
        )._octowatch_trigger()
        entries._octowatch_update_balances(1)
        return entries

    def write(self, vals):
        moved = self if BALANCE_FIELDS & set(vals) else self.browse()
        moved._octowatch_update_balances(-1)
        result = super().write(vals)
        moved._octowatch_update_balances(1)
        return result

    def unlink(self):
        self._octowatch_update_balances(-1)
        return super().unlink()

    def action_retry_provisioning(self):
        """Retry the failed events of these entries (same keys, same bodies)."""
        self.event_ids.action_retry()

    def _octowatch_update_balances(self, sign):
        """Add these entries to their balances (``sign`` 1) or take them away (-1),
        as they are stored: the balances stay the sum of the ledger."""
        if self:
            self.flush_recordset(list(BALANCE_FIELDS))
            self.env["octowatch.license.balance"]._octowatch_apply(self.ids, sign)

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
        self.env["octowatch.license.event"]._octowatch_queue(
            entries, "suspend" if state == "suspended" else "reactivate"
        )

    @api.model
    def _cron_provision(self, limit=200):
        """Deliver the due provisioning events, then email the new credits."""
        events = self.env["octowatch.license.event"]._octowatch_send_due(limit=limit)
        self._octowatch_notify_credits()
        return events

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
        for group in groups.values():
            # One email a group, rendered on its first credit (the template lists
            # the group) and kept on the end customer's chatter.
            group.sorted("id")[:1]._octowatch_notify(
                "octowatch_channel.mail_template_license_credited",
                partners=group.channel_partner_id,
            )
        entries.notified = True

    def _octowatch_notify_thread(self):
        """The credits' email is kept on the end customer's chatter, where its
        partner and staff read the customer's history."""
        self.ensure_one()
        return self.end_customer_id

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
