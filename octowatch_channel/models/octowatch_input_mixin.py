# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import ValidationError

from .channel_request_parser import CONTROL_CHARACTERS
from .res_partner import echo_value

# What an INTEGER column holds.
MAX_INTEGER = 2**31 - 1


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
    of a server error.
    """

    _name = "octowatch.input.mixin"
    _description = "OctoWatch Channel Input Checks"

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
    def _octowatch_check_input(self, vals_list):
        for vals in vals_list:
            if problems := self._octowatch_input_problems(vals):
                raise OctowatchInputError(problems)

    @api.model_create_multi
    def create(self, vals_list):
        self._octowatch_check_input(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._octowatch_check_input([vals])
        return super().write(vals)
