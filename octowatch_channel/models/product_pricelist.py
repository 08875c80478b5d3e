# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    octowatch_is_partner_pricelist = fields.Boolean(
        string="OctoWatch Partner Pricelist",
        tracking=True,
        help="Prices for OctoWatch channel Partners. Only channel Partners may buy "
        "on it.",
    )

    @api.model
    def _octowatch_currencies_without_rate(self, pairs):
        """The currencies that a floor can't be converted into, for lack of any rate.

        :param pairs: an iterable of ``(currency, company)``: a document's currency and
            company.
        :returns: ``{(currency, company): the currencies with no rate at all}``, for
            the pairs where converting the company's published price into ``currency``
            would need a rate that the company has never had. Odoo would convert 1:1.

        One query for all the pairs, none when no conversion is needed.
        """
        needed = {}
        for currency, company in set(pairs):
            list_currency = company.octowatch_published_pricelist_id.currency_id
            if not list_currency or list_currency == currency:
                continue
            needed[(currency, company)] = (
                currency | list_currency
            ) - company.currency_id
        if not any(needed.values()):
            return {}
        currencies = self.env["res.currency"].union(*needed.values())
        roots = self.env["res.company"].union(*(c.root_id for _cur, c in needed))
        with_rate = {
            (currency, company)
            for currency, company in self.env["res.currency.rate"]
            .sudo()  # rates are public data; the user may not read the settings menu
            ._read_group(
                [
                    ("currency_id", "in", currencies.ids),
                    ("company_id", "in", [False, *roots.ids]),
                ],
                groupby=["currency_id", "company_id"],
            )
        }
        missing = {}
        for (currency, company), to_check in needed.items():
            lacking = to_check.filtered(
                lambda cur, root=company.root_id: (
                    (cur, root) not in with_rate
                    and (cur, self.env["res.company"]) not in with_rate
                )
            )
            if lacking:
                missing[(currency, company)] = lacking
        return missing

    @api.model
    def _octowatch_floor_prices(self, requests):
        """Published prices per licence for many (product, quantity, date, currency).

        :param requests: an iterable of tuples ``(key, product, quantity, date,
            currency, company)``; ``quantity`` counts in the product's reference unit
            (``product.uom_id``); ``key`` is anything hashable the caller uses to
            find the answer back.
        :returns: ``{key: floor}``, the published price of one reference unit of
            ``product`` when ``quantity`` of it are bought (quantity breaks apply) on
            that date, converted to ``currency``; ``None`` where the company has no
            published pricelist.
        :raises UserError: when the conversion needs a rate the company never had.

        The queries do not grow with the number of requests: the applicable rules are
        fetched once per pricelist and date, and the conversion rate once per currency
        pair, company and date.
        """
        requests = list(requests)
        missing = self._octowatch_currencies_without_rate(
            (currency, company) for *_rest, currency, company in requests
        )
        if missing:
            (currency, company), lacking = next(iter(missing.items()))
            raise UserError(
                self._octowatch_missing_rate_message(currency, company, lacking)
            )
        groups = defaultdict(list)
        for key, product, quantity, date, currency, company in requests:
            pricelist = company.octowatch_published_pricelist_id
            groups[(pricelist, date)].append(
                (key, product, quantity, currency, company)
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
            for key, product, quantity, currency, company in items:
                rule = next(
                    (r for r in rules if r._is_applicable_for(product, quantity)),
                    self.env["product.pricelist.item"],
                )
                price = rule._compute_price(
                    product, quantity, product.uom_id, date, currency=list_currency
                )
                rate_key = (list_currency, currency, company, date)
                if rate_key not in rates:
                    rates[rate_key] = self.env["res.currency"]._get_conversion_rate(
                        list_currency, currency, company, date
                    )
                floors[key] = currency.round(price * rates[rate_key])
        return floors

    @api.model
    def _octowatch_missing_rate_message(self, currency, company, lacking):
        return self.env._(
            "The published price of %(company)s can't be converted into %(currency)s: "
            "%(company)s has no exchange rate at all for %(lacking)s. Add one under "
            "Accounting > Configuration > Currencies.",
            company=company.display_name,
            currency=currency.name,
            lacking=", ".join(lacking.mapped("name")),
        )

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
