# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class OctowatchReferenceMixin(models.AbstractModel):
    """A ``name`` reference taken from the company's sequence when a record is created.

    Inheriting models set ``_octowatch_sequence_code`` and default ``name`` to "New".
    """

    _name = "octowatch.reference.mixin"
    _description = "OctoWatch Reference from a Sequence"
    _octowatch_sequence_code = None

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                company = (
                    self.env["res.company"].browse(vals.get("company_id"))
                    or self.env.company
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code(self._octowatch_sequence_code) or self.env._("New")
        return super().create(vals_list)
