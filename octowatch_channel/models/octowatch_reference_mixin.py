# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL


class OctowatchReferenceMixin(models.AbstractModel):
    """A ``name`` reference taken from the company's sequence when a record is created.

    Inheriting models set ``_octowatch_sequence_code``; ``name`` shows
    ``_octowatch_placeholder_name()`` ("New" unless they say otherwise) until then.
    """

    _name = "octowatch.reference.mixin"
    _description = "OctoWatch Reference from a Sequence"
    _octowatch_sequence_code = None

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self._octowatch_placeholder_name(),
    )

    @api.model
    def _octowatch_placeholder_name(self):
        """The name a record shows until it takes its reference; a model whose
        noun is masculine in Russian gives its own ("New" reads «Новая»)."""
        return self.env._("New")

    @api.model_create_multi
    def create(self, vals_list):
        placeholder = self._octowatch_placeholder_name()
        unnamed = defaultdict(list)  # company -> the values that take its references
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == placeholder:
                company = (
                    self.env["res.company"].browse(vals.get("company_id"))
                    or self.env.company
                )
                unnamed[company].append(vals)
        for company, company_vals in unnamed.items():
            # The company's sequence searched, and its references taken, once for
            # the batch, in the order of the values.
            sequence = self._octowatch_sequence(company)
            names = (
                self._octowatch_next_references(sequence, len(company_vals))
                if sequence
                else [placeholder] * len(company_vals)
            )
            for vals, name in zip(company_vals, names, strict=True):
                vals["name"] = name
        return super().create(vals_list)

    @api.model
    def _octowatch_next_references(self, sequence, count):
        """The next ``count`` references of ``sequence``, in order.

        A standard sequence (a PostgreSQL one, without date ranges) gives them in
        one query, where Odoo's ``_next`` takes a query a reference; a gapless or
        dated sequence gives them one by one, as Odoo does.
        """
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _index in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        numbers = sorted(number for (number,) in self.env.cr.fetchall())
        return [sequence.get_next_char(number) for number in numbers]

    @api.model
    def _octowatch_sequence(self, company):
        """The sequence ``next_by_code`` takes the references from in ``company``:
        the company's own, else a shared one."""
        Sequence = self.env["ir.sequence"].with_company(company)
        Sequence.browse().check_access("read")
        return Sequence.search(
            [
                ("code", "=", self._octowatch_sequence_code),
                ("company_id", "in", [company.id, False]),
            ],
            order="company_id",
            limit=1,
        )
