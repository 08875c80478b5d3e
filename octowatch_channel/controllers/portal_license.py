# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import http
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal_home import OctowatchPortal
from .portal_search import Searchbar, searchbar_inputs


class OctowatchLicensePortal(OctowatchPortal):
    """Licences on the portal: an end customer's account, a Partner's clients."""

    def _octowatch_clients(self, commercial, domain=None, count=False, **kwargs):
        """The end customers attached to ``commercial`` that match ``domain``.

        A partner may list the end customers attached to it, and nothing else: the
        domain is fixed to its own commercial entity, so reading them as sudo is safe.
        """
        Partner = request.env["res.partner"].sudo()
        domain = Domain(commercial._octowatch_clients_domain()) & Domain(
            domain or Domain.TRUE
        )
        if count:
            return Partner.search_count(domain)
        return Partner.search(domain, **kwargs)

    @staticmethod
    def _octowatch_balances(domain=None):
        """The active licences per personal account and version, of the entries the
        user may see (through the record rules) matching ``domain``: read from the
        balances the ledger keeps, whatever the number of entries."""
        balances = request.env["octowatch.license.balance"]._octowatch_active(domain)
        # The user sees these entries, so the names of their accounts and versions.
        return sorted(
            (
                ((customer.sudo(), product.sudo()), quantity)
                for customer, product, quantity in balances
            ),
            key=lambda item: (item[0][0].name, item[0][1].display_name),
        )

    @http.route(
        ["/my/licenses", "/my/licenses/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_licenses(
        self, page=1, sortby="date", search=None, search_in="all", **kw
    ):
        License = request.env["octowatch.license"]
        searchbar = Searchbar(
            {
                "date": {
                    "label": request.env._("Newest"),
                    "order": "date_credited desc, id desc",
                },
                "version": {
                    "label": request.env._("Version"),
                    "order": "product_id, id desc",
                },
                "customer": {
                    "label": request.env._("Customer"),
                    "order": "end_customer_name, id desc",
                },
            },
            sortby,
            searchbar_inputs(
                version=(
                    request.env._("Search in Version"),
                    ["product_id.name", "product_id.octowatch_version_code"],
                ),
                customer=(
                    request.env._("Search in Customer"),
                    ["end_customer_id.name"],
                ),
            ),
            search_in,
            search,
        )
        values = self._prepare_portal_layout_values()
        # The pager counts the entries from their balances: the searchbar's fields
        # (the version, the customer) are theirs too.
        entries, pager = searchbar.page(
            License,
            "/my/licenses",
            page,
            self._items_per_page,
            count=request.env["octowatch.license.balance"]._octowatch_entry_count,
        )
        # The entries were searched as the user, through the record rules; reading
        # their versions and invoices needs no more rights than seeing the entries.
        values.update(
            {
                "entries": entries.sudo(),
                "balances": self._octowatch_balances(),
                "page_name": "octowatch_licenses",
                "pager": pager,
                "default_url": "/my/licenses",
                **searchbar.values(),
            }
        )
        return request.render("octowatch_channel.portal_my_licenses", values)

    @http.route(
        ["/my/clients", "/my/clients/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_clients(
        self, page=1, sortby="name", search=None, search_in="all", **kw
    ):
        if refused := self._octowatch_role_page(("partner",)):
            return refused
        commercial = self._octowatch_commercial_partner()
        searchbar = Searchbar(
            {
                "name": {"label": request.env._("Name"), "order": "name, id"},
                "tin": {"label": request.env._("TIN"), "order": "vat, id"},
                "newest": {"label": request.env._("Newest"), "order": "id desc"},
            },
            sortby,
            searchbar_inputs(
                name=(request.env._("Search in Name"), ["name"]),
                tin=(request.env._("Search in TIN"), ["vat"]),
                email=(
                    request.env._("Search in Personal Account"),
                    ["octowatch_account_email"],
                ),
            ),
            search_in,
            search,
        )
        domain = searchbar.domain(request.env["res.partner"])
        pager = portal_pager(
            url="/my/clients",
            total=self._octowatch_clients(commercial, domain, count=True),
            page=page,
            step=self._items_per_page,
            url_args=searchbar.url_args(),
        )
        clients = self._octowatch_clients(
            commercial,
            domain,
            order=searchbar.order,
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        by_client = defaultdict(list)
        for (customer, product), qty in self._octowatch_balances(
            [("end_customer_id", "in", clients.ids)]
        ):
            by_client[customer].append((product, qty))
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "clients": clients,
                "balances_by_client": by_client,
                "page_name": "octowatch_clients",
                "pager": pager,
                "default_url": "/my/clients",
                **searchbar.values(),
            }
        )
        return request.render("octowatch_channel.portal_my_clients", values)
