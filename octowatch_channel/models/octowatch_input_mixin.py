# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, models
from odoo.exceptions import ValidationError

from .channel_request_parser import CONTROL_CHARACTERS, parse_quantity
from .res_partner import (
    echo_value,
    normalize_account_email,
    normalize_tin,
    normalize_tin_domain,
)

# What an INTEGER column holds.
MAX_INTEGER = 2**31 - 1
# A price as people type it: "1 200,50", "120.00", "120" (a currency sign around).
_PRICE = re.compile(r"\d[\d\s\u00a0]*(?:[.,]\d{1,2})?(?!\d)")


class OctowatchInputError(ValidationError):
    """A ``ValidationError`` that says which field each problem is about, so that a
    form shows each one under its field; its message lists them all, one a line."""

    def __init__(self, problems):
        super().__init__("\n".join(problems.values()))
        self.problems = problems


class OctowatchInputMixin(models.AbstractModel):
    """The checks that every channel input passes, whatever its path: the email
    reader, the portal forms, the staff wizard and the external API.

    The business rules (:meth:`_octowatch_license_qty_problem`, and the TIN rule of
    ``res.partner._octowatch_validate_tin``) are called by each model's own checks, so
    that a form can show each problem under its field. ``create`` and ``write`` then
    refuse what the database can't store at all, a control character in a text or an
    integer beyond PostgreSQL's, with a ``ValidationError`` naming the field instead
    of a server error, and store a ``tin`` and an ``account_email`` normalised. A
    search on ``tin`` finds it whichever way it is typed.
    """

    _name = "octowatch.input.mixin"
    _description = "OctoWatch Channel Input Checks"

    @api.model
    def _search(self, domain, *args, **kwargs):
        return super()._search(normalize_tin_domain(domain, ("tin",)), *args, **kwargs)

    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if domain is NotImplemented:
            return domain
        return normalize_tin_domain(domain, ("tin",))

    @api.model
    def _octowatch_field_label(self, fname):
        return self._fields[fname]._description_string(self.env)

    @api.model
    def _octowatch_input_problems(self, vals):
        """Field name -> message for the values of ``vals`` that no field of this
        model can store: text with a control character (a NUL byte, an escape...;
        tabs and line breaks are text), an integer out of PostgreSQL's range."""
        problems = {}
        for fname, value in vals.items():
            field = self._fields.get(fname)
            if field is None:
                continue
            if (
                field.type in ("char", "text")
                and isinstance(value, str)
                and CONTROL_CHARACTERS.search(value)
            ):
                problems[fname] = self.env._(
                    "%(field)s contains a control character (such as a NUL byte): "
                    "only printable text is accepted.",
                    field=self._octowatch_field_label(fname),
                )
            elif (
                field.type == "integer"
                and isinstance(value, int)
                and not -MAX_INTEGER <= value <= MAX_INTEGER
            ):
                problems[fname] = self.env._(
                    "%(field)s %(value)s is out of range: at most %(max)s.",
                    field=self._octowatch_field_label(fname),
                    value=value,
                    max=MAX_INTEGER,
                )
        return problems

    @api.model
    def _octowatch_read_license_qty(self, text):
        """``(quantity, problem)``: the licence count typed as ``text`` (an email
        line, a form field), or ``None`` and why it is no whole number.

        A count of more digits than any maximum reads as just over the largest
        integer, so that the maximum refuses it (see
        :meth:`_octowatch_license_qty_problem`).
        """
        if not (text or "").strip():
            return 0, False  # nothing typed: the licence count's own check says so
        quantity, error = parse_quantity(text)
        if error == "too_large":
            return MAX_INTEGER + 1, False
        if error:
            return None, self.env._(
                'Licences "%(value)s" is not a whole number.', value=echo_value(text)
            )
        return quantity, False

    @api.model
    def _octowatch_read_price(self, text):
        """``(price, problem)``: the price per licence typed as ``text`` (an email
        line, a form field: "1 200,50", "120 RUB"), or ``0.0`` and why it is no
        price. Nothing typed is ``0.0`` without a problem: the field's own check
        says it is missing."""
        value = (text or "").strip()
        if not value:
            return 0.0, False
        match = _PRICE.search(value)
        if match:
            number = re.sub(r"[\s\u00a0]", "", match.group(0)).replace(",", ".")
            try:
                price = float(number)
            except ValueError:
                price = None
            if price is not None and 0 < price < 1e12:
                return price, False
        return 0.0, self.env._(
            'Resale price "%(value)s" is not a price per licence.',
            value=echo_value(value),
        )

    @api.model
    def _octowatch_license_qty_problem(self, quantity, company, required=True):
        """Why ``quantity`` is not a licence count of ``company``, or ``False``.

        A whole number (not a boolean, nor a text), positive, at most the company's
        maximum (Settings, Maximum Licences per Request). With ``required``, nothing
        (0, ``None``, ``False``) is missing; otherwise nothing is fine.
        """
        if quantity is None or quantity is False or quantity == 0:
            return self.env._("Licences is missing.") if required else False
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            return self.env._(
                'Licences "%(value)s" is not a whole number.',
                value=echo_value(quantity),
            )
        if quantity < 0:
            return self.env._(
                "Licences must be a positive number, not %(qty)s.", qty=quantity
            )
        maximum = company.octowatch_max_license_qty
        if (maximum and quantity > maximum) or quantity > MAX_INTEGER:
            return self.env._(
                "Licences %(qty)s is over the maximum of %(max)s per request.",
                qty=quantity,
                max=maximum or MAX_INTEGER,
            )
        return False

    @api.model
    def _octowatch_prepare_input(self, vals_list):
        """Normalise the TIN and the account email of ``vals_list`` (kept as typed
        when they are no TIN or no email, so that staff see what to correct), then
        refuse what can't be stored."""
        for vals in vals_list:
            for fname, normalize in (
                ("tin", normalize_tin),
                ("account_email", normalize_account_email),
            ):
                if fname in self._fields and isinstance(vals.get(fname), str):
                    vals[fname] = normalize(vals[fname]) or vals[fname]
            if problems := self._octowatch_input_problems(vals):
                raise OctowatchInputError(problems)

    @api.model_create_multi
    def create(self, vals_list):
        self._octowatch_prepare_input(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._octowatch_prepare_input([vals])
        return super().write(vals)
