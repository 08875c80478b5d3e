# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class OctowatchLicensePortal(CustomerPortal):
    """Licences on the portal: a personal account, a partner's clients, prices."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        commercial = request.env.user.partner_id.commercial_partner_id
        if "octowatch_license_count" in counters:
            License = request.env["octowatch.license"]
            values["octowatch_license_count"] = (
                License.search_count([]) if License.has_access("read") else 0
            )
        if "octowatch_client_count" in counters:
            values["octowatch_client_count"] = (
                len(self._octowatch_clients(commercial))
                if commercial.octowatch_role == "partner"
                else 0
            )
        if "octowatch_price_count" in counters:
            values["octowatch_price_count"] = (
                len(self._octowatch_license_products())
                if commercial.octowatch_role == "partner"
                else 0
            )
        return values

    def _octowatch_clients(self, commercial):
        # A partner may list the end customers attached to it, and nothing else: the
        # domain is fixed to its own commercial entity, so reading them as sudo is safe.
        return (
            request.env["res.partner"]
            .sudo()
            .search(
                [("octowatch_owner_id", "=", commercial.id), ("parent_id", "=", False)],
                order="name",
            )
        )

    def _octowatch_license_products(self):
        # Licence products and their published prices are public information.
        return (
            request.env["product.product"]
            .sudo()
            .search(
                [("octowatch_is_license", "=", True), ("sale_ok", "=", True)],
                order="octowatch_version_code",
            )
        )

    def _octowatch_price_rows(self, pricelist):
        company = request.env.company.sudo()  # the published pricelist is public
        published = company.octowatch_published_pricelist_id
        products = self._octowatch_license_products()
        published_prices = (
            published._get_products_price(products, 1.0) if published else {}
        )
        own_prices = pricelist._get_products_price(products, 1.0) if pricelist else {}
        return [
            {
                "product": product,
                "published": published_prices.get(product.id),
                "own": own_prices.get(product.id),
            }
            for product in products
        ], published.currency_id or company.currency_id

    @staticmethod
    def _octowatch_balances(entries):
        balances = defaultdict(int)
        for entry in entries.filtered(lambda e: e.state == "active"):
            balances[(entry.end_customer_id, entry.product_id)] += entry.quantity
        return sorted(
            balances.items(),
            key=lambda item: (item[0][0].name, item[0][1].display_name),
        )

    @http.route(
        ["/my/licenses", "/my/licenses/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_licenses(self, page=1, sortby="date", search=None, **kw):
        License = request.env["octowatch.license"]
        searchbar_sortings = {
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
                "order": "end_customer_id, id desc",
            },
        }
        sortby = sortby if sortby in searchbar_sortings else "date"
        domain = []
        if search:
            domain = [
                "|",
                "|",
                ("product_id.name", "ilike", search),
                ("product_id.octowatch_version_code", "ilike", search),
                ("end_customer_id.name", "ilike", search),
            ]
        values = self._prepare_portal_layout_values()
        total = License.search_count(domain)
        pager = portal_pager(
            url="/my/licenses",
            total=total,
            page=page,
            step=self._items_per_page,
            url_args={"sortby": sortby, "search": search or ""},
        )
        entries = License.search(
            domain,
            order=searchbar_sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        # The entries were searched as the user, through the record rules; reading
        # their versions and invoices needs no more rights than seeing the entries.
        values.update(
            {
                "entries": entries.sudo(),
                "balances": self._octowatch_balances(License.search([]).sudo()),
                "page_name": "octowatch_licenses",
                "pager": pager,
                "default_url": "/my/licenses",
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
                "search": search,
            }
        )
        return request.render("octowatch_channel.portal_my_licenses", values)

    @http.route(["/my/clients"], type="http", auth="user", website=True)
    def portal_my_clients(self, **kw):
        commercial = request.env.user.partner_id.commercial_partner_id
        if commercial.octowatch_role != "partner":
            return request.redirect("/my")
        clients = self._octowatch_clients(commercial)
        License = request.env["octowatch.license"]
        # Searched through the record rules, read as sudo for the version names.
        entries = License.search([("end_customer_id", "in", clients.ids)]).sudo()
        by_client = defaultdict(list)
        for (customer, product), qty in self._octowatch_balances(entries):
            by_client[customer].append((product, qty))
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "clients": clients,
                "balances_by_client": by_client,
                "page_name": "octowatch_clients",
            }
        )
        return request.render("octowatch_channel.portal_my_clients", values)

    @http.route(["/my/prices"], type="http", auth="user", website=True)
    def portal_my_prices(self, **kw):
        commercial = request.env.user.partner_id.commercial_partner_id
        if commercial.octowatch_role != "partner":
            return request.redirect("/octowatch/prices")
        rows, currency = self._octowatch_price_rows(
            commercial.sudo()._octowatch_partner_pricelist()  # its own prices only
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {"rows": rows, "currency": currency, "page_name": "octowatch_prices"}
        )
        return request.render("octowatch_channel.portal_my_prices", values)

    @http.route(
        ["/octowatch/prices"], type="http", auth="public", website=True, sitemap=True
    )
    def octowatch_published_prices(self, **kw):
        rows, currency = self._octowatch_price_rows(False)
        return request.render(
            "octowatch_channel.published_prices", {"rows": rows, "currency": currency}
        )
