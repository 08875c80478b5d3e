# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


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
        sequences = {}  # company -> its sequence, searched once for the batch
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == placeholder:
                company = (
                    self.env["res.company"].browse(vals.get("company_id"))
                    or self.env.company
                )
                if company not in sequences:
                    sequences[company] = self._octowatch_sequence(company)
                sequence = sequences[company]
                vals["name"] = sequence._next() if sequence else placeholder
        return super().create(vals_list)

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
