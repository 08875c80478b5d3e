# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round
from odoo.tools.misc import format_amount

# The ledger stores a licence count in a PostgreSQL integer.
LEDGER_MAX_QUANTITY = 2**31 - 1
# Quantities converted to the reference unit are compared at this many digits.
QUANTITY_DIGITS = 4


class OctowatchPriceFloorLine(models.AbstractModel):
    """What sale order lines and invoice lines share for the published-price floor.

    The floor is checked per document and per licence product, on the net price per
    licence: the untaxed amount of the product's licence lines after their discount,
    less the product's share of every negative line of the document (spread over the
    document's positive lines pro rata to their untaxed amount), divided by the
    product's licence quantity in its reference unit. The inheriting models say what
    their documents and lines are through the hooks below.
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
        help="The price per licence (per reference unit of the product) the partner "
        "declares it charges its client; required for a client, and it can't be "
        "below the published price.",
    )
    octowatch_price_floor = fields.Float(
        string="Published Price",
        digits="Product Price",
        compute="_compute_octowatch_price_floor",
        help="The published price of one licence of this product for the document's "
        "total quantity of it (in its reference unit), date and currency: the floor "
        "under which it is not sold to end customers.",
    )
    octowatch_net_price_unit = fields.Float(
        string="Net Price per Licence",
        digits="Product Price",
        compute="_compute_octowatch_price_floor",
        help="What the customer pays per licence of this product on this document: "
        "the untaxed amount of its licence lines, less its share of the document's "
        "negative lines, divided by its licence quantity in its reference unit.",
    )

    # Hooks of the inheriting models -------------------------------------------------

    def _octowatch_document(self):
        """Return the sale order or invoice of the line."""
        raise NotImplementedError

    def _octowatch_quantity(self):
        """Return the line's quantity in its own unit."""
        raise NotImplementedError

    @api.model
    def _octowatch_priced_lines(self, documents):
        """Return the lines of ``documents`` that carry an amount."""
        raise NotImplementedError

    @api.model
    def _octowatch_document_values(self, document):
        """Return ``(date, currency, company)`` of a document for its floor."""
        raise NotImplementedError

    @api.model
    def _octowatch_document_label(self, document):
        """How a refusal names ``document``."""
        return document.display_name

    @api.model
    def _octowatch_is_floored(self, document):
        """Whether the floor applies to ``document`` (not to a credit note)."""
        return True

    @api.model
    def _octowatch_allows_negative_quantity(self, document):
        """Whether a licence line of ``document`` may take licences back."""
        return False

    def _octowatch_not_discount_amounts(self, documents):
        """``{line: amount}``: how much of these negative lines lowers no price."""
        return {}

    @api.model
    def _octowatch_approved_products(self, candidates, documents):
        """The ``(document, product)`` of ``candidates`` a Channel Manager approved.

        :param candidates: ``{(document, product): result}`` for the products whose
            net price per licence is below the floor; ``result`` is the product's
            entry of ``_octowatch_floor_check`` (its ``net``, ``lines`` and
            ``line_quantities``).
        :param documents: the documents being checked (an invoice being posted
            counts as posted).
        """
        return set()

    # Computes ----------------------------------------------------------------------

    def _compute_octowatch_price_floor(self):
        documents = self._octowatch_document()
        checks = self._octowatch_floor_check(documents) if documents else {}
        for line in self:
            product = checks.get(line._octowatch_document(), {}).get("products", {})
            result = product.get(line.product_id) if line.product_id else None
            line.octowatch_price_floor = (result or {}).get("floor") or 0.0
            line.octowatch_net_price_unit = (result or {}).get("net") or 0.0

    # The check -----------------------------------------------------------------------

    @api.model
    def _octowatch_floor_check(self, documents):
        """Check the published-price floor on ``documents`` (one query per step).

        :returns: ``{document: {"problems": [(kind, message)], "products":
            {product: {...}}}}``. ``kind`` is ``invalid`` (a quantity or a currency
            the floor can't count in), ``below`` (a net price per licence under the
            floor, not approved), ``resale_missing`` or ``resale_below`` (a Partner's
            declared resale price). Each product's entry holds its ``amount``,
            ``quantity`` (reference unit), ``net``, ``floor``, ``lines`` and whether
            it is ``approved``.
        """
        lines = self._octowatch_priced_lines(documents)
        by_document = lines.grouped(lambda line: line._octowatch_document())
        licensed = {
            document: doc_lines.filtered("product_id.octowatch_is_license")
            for document, doc_lines in by_document.items()
        }
        licensed = {doc: lines for doc, lines in licensed.items() if lines}
        checks = {doc: {"problems": [], "products": {}} for doc in documents}
        missing_rates = self.env[
            "product.pricelist"
        ]._octowatch_currencies_without_rate(
            self._octowatch_document_values(doc)[1:] for doc in licensed
        )
        not_discounts = lines._octowatch_not_discount_amounts(documents)

        requests = []
        counted = {}
        for document, licence_lines in licensed.items():
            doc_lines = by_document[document]
            problems = checks[document]["problems"]
            date, currency, company = self._octowatch_document_values(document)
            if (currency, company) in missing_rates:
                reason = self.env["product.pricelist"]._octowatch_missing_rate_message(
                    currency, company, missing_rates[(currency, company)]
                )
                problems.append(
                    (
                        "invalid",
                        self.env._(
                            "%(document)s: %(reason)s",
                            document=self._octowatch_document_label(document),
                            reason=reason,
                        ),
                    )
                )
            quantities = {}
            for line in licence_lines:
                quantity, message = line._octowatch_reference_quantity(document)
                if message:
                    problems.append(("invalid", message))
                quantities[line] = quantity
            if problems:
                continue
            counted[document] = products = self._octowatch_net_prices(
                doc_lines, quantities, not_discounts
            )
            checks[document]["products"] = products
            for product, result in products.items():
                requests.append(
                    (
                        (document, product, None),
                        product,
                        result["quantity"],
                        date,
                        currency,
                        company,
                    )
                )
            for (product, client), quantity in self._octowatch_client_quantities(
                document, doc_lines, quantities
            ).items():
                requests.append(
                    (
                        (document, product, client),
                        product,
                        quantity,
                        date,
                        currency,
                        company,
                    )
                )
        floors = self.env["product.pricelist"]._octowatch_floor_prices(requests)

        candidates = {}
        for document, products in counted.items():
            currency = self._octowatch_document_values(document)[1]
            for product, result in products.items():
                result["floor"] = floor = floors.get((document, product, None))
                if (
                    floor is not None
                    and result["quantity"]
                    and currency.compare_amounts(result["net"], floor) < 0
                    and self._octowatch_is_floored(document)
                    and not self._octowatch_is_channel_partner(document)
                ):
                    result["below"] = True
                    candidates[(document, product)] = result
        approved = self._octowatch_approved_products(candidates, documents)
        for (document, product), result in candidates.items():
            result["approved"] = (document, product) in approved
            if not result["approved"]:
                checks[document]["problems"].append(
                    ("below", self._octowatch_below_message(document, product, result))
                )
        for document, products in counted.items():
            if self._octowatch_is_floored(document) and (
                self._octowatch_is_channel_partner(document)
            ):
                checks[document]["problems"] += self._octowatch_resale_problems(
                    document, products, floors
                )
        return checks

    def _octowatch_reference_quantity(self, document):
        """``(quantity in the product's reference unit, error message or None)``."""
        self.ensure_one()
        product = self.product_id
        quantity = self._octowatch_quantity()
        uom = self.product_uom_id or product.uom_id
        if uom == product.uom_id:
            reference_qty = quantity
        elif uom._has_common_reference(product.uom_id):
            reference_qty = uom._compute_quantity(quantity, product.uom_id, round=False)
        else:
            return 0.0, self.env._(
                "%(document)s, line %(line)s: %(product)s is counted in "
                "%(reference)s, and %(uom)s can't be converted into it.",
                **self._octowatch_quantity_values(document, reference_qty=0),
            )
        if abs(reference_qty) > LEDGER_MAX_QUANTITY:
            return reference_qty, self.env._(
                "%(document)s, line %(line)s: %(reference_qty)s %(reference)s is more "
                "licences than one line can hold (%(max)s).",
                **self._octowatch_quantity_values(document, reference_qty),
            )
        if not float_is_zero(
            reference_qty - round(reference_qty), precision_digits=QUANTITY_DIGITS
        ):
            return reference_qty, self.env._(
                "%(document)s, line %(line)s: %(quantity)s %(uom)s is "
                "%(reference_qty)s %(reference)s; licences are counted whole, in "
                "%(reference)s.",
                **self._octowatch_quantity_values(document, reference_qty),
            )
        if reference_qty < 0 and not self._octowatch_allows_negative_quantity(document):
            return reference_qty, self.env._(
                "%(document)s, line %(line)s: a licence line can't have a negative "
                "quantity (%(quantity)s %(uom)s); licences are taken back by a credit "
                "note.",
                **self._octowatch_quantity_values(document, reference_qty),
            )
        return round(reference_qty), None

    def _octowatch_quantity_values(self, document, reference_qty):
        """What a refusal of this line's quantity says."""
        product = self.product_id
        return {
            "document": self._octowatch_document_label(document),
            "line": self.name or product.display_name,
            "product": product.display_name,
            "quantity": self._octowatch_quantity(),
            "uom": (self.product_uom_id or product.uom_id).name,
            "reference": product.uom_id.name,
            "reference_qty": float_round(
                reference_qty, precision_digits=QUANTITY_DIGITS
            ),
            "max": LEDGER_MAX_QUANTITY,
        }

    @api.model
    def _octowatch_net_prices(self, lines, quantities, not_discounts):
        """The net price per licence of each licence product of one document.

        :param lines: the document's priced lines.
        :param quantities: ``{licence line: quantity in the reference unit}``.
        :param not_discounts: ``{negative line: part of its amount that lowers no
            price}`` (a down payment already invoiced).
        """
        positive_total = 0.0
        negative_total = 0.0
        for line in lines:
            amount = line.price_subtotal
            if amount > 0:
                positive_total += amount
            elif amount < 0:
                negative_total += -amount - not_discounts.get(line, 0.0)
        products = defaultdict(
            lambda: {"amount": 0.0, "quantity": 0, "line_quantities": {}}
        )
        for line, quantity in quantities.items():
            if quantity <= 0:
                continue
            result = products[line.product_id]
            result["quantity"] += quantity
            result["line_quantities"][line] = quantity
            if line.price_subtotal > 0:
                result["amount"] += line.price_subtotal
        for result in products.values():
            result["lines"] = self.browse(
                [line.id for line in result["line_quantities"]]
            )
            share = (
                negative_total * (result["amount"] / positive_total)
                if positive_total
                else 0.0
            )
            result["share"] = share
            result["net"] = (result["amount"] - share) / result["quantity"]
            result["floor"] = None
            result["below"] = result["approved"] = False
        return dict(products)

    @api.model
    def _octowatch_is_channel_partner(self, document):
        return document.partner_id.commercial_partner_id.octowatch_role == "partner"

    @api.model
    def _octowatch_client_quantities(self, document, lines, quantities):
        """``{(product, client): quantity}`` of a Partner's lines that need a resale
        price: its lines for a client, and those that declare one."""
        if not self._octowatch_is_channel_partner(document):
            return {}
        result = defaultdict(int)
        for line, quantity in quantities.items():
            if quantity > 0 and line._octowatch_needs_resale_price(document):
                client = line.octowatch_end_customer_id.commercial_partner_id
                result[(line.product_id, client)] += quantity
        return result

    def _octowatch_needs_resale_price(self, document):
        self.ensure_one()
        client = self.octowatch_end_customer_id.commercial_partner_id
        customer = document.partner_id.commercial_partner_id
        return bool((client and client != customer) or self.octowatch_resale_price_unit)

    @api.model
    def _octowatch_resale_problems(self, document, products, floors):
        """A Partner's licence lines without a resale price, or below the floor."""
        problems = []
        currency = self._octowatch_document_values(document)[1]
        for line in self.union(*(result["lines"] for result in products.values())):
            if not line._octowatch_needs_resale_price(document):
                continue
            client = line.octowatch_end_customer_id.commercial_partner_id
            floor = floors.get((document, line.product_id, client))
            if floor is None:
                continue
            price = line.octowatch_resale_price_unit
            values = {
                "document": self._octowatch_document_label(document),
                "line": line.name or line.product_id.display_name,
                "client": client.display_name,
                "price": format_amount(self.env, price, currency),
                "floor": format_amount(self.env, floor, currency),
            }
            if currency.is_zero(price):
                problems.append(
                    (
                        "resale_missing",
                        self.env._(
                            "%(document)s, line %(line)s: declare the resale price "
                            "per licence to %(client)s; it can't be below the "
                            "published price %(floor)s.",
                            **values,
                        ),
                    )
                )
            elif currency.compare_amounts(price, floor) < 0:
                problems.append(
                    (
                        "resale_below",
                        self.env._(
                            "%(document)s, line %(line)s: the declared resale price "
                            "%(price)s is below the published price %(floor)s.",
                            **values,
                        ),
                    )
                )
        return problems

    @api.model
    def _octowatch_below_message(self, document, product, result):
        currency = self._octowatch_document_values(document)[1]
        return self.env._(
            "%(document)s, %(product)s: the net price per licence "
            "%(net)s (%(amount)s for %(quantity)s licences, after discounts and the "
            "document's negative lines) is below the published price %(floor)s. A "
            "Channel Manager can approve an exception on the sale order.",
            document=self._octowatch_document_label(document),
            product=product.display_name,
            net=format_amount(self.env, result["net"], currency),
            amount=format_amount(
                self.env, result["amount"] - result["share"], currency
            ),
            quantity=result["quantity"],
            floor=format_amount(self.env, result["floor"], currency),
        )

    def _octowatch_approval_matches(self, approved, reference_qty, net, exact):
        """Whether this line keeps to the approval that ``approved`` holds: the same
        product, unit, currency and customer, price and discount.

        :param approved: the sale order line holding the approval.
        :param reference_qty: the quantity to compare with the approved one.
        :param net: the net price per licence to compare with the approved one.
        :param exact: the quantity and the net price must be the approved ones (the
            order line itself); otherwise the quantity may be less and the net price
            more (an invoice of it).
        """
        self.ensure_one()
        customer = self._octowatch_document().partner_id.commercial_partner_id
        if (
            not approved.octowatch_floor_approved_by_id
            or self.product_id != approved.product_id
            or self.product_uom_id != approved.product_uom_id
            or self.currency_id != approved.currency_id
            or customer != approved.order_partner_id.commercial_partner_id
        ):
            return False
        precision = self.env["decimal.precision"].precision_get
        if float_compare(
            self.price_unit,
            approved.octowatch_floor_approved_price,
            precision_digits=precision("Product Price"),
        ) or float_compare(
            self.discount or 0.0,
            approved.octowatch_floor_approved_discount,
            precision_digits=precision("Discount"),
        ):
            return False
        quantity = float_compare(
            reference_qty,
            approved.octowatch_floor_approved_qty,
            precision_digits=QUANTITY_DIGITS,
        )
        price = approved.currency_id.compare_amounts(
            net, approved.octowatch_floor_approved_net_price
        )
        if exact:
            return not quantity and not price
        return quantity <= 0 and price >= 0

    @api.model
    def _octowatch_raise_problems(self, checks):
        """Raise one UserError listing every problem of ``checks``, if any."""
        messages = [
            message for check in checks.values() for _kind, message in check["problems"]
        ]
        if messages:
            raise UserError("\n".join(messages))
