# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal_search import Searchbar, searchbar_inputs


class OctowatchCommissionPortal(CustomerPortal):
    """An agent's commission lines, bills and PDF statements on the portal."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "octowatch_commission_count" in counters:
            Line = request.env["octowatch.commission.line"]
            values["octowatch_commission_count"] = (
                Line.search_count([]) if Line.has_access("read") else 0
            )
        return values

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

    @http.route(
        ["/my/commissions", "/my/commissions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_commissions(
        self, page=1, sortby="date", search=None, search_in="all", **kw
    ):
        commercial = request.env.user.partner_id.commercial_partner_id
        if commercial.octowatch_role != "agent":
            return request.redirect("/my")
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
        domain = searchbar.domain(Line)
        pager = portal_pager(
            url="/my/commissions",
            total=Line.search_count(domain),
            page=page,
            step=self._items_per_page,
            url_args=searchbar.url_args(),
        )
        lines = Line.search(
            domain,
            order=searchbar.order,
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # Searched through the record rules; read as sudo for the deal and
                # invoice names.
                "lines": lines.sudo(),
                "bills": self._octowatch_agent_bills(commercial),
                "page_name": "octowatch_commissions",
                "pager": pager,
                "default_url": "/my/commissions",
                **searchbar.values(),
            }
        )
        return request.render("octowatch_channel.portal_my_commissions", values)

    @http.route(
        ["/my/commissions/statement/<int:bill_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_commission_statement(self, bill_id, download=False, **kw):
        commercial = request.env.user.partner_id.commercial_partner_id
        bill = self._octowatch_agent_bills(commercial).filtered(
            lambda b: b.id == bill_id
        )
        if not bill:
            return request.redirect("/my/commissions")
        return self._show_report(
            model=bill,
            report_type="pdf",
            report_ref="octowatch_channel.action_report_commission_statement",
            download=download,
        )
