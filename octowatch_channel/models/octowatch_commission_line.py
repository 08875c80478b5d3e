# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_date


class OctowatchCommissionLine(models.Model):
    _name = "octowatch.commission.line"
    _description = "OctoWatch Agent Commission Line"
    _order = "payment_date desc, id desc"
    _check_company_auto = True

    agent_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    agreement_id = fields.Many2one(
        comodel_name="octowatch.agency.agreement",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    deal_id = fields.Many2one(
        comodel_name="octowatch.deal.registration",
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Customer Invoice",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
        help="The customer invoice or credit note whose payment accrued this line.",
    )
    partial_reconcile_id = fields.Many2one(
        comodel_name="account.partial.reconcile",
        string="Payment Matching",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    reversed_line_id = fields.Many2one(
        comodel_name="octowatch.commission.line",
        string="Reverses",
        index="btree_not_null",
        readonly=True,
        help="The settled line that this line gives back, its payment having been "
        "undone.",
    )
    payment_date = fields.Date(required=True, index=True, readonly=True)
    base_amount = fields.Monetary(
        string="Base",
        required=True,
        readonly=True,
        help="The paid share of the invoice's untaxed amount (negative for refunds).",
    )
    rate = fields.Float(string="Rate (%)", required=True, readonly=True, digits=(5, 2))
    amount = fields.Monetary(
        required=True,
        readonly=True,
        help="Base × rate; negative for refunds and for given-back lines.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency", required=True, readonly=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True
    )
    state = fields.Selection(
        selection=[("to_settle", "To Settle"), ("settled", "Settled")],
        required=True,
        default="to_settle",
        index=True,
        readonly=True,
    )
    bill_id = fields.Many2one(
        comodel_name="account.move",
        string="Vendor Bill",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    report_id = fields.Many2one(
        comodel_name="octowatch.agent.report",
        string="Agent's Report",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The agent's report that this line was settled in.",
    )
    tax_amount = fields.Monetary(
        string="VAT",
        compute="_compute_tax_amount",
        help="The agent's VAT on this commission, by its agreement.",
    )

    @api.depends("amount", "agreement_id.tax_ids", "currency_id")
    def _compute_tax_amount(self):
        for line in self:
            taxes = line.agreement_id.tax_ids.compute_all(
                line.amount, currency=line.currency_id
            )
            line.tax_amount = taxes["total_included"] - taxes["total_excluded"]

    @api.depends("agent_id", "move_id", "amount")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.agent_id.name} / {line.move_id.name}"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled(self):
        if any(line.state == "settled" for line in self):
            raise UserError(
                self.env._(
                    "A settled commission line can't be deleted: its bill pays it."
                )
            )

    @api.model
    def _accrue_from_partials(self, partials):
        """Accrue commission for payments matched with invoices of registered deals.

        Each partial matching between a customer invoice (or credit note) linked to a
        deal and a payment accrues, at the rate of the agent's agreement valid on the
        payment date, the paid share of the untaxed amount. A matching between two
        invoices (an invoice and its credit note) pays nothing and accrues nothing.
        """
        vals_list = []
        missing_agreement = self.env["octowatch.deal.registration"]
        Agreement = self.env["octowatch.agency.agreement"]
        agreements = {}  # one search per agent, company and payment date
        for partial in partials:
            sides = (
                (
                    partial.debit_move_id,
                    partial.debit_amount_currency,
                    partial.credit_move_id,
                ),
                (
                    partial.credit_move_id,
                    partial.credit_amount_currency,
                    partial.debit_move_id,
                ),
            )
            for line, paid, counterpart in sides:
                move = line.move_id
                if move.move_type not in ("out_invoice", "out_refund"):
                    continue
                if counterpart.move_id.is_invoice(include_receipts=True):
                    continue
                deal = move._octowatch_deal()
                if not deal or not move.amount_total:
                    continue
                payment_date = counterpart.date or partial.max_date
                key = (deal.agent_id, move.company_id, payment_date)
                if key not in agreements:
                    agreements[key] = Agreement._get_valid_agreement(*key)
                agreement = agreements[key]
                if not agreement:
                    missing_agreement |= deal
                    continue
                sign = -1 if move.move_type == "out_refund" else 1
                base = move.currency_id.round(
                    sign * move.amount_untaxed * paid / move.amount_total
                )
                vals_list.append(
                    {
                        "agent_id": deal.agent_id.id,
                        "agreement_id": agreement.id,
                        "deal_id": deal.id,
                        "move_id": move.id,
                        "partial_reconcile_id": partial.id,
                        "payment_date": payment_date,
                        "base_amount": base,
                        "rate": agreement.commission_rate,
                        "amount": move.currency_id.round(
                            base * agreement.commission_rate / 100
                        ),
                        "currency_id": move.currency_id.id,
                        "company_id": move.company_id.id,
                    }
                )
        missing_agreement._octowatch_warn_no_agreement()
        return self.create(vals_list)

    @api.model
    def _reverse_for_partials(self, partials):
        """Undo what these partial matchings accrued, before they are removed.

        A line not settled yet is simply deleted; a settled one is given back by a
        negative line, to settle on the agent's next bill.
        """
        lines = self.search([("partial_reconcile_id", "in", partials.ids)])
        settled = lines.filtered(lambda line: line.state == "settled")
        (lines - settled).unlink()
        today = fields.Date.context_today(self)
        self.create(
            [
                {
                    "agent_id": line.agent_id.id,
                    "agreement_id": line.agreement_id.id,
                    "deal_id": line.deal_id.id,
                    "move_id": line.move_id.id,
                    "reversed_line_id": line.id,
                    "payment_date": today,
                    "base_amount": -line.base_amount,
                    "rate": line.rate,
                    "amount": -line.amount,
                    "currency_id": line.currency_id.id,
                    "company_id": line.company_id.id,
                }
                for line in settled
            ]
        )

    def _settle(self, bill_date):
        """The agent's report of these lines to settle, and its draft vendor bill.

        One report per agent, company and currency, for the period up to
        ``bill_date``, sent to the agent to accept; its bill (a vendor refund when the
        total is negative) is posted when the agent accepts the report. Lines that
        cancel out are reported without a bill.

        :return: the ``octowatch.agent.report`` records made.
        """
        settlements = self._octowatch_settlements()
        # One create for all the bills and one for all the reports: their
        # computations run once, not per agent.
        bills = iter(
            self.env["account.move"].create(
                [
                    self.with_context(
                        lang=settlement["agent"].lang
                    )._prepare_bill_values(settlement, bill_date)
                    for settlement in settlements
                    if not settlement["currency"].is_zero(settlement["total"])
                ]
            )
        )
        # The email to the agent opens each report's chatter: no "created" note and
        # no follower written for each report.
        reports = (
            self.env["octowatch.agent.report"]
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                [
                    self._prepare_report_values(
                        settlement,
                        self.env["account.move"]
                        if settlement["currency"].is_zero(settlement["total"])
                        else next(bills),
                        bill_date,
                    )
                    for settlement in settlements
                ]
            )
            .with_env(self.env)
        )
        self._octowatch_mark_settled(
            {
                report: settlement
                for settlement, report in zip(settlements, reports, strict=True)
            }
        )
        reports._notify_agents()
        return reports

    def _octowatch_settlements(self):
        """What settling these lines makes, read in one grouped query rather than
        line by line (a settlement of 2,000 lines loaded and walked each of them).

        :return: a list of dicts, one per report (agent, company and currency), in
            the agents' order: ``agent``, ``company``, ``currency``, ``total`` (the
            sum of the lines), ``date_from`` (the first payment), ``agreement`` (the
            latest of the lines' agreements), ``periods`` (``(agreement, month,
            amount, count)`` for each agreement and month of payment, by agreement
            name and month), ``line_ids`` and ``reports`` (the withdrawn reports
            that some lines come back from).
        """
        rows = self._read_group(
            [("id", "in", self.ids), ("state", "=", "to_settle")],
            groupby=[
                "agent_id",
                "company_id",
                "currency_id",
                "agreement_id",
                "payment_date:month",
                "report_id",
            ],
            aggregates=["amount:sum", "__count", "payment_date:min", "id:array_agg"],
        )
        settlements = {}
        for agent, company, currency, agreement, month, report, *values in rows:
            amount, count, first_payment, line_ids = values
            settlement = settlements.setdefault(
                (agent, company, currency),
                {
                    "agent": agent,
                    "company": company,
                    "currency": currency,
                    "total": 0.0,
                    "date_from": first_payment,
                    "periods": {},
                    "line_ids": [],
                    "reports": report.browse(),
                },
            )
            settlement["total"] += amount
            settlement["date_from"] = min(settlement["date_from"], first_payment)
            period = settlement["periods"].setdefault((agreement, month), [0.0, 0])
            period[0] += amount
            period[1] += count
            settlement["line_ids"] += line_ids
            settlement["reports"] |= report
        for settlement in settlements.values():
            agreements = self.env["octowatch.agency.agreement"].union(
                *(agreement for agreement, _month in settlement["periods"])
            )
            settlement["agreement"] = agreements.sorted("date_start")[-1:]
            settlement["periods"] = [
                (agreement, month, amount, count)
                for (agreement, month), (amount, count) in sorted(
                    settlement["periods"].items(),
                    key=lambda item: (item[0][0].name, item[0][1]),
                )
            ]
        return sorted(
            settlements.values(),
            key=lambda settlement: (
                settlement["agent"].id,
                settlement["company"].id,
                settlement["currency"].id,
            ),
        )

    @api.model
    def _prepare_report_values(self, settlement, bill, date_to):
        days = settlement["agreement"].report_acceptance_days
        today = fields.Date.context_today(self)
        return {
            "agent_id": settlement["agent"].id,
            "company_id": settlement["company"].id,
            "currency_id": settlement["currency"].id,
            "date_from": settlement["date_from"],
            "date_to": date_to,
            "bill_id": bill.id,
            "acceptance_deadline": fields.Date.add(today, days=days) if days else False,
        }

    @api.model
    def _prepare_bill_values(self, settlement, bill_date):
        """The draft vendor bill of a settlement (see ``_octowatch_settlements``), in
        the agent's language (the environment's): a line per agreement and month,
        with the agent's VAT."""
        company = settlement["company"]
        journal = company.octowatch_commission_journal_id
        product = company.octowatch_commission_product_id
        if not journal or not product:
            raise UserError(
                self.env._(
                    "Set the Commission Product and the Commission Journal of "
                    "%(company)s in Settings > OctoWatch Channel before settling "
                    "commissions.",
                    company=company.name,
                )
            )
        total = settlement["total"]
        sign = 1 if total > 0 else -1
        bill_lines = []
        for agreement, month, amount, count in settlement["periods"]:
            bill_lines.append(
                {
                    "product_id": product.id,
                    "name": self.env._(
                        "Commission %(agreement)s, %(month)s (%(count)s payments)",
                        agreement=agreement.name,
                        month=month.strftime("%Y-%m"),
                        count=count,
                    )
                    if count > 1
                    else self.env._(
                        "Commission %(agreement)s, %(month)s (one payment)",
                        agreement=agreement.name,
                        month=month.strftime("%Y-%m"),
                    ),
                    "quantity": 1,
                    "price_unit": sign * amount,
                    # The base is the untaxed commission: the agent's VAT on top.
                    "tax_ids": [Command.set(agreement.tax_ids.ids)],
                }
            )
        return {
            "move_type": "in_invoice" if total > 0 else "in_refund",
            "partner_id": settlement["agent"].id,
            "company_id": company.id,
            "currency_id": settlement["currency"].id,
            "journal_id": journal.id,
            "invoice_date": bill_date,
            "partner_bank_id": settlement["agreement"].bank_account_id.id,
            "ref": self.env._(
                "OctoWatch commission to %(date)s",
                date=format_date(self.env, bill_date),
            ),
            "invoice_line_ids": [Command.create(vals) for vals in bill_lines],
        }

    def _octowatch_mark_settled(self, settlements_by_report):
        """Settle the lines of each report of ``settlements_by_report`` (report ->
        its settlement, see ``_octowatch_settlements``) into the report and its bill,
        all of them in one ``UPDATE``.

        The ORM writes 100 rows a query (``UPDATE_BATCH_SIZE``), and the values differ
        per report: a settlement of 2,000 lines took 20 queries, its only ones that
        grew with the invoice lines. The write is the ORM's otherwise: its access
        check first, then the cache and what depends on the lines told of the
        change: the amounts of the reports that the lines join, and of the withdrawn
        reports that they leave.
        """
        line_ids, report_ids, bill_ids = [], [], []
        for report, settlement in settlements_by_report.items():
            count = len(settlement["line_ids"])
            line_ids += settlement["line_ids"]
            report_ids += [report.id] * count
            bill_ids += [report.bill_id.id or None] * count
        lines = self.browse(line_ids)
        if not lines:
            return
        lines.check_access("write")
        fnames = ["state", "bill_id", "report_id"]
        self.flush_model(fnames)
        self.env.cr.execute(
            SQL(
                """
                UPDATE octowatch_commission_line line
                   SET state = 'settled',
                       report_id = settled.report_id,
                       bill_id = settled.bill_id,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM unnest(%(line_ids)s::integer[], %(report_ids)s::integer[],
                              %(bill_ids)s::integer[])
                       AS settled(id, report_id, bill_id)
                 WHERE line.id = settled.id
                """,
                uid=self.env.uid,
                now=self.env.cr.now(),
                line_ids=line_ids,
                report_ids=report_ids,
                bill_ids=bill_ids,
            )
        )
        lines.invalidate_recordset([*fnames, "write_uid", "write_date"], flush=False)
        reports = self.env["octowatch.agent.report"].union(
            *settlements_by_report,
            *(settlement["reports"] for settlement in settlements_by_report.values()),
        )
        reports.invalidate_recordset(["commission_line_ids"], flush=False)
        reports.modified(["commission_line_ids"])
        bills = reports.bill_id
        bills.invalidate_recordset(["octowatch_commission_line_ids"], flush=False)
        bills.modified(["octowatch_commission_line_ids"])

    @api.model
    def _cron_settle(self):
        """Monthly: report and bill everything paid up to the end of last month."""
        first_of_month = fields.Date.context_today(self).replace(day=1)
        last_month_end = fields.Date.subtract(first_of_month, days=1)
        lines = self.search(
            [("state", "=", "to_settle"), ("payment_date", "<=", last_month_end)]
        )
        return lines._settle(last_month_end)
