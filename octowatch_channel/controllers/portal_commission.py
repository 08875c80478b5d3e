# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .portal_home import OctowatchPortal
from .portal_search import Searchbar, searchbar_inputs


class OctowatchCommissionPortal(OctowatchPortal):
    """An agent's commission lines, its reports to accept and its bills."""

    def _octowatch_agent_bills(self, commercial):
        # The bills that settle this agent's own commission lines: the domain is fixed
        # to the agent's commercial entity, so reading them as sudo is safe.
        return (
            request.env["account.move"]
            .sudo()
            .search(
                [
                    ("octowatch_commission_line_ids.agent_id", "=", commercial.id),
                    ("state", "!=", "cancel"),
                ],
                order="invoice_date desc, id desc",
            )
        )

    @staticmethod
    def _octowatch_commission_totals(Line, bills):
        """``{to_settle, billed, paid, currency}``: the commission not yet settled
        (the lines the user may read), and what its posted bills owe and have paid
        (a refund counts against them)."""
        to_settle = sum(Line.search([("state", "=", "to_settle")]).mapped("amount"))
        billed = paid = 0.0
        for bill in bills.filtered(lambda move: move.state == "posted"):
            sign = -1 if bill.move_type == "in_refund" else 1
            billed += sign * bill.amount_total
            paid += sign * (bill.amount_total - bill.amount_residual)
        return {
            "to_settle": to_settle,
            "billed": billed,
            "paid": paid,
            "currency": request.env.company.currency_id,
        }

    @http.route(
        ["/my/commissions", "/my/commissions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_commissions(
        self, page=1, sortby="date", search=None, search_in="all", **kw
    ):
        if refused := self._octowatch_role_page(("agent",)):
            return refused
        return self._octowatch_render_commissions(
            self._octowatch_commercial_partner(),
            page,
            sortby,
            search,
            search_in,
            done=kw.get("done"),
        )

    def _octowatch_render_commissions(
        self, commercial, page=1, sortby="date", search=None, search_in="all", **extra
    ):
        """The commissions page; ``extra`` adds the outcome of an acceptance or the
        error of an objection (``errors``: report id -> message, ``reason``)."""
        Line = request.env["octowatch.commission.line"]
        searchbar = Searchbar(
            {
                "date": {
                    "label": request.env._("Newest"),
                    "order": "payment_date desc, id desc",
                },
                "state": {
                    "label": request.env._("Status"),
                    "order": "state, payment_date desc",
                },
            },
            sortby,
            searchbar_inputs(
                deal=(
                    request.env._("Search in Deal"),
                    ["deal_id.name", "deal_id.company_name"],
                ),
                invoice=(request.env._("Search in Invoice"), ["move_id.name"]),
                bill=(
                    request.env._("Search in Bill"),
                    ["bill_id.name", "bill_id.ref"],
                ),
            ),
            search_in,
            search,
        )
        lines, pager = searchbar.page(
            Line, "/my/commissions", page, self._items_per_page
        )
        bills = self._octowatch_agent_bills(commercial)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "totals": self._octowatch_commission_totals(Line, bills),
                # Searched through the record rules; read as sudo for the deal and
                # invoice names.
                "lines": lines.sudo(),
                # The record rules choose the reports; their bills are read as sudo.
                "reports": request.env["octowatch.agent.report"]
                .search([("state", "!=", "cancelled")])
                .sudo(),
                "bills": bills,
                "errors": {},
                **extra,
                "page_name": "octowatch_commissions",
                "pager": pager,
                "default_url": "/my/commissions",
                **searchbar.values(),
            }
        )
        return request.render("octowatch_channel.portal_my_commissions", values)

    def _octowatch_agent_report(self, report_id):
        """The user's own report, through the record rules, as sudo in the user's
        name (who accepts or objects); ``None`` for anyone else's."""
        if not self._octowatch_readable_record("octowatch.agent.report", report_id):
            return None
        # Checked above: the user may read this report, its agent's own.
        return request.env["octowatch.agent.report"].browse(report_id).sudo()

    @http.route(
        ["/my/commissions/reports/<int:report_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_agent_report(self, report_id, download=False, **kw):
        report = self._octowatch_agent_report(report_id)
        if not report:
            return self._octowatch_refuse_record()
        return self._show_report(
            model=report,  # the user's own report, found above
            report_type="pdf",
            report_ref="octowatch_channel.action_report_agent_report",
            download=download,
        )

    @http.route(
        ["/my/commissions/reports/<int:report_id>/accept"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_agent_report_accept(self, report_id, **kw):
        report = self._octowatch_agent_report(report_id)
        if not report:
            return self._octowatch_refuse_record()
        try:
            # The agent accepts its own report (found through the record rules);
            # posting the bill needs the accounting rights it hasn't.
            with request.env.cr.savepoint():
                report._octowatch_accept(ip_address=request.httprequest.remote_addr)
        except UserError as error:
            return self._octowatch_render_commissions(
                report.agent_id, errors={report.id: error.args[0]}
            )
        return request.redirect("/my/commissions?done=accepted")

    @http.route(
        ["/my/commissions/reports/<int:report_id>/object"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_agent_report_object(self, report_id, reason=None, **kw):
        report = self._octowatch_agent_report(report_id)
        if not report:
            return self._octowatch_refuse_record()
        try:
            # As for accepting: its own report; the activity is for Kolibri's staff.
            with request.env.cr.savepoint():
                report._octowatch_object(
                    reason, ip_address=request.httprequest.remote_addr
                )
        except UserError as error:
            return self._octowatch_render_commissions(
                report.agent_id,
                errors={report.id: error.args[0]},
                reason=reason,
                objecting=report.id,
            )
        return request.redirect("/my/commissions?done=objected")
