# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain


class OctowatchAgencyAgreement(models.Model):
    _name = "octowatch.agency.agreement"
    _description = "OctoWatch Agency Agreement"
    _inherit = ["octowatch.reference.mixin", "mail.thread", "mail.activity.mixin"]
    _octowatch_sequence_code = "octowatch.agency.agreement"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    agent_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        domain="[('octowatch_role', '=', 'agent'), ('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(
        string="Start Date",
        required=True,
        tracking=True,
        default=fields.Date.context_today,
    )
    date_end = fields.Date(
        string="End Date",
        tracking=True,
        help="Last day of the agreement; empty for an open-ended agreement.",
    )
    commission_rate = fields.Float(
        string="Commission Rate (%)",
        required=True,
        tracking=True,
        digits=(5, 2),
        help="Percentage of the commission base paid to the agent.",
    )
    commission_base = fields.Selection(
        selection=[("paid_untaxed", "Untaxed amount paid")],
        required=True,
        default="paid_untaxed",
        help="Commission accrues on each payment, on the paid share of the invoice's "
        "untaxed amount.",
    )
    tax_ids = fields.Many2many(
        comodel_name="account.tax",
        string="Agent's VAT",
        check_company=True,
        domain="[('type_tax_use', '=', 'purchase')]",
        tracking=True,
        help="The VAT the agent charges on its commission, by its tax regime (e.g. "
        "22% under the general regime, 5% or 7% under the simplified one above the "
        "income threshold); empty for an agent without VAT. Added on top of the "
        "commission on its bills.",
    )
    report_acceptance_days = fields.Integer(
        string="Report Acceptance (days)",
        default=0,
        tracking=True,
        help="Days after which an agent's report the agent neither accepted nor "
        "objected to counts as accepted, as the agency agreement may provide; 0: "
        "only the agent's acceptance counts.",
    )
    payout_method = fields.Selection(
        selection=[("bank_transfer", "Bank transfer")],
        required=True,
        default="bank_transfer",
    )
    bank_account_id = fields.Many2one(
        comodel_name="res.partner.bank",
        string="Agent Bank Account",
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', agent_id)]",
        help="The account commission bills are paid to.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("active", "In Force"),
            ("expired", "Expired"),
            ("terminated", "Terminated"),
        ],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        index=True,
    )
    note = fields.Html(string="Terms")
    commission_count = fields.Integer(
        string="Commission Lines", compute="_compute_commission_count"
    )

    _commission_rate_range = models.Constraint(
        "CHECK (commission_rate > 0 AND commission_rate <= 100)",
        lambda env, diag: env._(
            "The Commission Rate of an agency agreement must be above 0 and at "
            "most 100%."
        ),
    )
    _date_order = models.Constraint(
        "CHECK (date_end IS NULL OR date_end >= date_start)",
        lambda env, diag: env._(
            "The End Date of an agency agreement can't be before its Start Date."
        ),
    )

    _report_acceptance_days_positive = models.Constraint(
        "CHECK (report_acceptance_days >= 0)",
        lambda env, diag: env._(
            "The Report Acceptance of an agency agreement is a number of days: 0 or "
            "more."
        ),
    )

    @api.model
    def _octowatch_placeholder_name(self):
        return self.env._("New Agreement")

    def _compute_commission_count(self):
        counts = dict(
            self.env["octowatch.commission.line"]._read_group(
                [("agreement_id", "in", self.ids)], ["agreement_id"], ["__count"]
            )
        )
        for agreement in self:
            agreement.commission_count = counts.get(agreement, 0)

    def action_view_commissions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "octowatch_channel.action_octowatch_commission_line"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.constrains("agent_id")
    def _check_agent_role(self):
        for agreement in self:
            agent = agreement.agent_id
            if agent.octowatch_role != "agent":
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not an OctoWatch Agent: set its OctoWatch Role "
                        "to Agent before signing an agency agreement.",
                        partner=agent.display_name,
                    )
                )

    @api.constrains("tax_ids")
    def _check_tax_ids(self):
        for agreement in self:
            for tax in agreement.tax_ids:
                if tax.type_tax_use != "purchase" or tax.price_include:
                    raise ValidationError(
                        self.env._(
                            "%(agreement)s: the Agent's VAT %(tax)s must be a purchase "
                            "tax that is not included in the price: the VAT is added "
                            "on top of the commission.",
                            agreement=agreement.name,
                            tax=tax.display_name,
                        )
                    )

    @api.constrains("bank_account_id", "agent_id")
    def _check_bank_account(self):
        for agreement in self.filtered("bank_account_id"):
            holder = agreement.bank_account_id.partner_id.commercial_partner_id
            if holder != agreement.agent_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s: the Agent Bank Account %(account)s belongs to "
                        "%(holder)s, not to the agent.",
                        agreement=agreement.name,
                        account=agreement.bank_account_id.display_name,
                        holder=holder.display_name,
                    )
                )

    @api.constrains("state", "agent_id", "company_id", "date_start", "date_end")
    def _check_single_active(self):
        active = self.filtered(lambda a: a.state == "active")
        if not active:
            return
        others = self.search(
            [
                ("state", "=", "active"),
                ("agent_id", "in", active.agent_id.ids),
                ("company_id", "in", active.company_id.ids),
            ]
        )
        for agreement in active:
            for other in others - agreement:
                if (
                    other.agent_id == agreement.agent_id
                    and other.company_id == agreement.company_id
                    and agreement._overlaps(other)
                ):
                    raise ValidationError(
                        self.env._(
                            "%(agent)s already has the active agreement %(other)s in "
                            "%(company)s for these dates: an agent has one active "
                            "agreement per company at a time. End or terminate it "
                            "first.",
                            agent=agreement.agent_id.display_name,
                            other=other.name,
                            company=agreement.company_id.name,
                        )
                    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        if any(agreement.state != "draft" for agreement in self):
            raise UserError(
                self.env._(
                    "Only draft agency agreements can be deleted; terminate the others."
                )
            )

    def action_activate(self):
        for agreement in self:
            if agreement.state != "draft":
                raise UserError(
                    self.env._(
                        "%(agreement)s is not a draft: only drafts can be activated.",
                        agreement=agreement.name,
                    )
                )
        self.state = "active"

    def action_terminate(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            if agreement.state != "active":
                raise UserError(
                    self.env._(
                        "%(agreement)s is not active: only active agreements can be "
                        "terminated.",
                        agreement=agreement.name,
                    )
                )
            vals = {"state": "terminated"}
            if not agreement.date_end or agreement.date_end > today:
                vals["date_end"] = max(today, agreement.date_start)
            agreement.write(vals)

    @api.model
    def _cron_expire(self):
        """Expire active agreements whose end date has passed."""
        today = fields.Date.context_today(self)
        self.search(
            [("state", "=", "active"), ("date_end", "<", today)]
        ).state = "expired"

    def _overlaps(self, other):
        self.ensure_one()
        return (not other.date_end or other.date_end >= self.date_start) and (
            not self.date_end or self.date_end >= other.date_start
        )

    @api.model
    def _get_valid_agreement(self, agent, company, date):
        """Return the agreement of ``agent`` in ``company`` in force on ``date``.

        Agreements that have since expired or been terminated still count for the
        dates they covered; drafts never do. Empty recordset when there is none.
        """
        domain = Domain(
            [
                ("agent_id", "=", agent.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "in", ("active", "expired", "terminated")),
                ("date_start", "<=", date),
            ]
        ) & (Domain("date_end", "=", False) | Domain("date_end", ">=", date))
        return self.search(domain, order="date_start desc, id desc", limit=1)
