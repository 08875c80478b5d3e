# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    octowatch_is_partner_pricelist = fields.Boolean(
        string="OctoWatch Partner Pricelist",
        tracking=True,
        help="Prices for OctoWatch channel Partners. Only channel Partners may buy "
        "on it.",
    )
