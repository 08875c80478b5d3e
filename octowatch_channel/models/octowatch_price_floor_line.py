# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools.misc import format_amount


class OctowatchPriceFloorLine(models.AbstractModel):
    """What sale order lines and invoice lines share for the published-price floor.

    The inheriting model maps its own field names through ``_octowatch_line_values()``.
    """

    _name = "octowatch.price.floor.line"
    _description = "OctoWatch Price Floor Line"

    octowatch_end_customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="End Customer",
        index="btree_not_null",
        help="The partner's client who receives these licences in its OctoWatch "
        "personal account.",
    )
    octowatch_resale_price_unit = fields.Float(
        string="Resale Price",
        digits="Product Price",
        help="The price per licence the partner declares it charges its client; it "
        "can't be below the published price.",
    )
    octowatch_price_floor = fields.Float(
        string="Published Price",
        digits="Product Price",
        compute="_compute_octowatch_price_floor",
        help="The published price of this licence for this quantity, unit, date and "
        "currency: the floor under which it is not sold to end customers.",
    )

    def _octowatch_document(self):
        """Return the sale order or invoice of the line."""
        raise NotImplementedError

    def _octowatch_line_values(self):
        """Return ``(product, quantity, uom, date, currency, company)``."""
        raise NotImplementedError

    def _octowatch_is_approved(self):
        """Whether a Channel Manager approved this line's price below the floor."""
        self.ensure_one()
        return False

    def _compute_octowatch_price_floor(self):
        floors = self._octowatch_floor_prices()
        for line in self:
            line.octowatch_price_floor = floors.get(line.id) or 0.0

    def _octowatch_floor_prices(self):
        """``{line id: published price}`` for the licence lines among ``self``."""
        lines = self.filtered(
            lambda line: line.product_id.octowatch_is_license and line.product_uom_id
        )
        return self.env["product.pricelist"]._octowatch_floor_prices(
            (line.id, *line._octowatch_line_values()) for line in lines
        )

    def _octowatch_effective_price(self):
        self.ensure_one()
        return self.price_unit * (1.0 - (self.discount or 0.0) / 100.0)

    def _octowatch_floor_errors(self, floors):
        """One message per licence line that breaks the floor, given ``floors``.

        To a channel Partner the price is free but its declared resale price is not;
        to anyone else the price after discount is floored, unless approved.
        """
        errors = []
        for line in self:
            floor = floors.get(line.id)
            if floor is None:
                continue
            document = line._octowatch_document()
            currency = document.currency_id
            customer = document.partner_id.commercial_partner_id
            if customer.octowatch_role == "partner":
                price = line.octowatch_resale_price_unit
                if not price or currency.compare_amounts(price, floor) >= 0:
                    continue
                message = self.env._(
                    "%(document)s, line %(line)s: the declared resale price %(price)s "
                    "is below the published price %(floor)s."
                )
            else:
                price = line._octowatch_effective_price()
                if (
                    currency.compare_amounts(price, floor) >= 0
                    or line._octowatch_is_approved()
                ):
                    continue
                message = self.env._(
                    "%(document)s, line %(line)s: the price %(price)s (after "
                    "discount) is below the published price %(floor)s. A Channel "
                    "Manager can approve an exception on the sale order."
                )
            errors.append(
                message
                % {
                    "document": document.display_name,
                    "line": line.name or line.product_id.display_name,
                    "price": format_amount(self.env, price, currency),
                    "floor": format_amount(self.env, floor, currency),
                }
            )
        return errors
