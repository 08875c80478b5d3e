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

    def _octowatch_price_breaks(self, products, own_pricelist=None):
        """What this published pricelist charges for ``products`` at each of its
        quantity breaks and date ranges: the rules the floor applies, priced as the
        floor prices them (per unit of the product's reference unit).

        :param own_pricelist: a partner pricelist, priced at the same points.
        :returns: a list of dicts ``product``, ``min_quantity``, ``date_start``
            (empty when already started), ``date_end`` (empty when open),
            ``published`` and ``own`` (``None`` without ``own_pricelist``), by
            version code, start and quantity; ranges that are over are left out.
        """
        self.ensure_one()
        now = fields.Datetime.now()
        points = []
        for product in products:
            items = self.item_ids.filtered(
                lambda item, product=product: (
                    item._is_applicable_for(product, float("inf"))
                    and (not item.date_end or item.date_end >= now)
                )
            )
            breaks = {(1.0, False, False)} | {
                (max(item.min_quantity, 1.0), item.date_start, item.date_end)
                for item in items
            }
            points += [(product, *point) for point in breaks]
        points.sort(
            key=lambda point: (
                point[0].octowatch_version_code or "",
                point[2] or now,
                point[1],
            )
        )
        rows = []
        for product, quantity, start, end in points:
            date = max(start or now, now)
            rows.append(
                {
                    "product": product,
                    "min_quantity": quantity,
                    "date_start": start if start and start > now else False,
                    "date_end": end,
                    "published": self._get_product_price(product, quantity, date=date),
                    "own": own_pricelist._get_product_price(
                        product, quantity, date=date
                    )
                    if own_pricelist
                    else None,
                }
            )
        return rows
