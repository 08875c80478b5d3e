# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An agent's deal registrations: the list, a deal's page, its invoice request and
the one form that registers a deal (through a channel request)."""

from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.http import request

from ..models import channel_request_types
from .portal_request import OctowatchChannelRequestPortal
from .portal_search import (
    Searchbar,
    record_pager,
    remember_listing,
    searchbar_inputs,
)

DEALS_HISTORY = "my_octowatch_deals_history"


class OctowatchDealPortal(OctowatchChannelRequestPortal):
    def _octowatch_deal_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_registered desc, id desc",
            },
            "expiry": {
                "label": request.env._("Expiry Date"),
                "order": "date_expiry asc, id desc",
            },
            "state": {
                "label": request.env._("Status"),
                "order": "state asc, date_registered desc",
            },
        }

    def _octowatch_deal_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": Domain.TRUE},
            "open": {
                "label": request.env._("Open"),
                "domain": Domain("state", "in", ("registered", "invoiced")),
            },
            "expiring": {
                "label": request.env._("Expiring Soon"),
                "domain": self._octowatch_expiring_domain(),
            },
            "won": {
                "label": request.env._("Won"),
                "domain": Domain("state", "=", "won"),
            },
            "closed": {
                "label": request.env._("Lost, Expired or Rejected"),
                "domain": Domain("state", "in", ("lost", "expired", "rejected")),
            },
        }

    def _octowatch_expiring_domain(self):
        """Open deals whose protection ends within the company's reminder days."""
        today = fields.Date.context_today(request.env.user)
        days = request.env.company.octowatch_deal_reminder_days or 7
        return Domain("state", "=", "registered") & Domain(
            "date_expiry", "<=", today + timedelta(days=days)
        )

    @http.route(
        ["/my/deals", "/my/deals/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_deals(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kw
    ):
        if refused := self._octowatch_role_page(("agent",)):
            return refused
        Deal = request.env["octowatch.deal.registration"]
        searchbar = Searchbar(
            self._octowatch_deal_sortings(),
            sortby,
            searchbar_inputs(
                name=(request.env._("Search in Reference"), ["name"]),
                customer=(request.env._("Search in Customer"), ["company_name"]),
                tin=(request.env._("Search in TIN"), ["tin"]),
            ),
            search_in,
            search,
            filters=self._octowatch_deal_filters(),
            filterby=filterby,
        )
        deals, pager = searchbar.page(
            Deal,
            "/my/deals",
            page,
            self._items_per_page,
            domain=Domain("agent_id", "=", self._octowatch_commercial_partner().id),
        )
        remember_listing(DEALS_HISTORY, deals)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # Searched with the user's rights; sudo only reads their versions.
                "deals": deals.sudo(),
                "page_name": "octowatch_deals",
                "pager": pager,
                "default_url": "/my/deals",
                **searchbar.values(),
                "octowatch_is_agent": True,
            }
        )
        return request.render("octowatch_channel.portal_my_deals", values)

    @http.route(["/my/deals/<int:deal_id>"], type="http", auth="user", website=True)
    def portal_my_deal(self, deal_id, **kw):
        deal_sudo = self._octowatch_readable_record(
            "octowatch.deal.registration", deal_id
        )
        if not deal_sudo:
            return self._octowatch_refuse_record()
        return self._octowatch_render_deal(deal_sudo)

    def _octowatch_render_deal(self, deal_sudo, error=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "deal": deal_sudo,
                "page_name": "octowatch_deal",
                "error": error,
                **record_pager(DEALS_HISTORY, deal_sudo, "/my/deals/%s"),
            }
        )
        return request.render("octowatch_channel.portal_my_deal", values)

    @http.route(
        ["/my/deals/<int:deal_id>/request_invoice"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_deal_request_invoice(self, deal_id, **kw):
        deal_sudo = self._octowatch_readable_record(
            "octowatch.deal.registration", deal_id
        )
        if not deal_sudo:
            return self._octowatch_refuse_record()
        try:
            with request.env.cr.savepoint():
                # The user may read this deal, so it is its agent's: asking for the
                # quotation of one's own deal is what the agent is entitled to.
                deal_sudo.action_request_invoice()
        except UserError as exc:
            return self._octowatch_render_deal(deal_sudo, error=exc.args[0])
        return request.redirect(f"/my/deals/{deal_sudo.id}")

    @http.route(
        ["/my/deals/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_my_deal_new(self, **post):
        """The one portal form that registers a deal: a channel request, checked,
        decided first come first served and acknowledged as an emailed one is."""
        self._octowatch_check_form_role(
            channel_request_types.REQUEST_TYPES["deal"].roles
        )
        errors, form = {}, {}
        if request.httprequest.method == "POST":
            vals, errors, form = self._octowatch_read_form("deal", post)
            if not errors:
                new_request = self._octowatch_submit_request(vals)
                if new_request.deal_id:
                    return request.redirect(f"/my/deals/{new_request.deal_id.id}")
                return request.redirect(f"/my/channel-requests/{new_request.id}")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "octowatch_deal_new",
                "products": self._octowatch_sellable_licenses(),
                "errors": errors,
                "form": form,
            }
        )
        return request.render("octowatch_channel.portal_my_deal_new", values)
