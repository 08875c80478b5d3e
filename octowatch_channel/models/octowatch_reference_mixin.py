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
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == placeholder:
                company = (
                    self.env["res.company"].browse(vals.get("company_id"))
                    or self.env.company
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code(self._octowatch_sequence_code)
                    or placeholder
                )
        return super().create(vals_list)
