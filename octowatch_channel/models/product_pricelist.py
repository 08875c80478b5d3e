# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    octowatch_is_partner_pricelist = fields.Boolean(
        string="OctoWatch Partner Pricelist",
        tracking=True,
        help="Prices for OctoWatch channel Partners. Only channel Partners may buy "
        "on it.",
    )

    @api.model
    def _octowatch_floor_prices(self, requests):
        """Published prices for many (product, quantity, uom, date, currency, company).

        :param requests: an iterable of tuples ``(key, product, quantity, uom, date,
            currency, company)``; ``key`` is anything hashable the caller uses to find
            the answer back (a line id).
        :returns: ``{key: floor}``, the published unit price of ``product`` for that
            quantity and unit on that date, converted to ``currency``; ``None``
            where the company has no published pricelist.

        The queries do not grow with the number of requests: the applicable rules are
        fetched once per pricelist and date, and the conversion rate once per currency
        pair, company and date.
        """
        groups = defaultdict(list)
        for key, product, quantity, uom, date, currency, company in requests:
            pricelist = company.octowatch_published_pricelist_id
            groups[(pricelist, date)].append(
                (key, product, quantity, uom, currency, company)
            )

        floors = {}
        rates = {}
        for (pricelist, date), items in groups.items():
            if not pricelist:
                floors.update((item[0], None) for item in items)
                continue
            products = self.env["product.product"].union(*(item[1] for item in items))
            rules = pricelist._get_applicable_rules(products, date)
            list_currency = pricelist.currency_id
            for key, product, quantity, uom, currency, company in items:
                qty_in_product_uom = (
                    uom._compute_quantity(
                        quantity, product.uom_id, raise_if_failure=False
                    )
                    if uom != product.uom_id
                    else quantity
                )
                rule = next(
                    (
                        r
                        for r in rules
                        if r._is_applicable_for(product, qty_in_product_uom)
                    ),
                    self.env["product.pricelist.item"],
                )
                price = rule._compute_price(
                    product, quantity, uom, date, currency=list_currency
                )
                rate_key = (list_currency, currency, company, date)
                if rate_key not in rates:
                    rates[rate_key] = self.env["res.currency"]._get_conversion_rate(
                        list_currency, currency, company, date
                    )
                floors[key] = currency.round(price * rates[rate_key])
        return floors
