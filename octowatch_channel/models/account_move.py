# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    octowatch_license_ids = fields.One2many(
        comodel_name="octowatch.license",
        inverse_name="move_id",
        string="OctoWatch Licences",
    )
    octowatch_license_count = fields.Integer(
        string="Licences", compute="_compute_octowatch_license_count"
    )

    octowatch_commission_line_ids = fields.One2many(
        comodel_name="octowatch.commission.line",
        inverse_name="bill_id",
        string="Commission Lines",
        help="The agent commission lines this vendor bill settles.",
    )
    # The inverse of the reports' bill: the reports' amounts depend on their bill's,
    # and through it the ORM finds a bill's report from its cache instead of
    # searching for it at each change of the bill's amounts (many while its lines
    # and taxes are made).
    octowatch_agent_report_ids = fields.One2many(
        comodel_name="octowatch.agent.report",
        inverse_name="bill_id",
        string="Agent's Reports",
        readonly=True,
    )
    octowatch_commission_count = fields.Integer(
        string="Commissions", compute="_compute_octowatch_commission_count"
    )

    def _compute_octowatch_commission_count(self):
        Line = self.env["octowatch.commission.line"]
        by_invoice = dict(
            Line._read_group([("move_id", "in", self.ids)], ["move_id"], ["__count"])
        )
        by_bill = dict(
            Line._read_group([("bill_id", "in", self.ids)], ["bill_id"], ["__count"])
        )
        for move in self:
            move.octowatch_commission_count = by_invoice.get(move, 0) + by_bill.get(
                move, 0
            )

    def _compute_octowatch_license_count(self):
        counts = dict(
            self.env["octowatch.license"]._read_group(
                [("move_id", "in", self.ids)],
                groupby=["move_id"],
                aggregates=["__count"],
            )
        )
        for move in self:
            move.octowatch_license_count = counts.get(move, 0)

    def _post(self, soft=True):
        # Invoices are floored; credit notes give money back, but their licence
        # quantities must count in the ledger as well.
        customer_moves = self.filtered(
            lambda move: move.move_type in ("out_invoice", "out_refund")
        )
        if customer_moves:
            Line = self.env["account.move.line"]
            Line._octowatch_raise_problems(Line._octowatch_floor_check(customer_moves))
        self._octowatch_check_commission_bills()
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda m: m.move_type == "out_refund"
        )._octowatch_debit_licenses()
        posted._octowatch_announce_to_requesters()
        return posted

    def _octowatch_announce_to_requesters(self):
        """Email the Partner of each invoice made from its invoice request that
        the invoice is issued, with its portal link."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        orders = invoices.invoice_line_ids.sale_line_ids.order_id
        if not orders:
            return
        requests = orders._octowatch_channel_requests()
        if not requests:
            return
        # The issued invoice's own PDF, so that the portal shows and downloads the
        # invoice, never a proforma (Odoo's fallback when no PDF was made).
        issued = invoices.filtered(
            lambda m: (
                not m.invoice_pdf_report_id
                and m.invoice_line_ids.sale_line_ids.order_id & requests.sale_order_id
            )
        )
        # One invoice at a time: a wkhtmltopdf built without its patched Qt (the
        # packaged one of most distributions) refuses to print several documents
        # at once, and posting two invoices from the list would fail.
        for invoice in issued:
            self.env["account.move.send"]._generate_and_send_invoices(
                invoice,
                allow_raising=False,
                allow_fallback_pdf=True,
                sending_methods=["manual"],
            )
        for request in requests:
            request_invoices = invoices.filtered(
                lambda m, order=request.sale_order_id: (
                    order in m.invoice_line_ids.sale_line_ids.order_id
                )
            )
            request.with_context(octowatch_invoices=request_invoices)._octowatch_notify(
                "octowatch_channel.mail_template_channel_request_invoice_issued",
                attachments={request.id: request_invoices._octowatch_pdfs()},
            )

    def _octowatch_pdfs(self):
        """``(name, content)`` of the issued PDF of each invoice that has one
        (``invoice_pdf_report_id``), as the portal downloads it."""
        # The PDFs are read whoever posts: they go to the invoices' own customer.
        return [(pdf.name, pdf.raw) for pdf in self.sudo().invoice_pdf_report_id]

    def _octowatch_demo_pay_by_card(self):
        """Demo data: pay these posted invoices as a Partner pays on the portal, by
        card through a ``payment.transaction`` of Odoo's Demo provider, enabled in
        test mode in each invoice's company. The addon doesn't depend on
        payment_demo: without it the invoices stay unpaid, and the log says so."""
        # sudo: called by the demo data only, which the administrator loads; the
        # provider is enabled and the transaction made as the payment module does.
        Provider = self.env["payment.provider"].sudo()
        for invoice in self:
            provider = Provider.with_context(active_test=False).search(
                [("code", "=", "demo"), ("company_id", "=", invoice.company_id.id)],
                limit=1,
            )
            if not provider:
                _logger.info(
                    "Demo invoice %s left unpaid: Odoo's Demo payment provider "
                    "(payment_demo) is not installed.",
                    invoice.name,
                )
                continue
            provider.write({"state": "test", "is_published": True})
            transaction = (
                self.env["payment.transaction"]
                .sudo()  # as above: demo data, and what the portal's route does
                .create(
                    {
                        "provider_id": provider.id,
                        "payment_method_id": provider.payment_method_ids[:1].id,
                        "amount": invoice.amount_residual,
                        "currency_id": invoice.currency_id.id,
                        "partner_id": invoice.partner_id.id,
                        "invoice_ids": [Command.set(invoice.ids)],
                        "operation": "online_direct",
                    }
                )
            )
            # What the Demo provider's card form sends (payment_demo's
            # /payment/demo/simulate_payment), then what the status page does.
            transaction._process(
                "demo",
                {
                    "reference": transaction.reference,
                    "payment_details": "4242",
                    "simulated_state": "done",
                },
            )
            transaction._post_process()

    def button_draft(self):
        if not self:
            # Odoo resets no move at all on every write of a journal item (an empty
            # statement line's reconciliation undone): nothing to check.
            return super().button_draft()
        settled = (
            self.env["octowatch.commission.line"]
            .sudo()
            .search_count(
                [("move_id", "in", self.ids), ("state", "=", "settled")], limit=1
            )
        )  # sudo: the check concerns every user who may reset an invoice
        if settled:
            raise UserError(
                self.env._(
                    "This invoice's agent commission is already settled on a vendor "
                    "bill: reverse it with a credit note instead of resetting it."
                )
            )
        return super().button_draft()

    def button_cancel(self):
        self._octowatch_release_commission()
        return super().button_cancel()

    def unlink(self):
        if self:
            # Odoo also unlinks no move at all on every write of a journal item (an
            # empty statement line's reconciliation undone): nothing to release.
            self._octowatch_release_commission()
        return super().unlink()

    def action_view_octowatch_commissions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "octowatch_channel.action_octowatch_commission_line"
        )
        action["domain"] = ["|", ("move_id", "=", self.id), ("bill_id", "=", self.id)]
        action["context"] = {}
        return action

    def _octowatch_deal(self):
        """The agent's deal this customer invoice (or its credit note) comes from."""
        self.ensure_one()
        source = self.reversed_entry_id if self.move_type == "out_refund" else self
        deal = source.invoice_line_ids.sale_line_ids.order_id.octowatch_deal_id[:1]
        return (
            deal or self.invoice_line_ids.sale_line_ids.order_id.octowatch_deal_id[:1]
        )

    def _octowatch_release_commission(self):
        """A draft bill deleted or a bill cancelled gives its lines back to settle
        and cancels its agent's report."""
        lines = self.sudo().octowatch_commission_line_ids  # accountants cancel bills
        lines.write({"state": "to_settle", "bill_id": False})
        self.env["octowatch.agent.report"].sudo().search(  # as above
            [("bill_id", "in", self.ids)]
        )._octowatch_release()

    def _octowatch_check_commission_bills(self):
        """A commission bill is posted once its agent's report is accepted, and
        only for the commission it settles."""
        bills = self.filtered(
            lambda move: move.move_type in ("in_invoice", "in_refund")
        )
        if not bills:
            return
        reports = {
            report.bill_id: report
            for report in self.env["octowatch.agent.report"]
            .sudo()  # the check concerns every user who may post a bill
            .search([("bill_id", "in", bills.ids)])
        }
        for bill in bills.filtered(lambda move: move in reports):
            report = reports[bill]
            if report.state != "accepted":
                raise UserError(
                    self.env._(
                        "%(bill)s pays the agent's report %(report)s, which is "
                        "%(state)s: it is posted when the agent accepts the report "
                        "(or when you record its acceptance on the report).",
                        bill=bill.display_name,
                        report=report.name,
                        state=report._octowatch_state_label(),
                    )
                )
        # The sum of each bill's lines in one query, not its lines read one by one.
        settled = (
            self.env["octowatch.commission.line"]
            .sudo()  # as for releasing: accountants post the bills
            ._read_group(
                [("bill_id", "in", bills.ids)],
                groupby=["bill_id"],
                aggregates=["amount:sum"],
            )
        )
        for bill, amount in settled:
            bill = bill.with_env(self.env)
            expected = abs(amount)
            if bill.currency_id.compare_amounts(bill.amount_untaxed, expected):
                raise UserError(
                    self.env._(
                        "%(bill)s settles %(expected)s of agent commission but its "
                        "untaxed amount is %(amount)s: edit it back, or delete it to "
                        "settle its lines again.",
                        bill=bill.display_name,
                        expected=format_amount(self.env, expected, bill.currency_id),
                        amount=format_amount(
                            self.env, bill.amount_untaxed, bill.currency_id
                        ),
                    )
                )

    def _invoice_paid_hook(self):
        """Credit the licences of the paid invoices and win the deals they come from."""
        res = super()._invoice_paid_hook()
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        invoices._octowatch_credit_licenses()
        orders = invoices.invoice_line_ids.sale_line_ids.order_id
        # Reaching the deals of the customer's orders is safe whoever pays: the
        # payment itself was allowed, and only the deal's state changes.
        orders.sudo().octowatch_deal_id._action_won()
        return res

    def action_view_octowatch_licenses(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "octowatch_channel.action_octowatch_license"
        )
        action["domain"] = [("move_id", "in", (self | self.reversal_move_ids).ids)]
        action["context"] = {}
        return action

    def _octowatch_is_fully_paid(self):
        self.ensure_one()
        return self.state == "posted" and self.payment_state in ("paid", "in_payment")

    def _octowatch_credit_licenses(self):
        """Credit the licence lines of these paid customer invoices, once per line.

        An entry that exists already (the payment was undone, then made again) is
        reactivated instead. Credit notes posted before the payment are applied after.
        """
        invoices = self.filtered(lambda m: m._octowatch_is_fully_paid())
        lines = invoices.invoice_line_ids.filtered(
            lambda line: (
                line.product_id.octowatch_is_license
                and line._octowatch_ledger_quantity() > 0
            )
        )
        if not lines:
            return
        License = self.env["octowatch.license"].sudo()  # accounting users credit too
        existing = License.search([("move_line_id", "in", lines.ids)])
        existing._octowatch_set_state("active")
        new_lines = lines - existing.move_line_id
        License.create([line._octowatch_license_values() for line in new_lines])
        self.env["account.move"].search(
            [
                ("reversed_entry_id", "in", invoices.ids),
                ("move_type", "=", "out_refund"),
                ("state", "=", "posted"),
            ]
        )._octowatch_debit_licenses()

    def _octowatch_suspend_licenses(self):
        """Suspend the credits of invoices that are no longer fully paid."""
        unpaid = self.filtered(
            lambda m: m.move_type == "out_invoice" and not m._octowatch_is_fully_paid()
        )
        if unpaid:
            self.env["octowatch.license"].sudo().search(  # as for crediting
                [("move_id", "in", unpaid.ids), ("quantity", ">", 0)]
            )._octowatch_set_state("suspended")

    def _octowatch_debit_licenses(self):
        """Debit what these posted credit notes reverse of credited invoice lines."""
        refund_lines = self.invoice_line_ids.filtered(
            lambda line: (
                line.product_id.octowatch_is_license
                and line._octowatch_ledger_quantity()
                and line.move_id.reversed_entry_id
            )
        )
        if not refund_lines:
            return
        License = self.env["octowatch.license"].sudo()  # as for crediting
        refund_lines -= License.search(
            [("move_line_id", "in", refund_lines.ids)]
        ).move_line_id
        credits = License.search(
            [
                ("move_id", "in", refund_lines.move_id.reversed_entry_id.ids),
                ("quantity", ">", 0),
            ]
        )
        debited = {
            credit: -sum(credit_debits.mapped("quantity"))
            for credit, credit_debits in License.search(
                [("reversed_license_id", "in", credits.ids)]
            )
            .grouped("reversed_license_id")
            .items()
        }
        vals_list = []
        for line in refund_lines:
            candidates = credits.filtered(
                lambda c, line=line: (
                    c.move_id == line.move_id.reversed_entry_id
                    and c.product_id == line.product_id
                    and (
                        not line.octowatch_end_customer_id
                        or c.end_customer_id == line.octowatch_end_customer_id
                    )
                )
            )
            # A credit note takes licences back whatever the sign of its quantity.
            remaining = abs(line._octowatch_ledger_quantity())
            for credit in candidates:
                left = credit.quantity - debited.get(credit, 0)
                qty = min(left, remaining)
                if qty <= 0:
                    continue
                debited[credit] = debited.get(credit, 0) + qty
                vals_list.append(
                    {
                        **credit._octowatch_copy_values(),
                        "quantity": -qty,
                        "move_line_id": line.id,
                        "move_id": line.move_id.id,
                        "reversed_license_id": credit.id,
                    }
                )
                # One credit-note line makes one ledger entry: the rest, if any, is
                # beyond what that invoice line credited.
                break
        License.create(vals_list)


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["account.move.line", "octowatch.price.floor.line"]

    @api.depends(
        "product_id",
        "product_uom_id",
        "quantity",
        "price_subtotal",
        "octowatch_end_customer_id",
        "move_id.invoice_line_ids.price_subtotal",
        "move_id.invoice_line_ids.quantity",
        "move_id.invoice_line_ids.product_id",
        "move_id.partner_id",
        "move_id.invoice_date",
        "move_id.currency_id",
        "move_id.company_id",
    )
    def _compute_octowatch_price_floor(self):
        return super()._compute_octowatch_price_floor()

    def _octowatch_document(self):
        return self.move_id

    def _octowatch_quantity(self):
        return self.quantity

    @api.model
    def _octowatch_priced_lines(self, documents):
        return documents.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )

    @api.model
    def _octowatch_document_values(self, document):
        return (
            document.invoice_date or fields.Date.context_today(self),
            document.currency_id,
            document.company_id,
        )

    @api.model
    def _octowatch_document_label(self, document):
        """A draft has no number yet: name it by its id and customer."""
        if document.name and document.name != "/":
            return document.display_name
        return self.env._(
            "%(document)s #%(id)s (%(customer)s)",
            document=document.display_name,
            id=document.id,
            customer=document.partner_id.display_name,
        )

    @api.model
    def _octowatch_is_floored(self, document):
        return document.move_type == "out_invoice"

    @api.model
    def _octowatch_allows_negative_quantity(self, document):
        return document.move_type == "out_refund"

    def _octowatch_not_discount_amounts(self, documents):
        """A down-payment deduction takes off what an earlier invoice of the order
        charged: up to what the order's posted invoices still hold of that down
        payment, it lowers no price."""
        deductions = self.filtered(
            lambda line: line.is_downpayment and line.price_subtotal < 0
        )
        left = {
            sale_line: sale_line.untaxed_amount_invoiced
            for sale_line in deductions.sale_line_ids.filtered("is_downpayment")
        }
        amounts = {}
        for line in deductions:
            amounts[line] = 0.0
            for sale_line in line.sale_line_ids.filtered("is_downpayment"):
                if sale_line.currency_id != line.currency_id:
                    continue
                taken = min(left[sale_line], -line.price_subtotal - amounts[line])
                if taken > 0:
                    amounts[line] += taken
                    left[sale_line] -= taken
        return amounts

    @api.model
    def _octowatch_approved_products(self, candidates, documents):
        """An invoice inherits the approval of its sale order lines: each licence
        line of the product invoices an approved order line still at its approved
        terms, at the approved price and discount, for no more than the approved
        quantity over all the invoices of that order line (less its credit notes),
        and the invoice's net price per licence is not below the approved one."""
        lines = self.union(*(result["lines"] for result in candidates.values()))
        sale_lines = lines.sale_line_ids.filtered(
            lambda sale_line: sale_line._octowatch_approval_matches(
                sale_line,
                sale_line._octowatch_reference_quantity(sale_line.order_id)[0],
                sale_line.octowatch_floor_approved_net_price,
                exact=True,
            )
        )
        invoiced = defaultdict(float)
        for invoice_line in sale_lines.invoice_lines:
            move = invoice_line.move_id
            if move.state != "posted" and move not in documents:
                continue
            quantity = abs(invoice_line._octowatch_reference_quantity(move)[0])
            sign = {"out_invoice": 1, "out_refund": -1}.get(move.move_type, 0)
            for sale_line in invoice_line.sale_line_ids & sale_lines:
                invoiced[sale_line] += sign * quantity
        return {
            key
            for key, result in candidates.items()
            if all(
                any(
                    line._octowatch_approval_matches(
                        sale_line, invoiced[sale_line], result["net"], exact=False
                    )
                    for sale_line in line.sale_line_ids & sale_lines
                )
                for line in result["lines"]
            )
        }

    def _octowatch_ledger_quantity(self):
        """The licences this line counts in the ledger: its quantity in the
        product's reference unit (posting refuses one that is not whole)."""
        self.ensure_one()
        return self._octowatch_reference_quantity(self.move_id)[0]

    def _octowatch_license_values(self):
        """The ledger entry that this paid invoice line credits."""
        self.ensure_one()
        customer = self.move_id.partner_id.commercial_partner_id
        end_customer = self.octowatch_end_customer_id or customer
        return {
            "end_customer_id": end_customer.id,
            "account_email": end_customer.octowatch_account_email or end_customer.email,
            "product_id": self.product_id.id,
            "quantity": self._octowatch_ledger_quantity(),
            "channel_partner_id": self._octowatch_channel_partner().id,
            "move_line_id": self.id,
            "move_id": self.move_id.id,
            "sale_line_id": self.sale_line_ids[:1].id,
            "company_id": self.company_id.id,
            "date_credited": fields.Date.context_today(self),
        }

    def _octowatch_channel_partner(self):
        """The channel Partner that bought this line, else the agent behind it."""
        self.ensure_one()
        customer = self.move_id.partner_id.commercial_partner_id
        if customer.octowatch_role == "partner":
            return customer
        return self.move_id._octowatch_deal().agent_id
