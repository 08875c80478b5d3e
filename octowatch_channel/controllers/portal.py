# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.octowatch_input_mixin import OctowatchInputError
from .portal_search import (
    Searchbar,
    record_pager,
    remember_listing,
    searchbar_inputs,
)

DEALS_HISTORY = "my_octowatch_deals_history"


class OctowatchPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            # The home page itself, not /my/counters: the browser takes every key
            # answered there for a counter of the page and fails on any other.
            values["octowatch_is_agent"] = bool(self._octowatch_agent())
        if "octowatch_deal_count" in counters:
            Deal = request.env["octowatch.deal.registration"]
            values["octowatch_deal_count"] = (
                Deal.search_count(self._octowatch_deal_domain())
                if Deal.has_access("read")
                else 0
            )
        return values

    def _octowatch_agent(self):
        """The agent the current user works for, or an empty recordset."""
        # The user's own commercial entity: reading its role reveals nothing.
        partner = request.env.user.partner_id.commercial_partner_id.sudo()
        return partner if partner.octowatch_role == "agent" else partner.browse()

    def _octowatch_deal_domain(self):
        return Domain(
            "agent_id", "=", request.env.user.partner_id.commercial_partner_id.id
        )

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
            "won": {
                "label": request.env._("Won"),
                "domain": Domain("state", "=", "won"),
            },
            "closed": {
                "label": request.env._("Lost, Expired or Rejected"),
                "domain": Domain("state", "in", ("lost", "expired", "rejected")),
            },
        }

    def _octowatch_deal_products(self):
        # The published catalogue of OctoWatch versions of the company, which any
        # agent may pick. Named apart from the price list's helper: Odoo merges the
        # portal controllers into one class, where the later one would win.
        return (
            request.env["product.product"]
            .sudo()
            .search(
                [
                    ("octowatch_is_license", "=", True),
                    ("sale_ok", "=", True),
                    ("company_id", "in", [False, request.env.company.id]),
                ],
                order="name",
            )
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
        domain = self._octowatch_deal_domain() & searchbar.domain(Deal)
        has_access = Deal.has_access("read")
        pager = portal_pager(
            url="/my/deals",
            url_args=searchbar.url_args(),
            total=Deal.search_count(domain) if has_access else 0,
            page=page,
            step=self._items_per_page,
        )
        deals = (
            Deal.search(
                domain,
                order=searchbar.order,
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            if has_access
            else Deal
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
                "octowatch_is_agent": bool(self._octowatch_agent()),
            }
        )
        return request.render("octowatch_channel.portal_my_deals", values)

    def _octowatch_deal_or_404(self, deal_id):
        try:
            return self._document_check_access("octowatch.deal.registration", deal_id)
        except (AccessError, MissingError) as exc:
            # Someone else's deal looks the same as no deal at all.
            raise request.not_found() from exc

    @http.route(["/my/deals/<int:deal_id>"], type="http", auth="user", website=True)
    def portal_my_deal(self, deal_id, **kw):
        deal_sudo = self._octowatch_deal_or_404(deal_id)
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
        deal_sudo = self._octowatch_deal_or_404(deal_id)
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
        agent = self._octowatch_agent()
        if not agent:
            raise Forbidden()
        products = self._octowatch_deal_products()
        errors = {}
        if request.httprequest.method == "POST":
            product = products.filtered(
                lambda p: str(p.id) == (post.get("product_id") or "")
            )
            if not product:
                errors["product_id"] = request.env._("Choose the OctoWatch version.")
            Deal = request.env["octowatch.deal.registration"]
            qty, problem = Deal._octowatch_read_license_qty(post.get("license_qty"))
            if problem:
                errors["license_qty"] = problem
            try:
                with request.env.cr.savepoint():
                    # Registration is the agent's own request for its own account;
                    # _register_deal checks every input and decides first come, first
                    # served whatever the caller's rights.
                    deal = Deal.sudo()._register_deal(
                        agent,
                        post.get("tin"),
                        post.get("company_name"),
                        product,
                        qty or 0,
                        company=request.env.company,
                    )
                return request.redirect(f"/my/deals/{deal.id}")
            except OctowatchInputError as exc:
                # A field the form could not read (version, licences) is refused by
                # the model too: the form's message is the more precise one.
                errors = {**exc.problems, **errors}
            except ValidationError as exc:
                errors.setdefault("general", exc.args[0])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "octowatch_deal_new",
                "products": products,
                "errors": errors,
                "form": post,
            }
        )
        return request.render("octowatch_channel.portal_my_deal_new", values)
