# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    octowatch_is_license = fields.Boolean(
        string="OctoWatch Licence",
        help="An OctoWatch licence: paid invoice lines of this product credit licences "
        "to the end customer's personal account. One product per OctoWatch version.",
    )
    octowatch_version_code = fields.Char(
        string="Version Code",
        help="Short code of the OctoWatch version used in emails and on the portal "
        "(e.g. STD, ENT); unique per company, whatever the case.",
    )

    @api.constrains("octowatch_is_license", "octowatch_version_code")
    def _check_octowatch_version_code(self):
        for template in self:
            if template.octowatch_is_license and not template.octowatch_version_code:
                raise ValidationError(
                    self.env._(
                        "%(product)s is an OctoWatch licence: set its Version Code.",
                        product=template.display_name,
                    )
                )
        coded = self.filtered("octowatch_version_code")
        if not coded:
            return
        # A product shared between companies (no company) clashes with every company.
        candidates = self.with_context(active_test=False).search(
            [("octowatch_version_code", "!=", False), ("id", "not in", coded.ids)]
        )
        seen = {}
        for template in candidates | coded:
            code = template.octowatch_version_code.strip().lower()
            for other in seen.get(code, []):
                if (
                    not template.company_id
                    or not other.company_id
                    or template.company_id == other.company_id
                ):
                    raise ValidationError(
                        self.env._(
                            "OctoWatch Version Code %(code)s is already used by "
                            "%(other)s: a version code is unique per company, whatever "
                            "the case.",
                            code=template.octowatch_version_code,
                            other=other.display_name,
                        )
                    )
            seen.setdefault(code, []).append(template)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("octowatch_version_code"):
                vals["octowatch_version_code"] = vals["octowatch_version_code"].strip()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("octowatch_version_code"):
            vals["octowatch_version_code"] = vals["octowatch_version_code"].strip()
        return super().write(vals)
