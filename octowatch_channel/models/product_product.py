# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model
    def _octowatch_sellable_licenses(self, company):
        """The OctoWatch licence products that ``company`` sells, by version code."""
        return self.search(
            [
                ("octowatch_is_license", "=", True),
                ("sale_ok", "=", True),
                ("company_id", "in", [False, company.id]),
            ],
            order="octowatch_version_code, id",
        )
