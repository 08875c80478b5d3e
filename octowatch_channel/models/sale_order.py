# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    octowatch_deal_id = fields.Many2one(
        comodel_name="octowatch.deal.registration",
        string="OctoWatch Deal",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The agent's deal registration this quotation was made for.",
    )
