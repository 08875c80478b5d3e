# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, format_datetime


class OctowatchAgentReport(models.Model):
    """The agent's report (отчёт агента) of a settlement: the deals, payments and
    commission of a period, that the agent accepts before its bill is posted."""

    _name = "octowatch.agent.report"
    _description = "OctoWatch Agent's Report"
    _inherit = [
        "octowatch.reference.mixin",
        "octowatch.notify.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _octowatch_sequence_code = "octowatch.agent.report"
    _order = "date_to desc, id desc"
    _check_company_auto = True

    agent_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency", required=True, readonly=True
    )
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    commission_line_ids = fields.One2many(
        comodel_name="octowatch.commission.line",
        inverse_name="report_id",
        string="Commission Lines",
        readonly=True,
    )
    amount_untaxed = fields.Monetary(
        string="Commission",
        compute="_compute_amounts",
        store=True,
        help="The commission of the period, before the agent's VAT; negative when "
        "the refunds exceed it.",
    )
    amount_tax = fields.Monetary(string="VAT", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True
    )
    bill_id = fields.Many2one(
        comodel_name="account.move",
        string="Vendor Bill",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        help="The agent's draft bill, posted when the report is accepted; none when "
        "the lines cancel out.",
    )
    state = fields.Selection(
        selection=[
            ("sent", "Sent to Agent"),
            ("accepted", "Accepted"),
            ("objected", "Objected"),
            ("cancelled", "Withdrawn"),
        ],
        required=True,
        default="sent",
        readonly=True,
        index=True,
    )
    acceptance_deadline = fields.Date(
        string="Deemed Accepted On",
        readonly=True,
        help="The day the report counts as accepted unless the agent objects, by "
        "the agency agreement's Report Acceptance; empty when only the agent's "
        "acceptance counts.",
    )
    accepted_date = fields.Datetime(string="Accepted On", readonly=True, copy=False)
    accepted_by_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        copy=False,
        help="Who accepted the report: the agent's user on the portal, or the staff "
        "member who recorded the agent's acceptance; empty when it was deemed "
        "accepted.",
    )
    objection = fields.Text(readonly=True, copy=False)
    line_count = fields.Integer(string="Lines", compute="_compute_line_count")

    @api.depends(
        "bill_id.amount_untaxed",
        "bill_id.amount_tax",
        "bill_id.amount_total",
        "bill_id.move_type",
        "commission_line_ids.amount",
    )
    def _compute_amounts(self):
        """The amounts of the bill, signed as what Kolibri owes the agent; from the
        lines when they cancel out and there is no bill."""
        for report in self:
            bill = report.bill_id
            if bill:
                sign = -1 if bill.move_type == "in_refund" else 1
                report.amount_untaxed = sign * bill.amount_untaxed
                report.amount_tax = sign * bill.amount_tax
                report.amount_total = sign * bill.amount_total
            else:
                total = sum(report.commission_line_ids.mapped("amount"))
                report.amount_untaxed = report.amount_total = total
                report.amount_tax = 0.0

    def _compute_line_count(self):
        counts = dict(
            self.env["octowatch.commission.line"]._read_group(
                [("report_id", "in", self.ids)], ["report_id"], ["__count"]
            )
        )
        for report in self:
            report.line_count = counts.get(report, 0)

    @api.depends("name", "agent_id")
    def _compute_display_name(self):
        for report in self:
            report.display_name = f"{report.name} ({report.agent_id.name})"

    def _mail_get_partner_fields(self, introspect_fields=False):
        return ["agent_id"]

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Agent's report %(name)s", name=self.name)

    def action_view_commission_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "octowatch_channel.action_octowatch_commission_line"
        )
        action["domain"] = [("report_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_bill(self):
        self.ensure_one()
        return self.bill_id._get_records_action()

    def action_accept(self):
        """Staff record the agent's acceptance (signed on paper, by email...)."""
        self._octowatch_accept()

    def action_cancel(self):
        """Withdraw (cancel): the lines go back to be settled and the draft bill
        goes away."""
        accepted = self.filtered(lambda report: report.state == "accepted")
        if accepted:
            raise UserError(
                self.env._(
                    "%(reports)s is accepted and its bill posted: reverse the bill "
                    "with a credit note instead of withdrawing the report.",
                    reports=", ".join(accepted.mapped("name")),
                )
            )
        reports = self.filtered(lambda report: report.state != "cancelled")
        bills = reports.bill_id
        reports._octowatch_release()
        bills.unlink()

    def _octowatch_release(self):
        """Cancelled: give the lines back to settle (called when the report is
        cancelled, and when its bill is deleted or cancelled)."""
        reports = self.filtered(lambda report: report.state != "cancelled")
        if not reports:
            return
        reports.commission_line_ids.write({"state": "to_settle", "bill_id": False})
        reports.write({"state": "cancelled"})
        reports.activity_unlink(["mail.mail_activity_data_todo"])
        body = self.env._(
            "Withdrawn by %(user)s: its commission lines wait for the next settlement.",
            user=self.env.user.name,
        )
        reports._message_log_batch(bodies=dict.fromkeys(reports.ids, body))

    def _octowatch_accept(self, ip_address=None, deemed=False):
        """Accept the reports and post their bills.

        :param str ip_address: where the agent accepted from (the portal).
        :param bool deemed: accepted by the agreement's deadline, not by anyone.
        """
        for report in self:
            if report.state not in ("sent", "objected"):
                raise UserError(
                    self.env._(
                        "%(report)s is %(state)s: only a sent or objected report can "
                        "be accepted.",
                        report=report.name,
                        state=report._octowatch_state_label(),
                    )
                )
        user = self.env.user
        self.write(
            {
                "state": "accepted",
                "accepted_date": fields.Datetime.now(),
                "accepted_by_id": False if deemed else user.id,
            }
        )
        if deemed:
            bodies = {
                report.id: self.env._(
                    "Deemed accepted: no objection by %(date)s, the day the agency "
                    "agreement gives.",
                    date=format_date(self.env, report.acceptance_deadline),
                )
                for report in self
            }
        else:
            # Who, when and from where: the agent's acceptance is its signature.
            body = self.env._(
                "Accepted by %(user)s on %(date)s%(where)s.",
                user=user.name,
                date=format_datetime(self.env, fields.Datetime.now()),
                where=self.env._(" from %(ip)s", ip=ip_address) if ip_address else "",
            )
            bodies = dict.fromkeys(self.ids, body)
        # One note per report, written in one batch (the deemed acceptances of a
        # day, a settlement accepted at once).
        self._message_log_batch(
            bodies=bodies, author_id=None if deemed else user.partner_id.id
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        drafts = self.filtered(lambda report: report.bill_id.state == "draft")
        drafts.bill_id.action_post()
        # Only now is the commission due: the agent hears of its posted bill.
        drafts.filtered(
            lambda report: report.bill_id.state == "posted"
        )._octowatch_notify("octowatch_channel.mail_template_agent_bill_posted")

    def _octowatch_object(self, reason, ip_address=None):
        """The agent objects: the bill stays a draft and staff get an activity."""
        self.ensure_one()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Objection to %(report)s: say what is wrong in the report.",
                    report=self.name,
                )
            )
        if self.state != "sent":
            raise UserError(
                self.env._(
                    "%(report)s is %(state)s: only a sent report can be objected to.",
                    report=self.name,
                    state=self._octowatch_state_label(),
                )
            )
        user = self.env.user
        self.write({"state": "objected", "objection": reason})
        self.message_post(
            body=Markup("%s<br/>%s")
            % (
                self.env._(
                    "Objected to by %(user)s on %(date)s%(where)s:",
                    user=user.name,
                    date=format_datetime(self.env, fields.Datetime.now()),
                    where=self.env._(" from %(ip)s", ip=ip_address)
                    if ip_address
                    else "",
                ),
                reason,
            ),
            author_id=user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        # The Channel Manager answers; read as the system, as an agent can't list
        # Kolibri's staff.
        manager = self.company_id.with_user(SUPERUSER_ID)._octowatch_channel_manager()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=manager.id,
            summary=self.env._(
                "%(agent)s objects to %(report)s",
                agent=self.agent_id.name,
                report=self.name,
            ),
            note=reason,
        )

    def _octowatch_bill_paid_date(self):
        """The day the report's bill was paid in full, or ``False`` while it is
        not (a draft, or posted and waiting for payment)."""
        self.ensure_one()
        bill = self.bill_id
        if bill.state != "posted" or bill.payment_state not in ("paid", "in_payment"):
            return False
        partials = bill.line_ids.matched_debit_ids | bill.line_ids.matched_credit_ids
        return max(partials.mapped("max_date"), default=False) or bill.invoice_date

    def _octowatch_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _notify_agents(self):
        """Tell each agent that its report is ready, in its language, on the report.

        The template is rendered once per language for the lot, then posted on
        each report to its own agent (``partner_to``).
        """
        self._octowatch_notify("octowatch_channel.mail_template_agent_report")

    @api.model
    def _cron_deem_accepted(self):
        """Daily: accept the reports whose agreement's acceptance period is over."""
        reports = self.search(
            [
                ("state", "=", "sent"),
                ("acceptance_deadline", "!=", False),
                ("acceptance_deadline", "<=", fields.Date.context_today(self)),
            ]
        )
        reports._octowatch_accept(deemed=True)
        return reports
