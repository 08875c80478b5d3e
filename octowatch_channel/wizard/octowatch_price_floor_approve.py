# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount


class OctowatchPriceFloorApprove(models.TransientModel):
    _name = "octowatch.price.floor.approve"
    _description = "Approve licence prices below the published price"

    order_id = fields.Many2one(comodel_name="sale.order", required=True, readonly=True)
    line_ids = fields.Many2many(
        comodel_name="sale.order.line",
        string="Lines",
        required=True,
        domain="[('order_id', '=', order_id)]",
    )
    reason = fields.Text(required=True, help="Why this price is accepted; logged.")

    def action_approve(self):
        self.ensure_one()
        if not self.env.user.has_group("octowatch_channel.group_octowatch_manager"):
            raise AccessError(
                self.env._("Only a Channel Manager can approve a price exception.")
            )
        if self.line_ids.order_id != self.order_id:
            raise UserError(self.env._("Approve only lines of %s.", self.order_id.name))
        floors = self.line_ids._octowatch_floor_prices()
        items = Markup()
        for line in self.line_ids:
            price = line._octowatch_effective_price()
            line.write(
                {
                    "octowatch_floor_approved_price": price,
                    "octowatch_floor_approved_qty": line.product_uom_qty,
                    "octowatch_floor_approval_reason": self.reason,
                    "octowatch_floor_approved_by_id": self.env.user.id,
                }
            )
            items += Markup("<li>%s</li>") % self.env._(
                "%(line)s: %(qty)s at %(price)s, published price %(floor)s",
                line=line.name,
                qty=line.product_uom_qty,
                price=format_amount(self.env, price, line.currency_id),
                floor=format_amount(
                    self.env, floors.get(line.id) or 0.0, line.currency_id
                ),
            )
        self.order_id.message_post(
            body=Markup("<p>%s</p><ul>%s</ul><p>%s</p>")
            % (
                self.env._("Price below the published price approved:"),
                items,
                self.env._("Reason: %s", self.reason),
            )
        )
        return {"type": "ir.actions.act_window_close"}
