# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    octowatch_end_customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="End Customer",
        index="btree_not_null",
        ondelete="restrict",
        help="The Partner's client who receives the licences of this line.",
    )
