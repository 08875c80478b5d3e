# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The price pages: a Partner's own prices and the published ones, both of the
website's company only."""

from odoo import http
from odoo.http import request

from .portal_home import OctowatchPortal


class OctowatchPricePortal(OctowatchPortal):
    def _octowatch_price_values(self, own_pricelist=None):
        """What the price pages show: every quantity break and date range of the
        published pricelist, as the floor applies it, and the tax on top."""
        company = request.env.company.sudo()  # the published pricelist is public
        published = company.octowatch_published_pricelist_id
        products = self._octowatch_sellable_licenses()
        rows = (
            published._octowatch_price_breaks(products, own_pricelist)
            if published
            else []
        )
        taxes = products.taxes_id.filtered(lambda tax: tax.company_id == company)
        return {
            "rows": rows,
            "currency": published.currency_id or company.currency_id,
            "taxes_by_product": {
                product: taxes & product.taxes_id for product in products
            },
            "vat_exempt": bool(taxes) and all(not tax.amount for tax in taxes),
            "company": company,
            "title": request.env._(
                "OctoWatch prices | %(company)s", company=company.name
            ),
        }

    @http.route(["/my/prices"], type="http", auth="user", website=True)
    def portal_my_prices(self, **kw):
        if self._octowatch_role() != "partner":
            # Other users' prices are the published ones.
            return request.redirect("/octowatch/prices")
        commercial = self._octowatch_commercial_partner()
        values = self._prepare_portal_layout_values()
        values.update(
            self._octowatch_price_values(
                commercial.sudo()._octowatch_partner_pricelist()  # its own prices only
            ),
            page_name="octowatch_prices",
        )
        return request.render("octowatch_channel.portal_my_prices", values)

    @http.route(
        ["/octowatch/prices"], type="http", auth="public", website=True, sitemap=True
    )
    def octowatch_published_prices(self, **kw):
        return request.render(
            "octowatch_channel.published_prices", self._octowatch_price_values()
        )
