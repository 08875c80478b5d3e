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
        check = self.env["sale.order.line"]._octowatch_floor_check(self.order_id)[
            self.order_id
        ]
        results = {
            line: (result, quantity)
            for result in check["products"].values()
            if result["below"]
            for line, quantity in result["line_quantities"].items()
        }
        lines = self.line_ids.filtered(lambda line: line in results)
        if not lines:
            raise UserError(
                self.env._(
                    "%(order)s has no licence line below the published price.",
                    order=self.order_id.name,
                )
            )
        currency = self.order_id.currency_id
        items = Markup()
        for line in lines:
            result, quantity = results[line]
            line.write(
                {
                    "octowatch_floor_approved_price": line.price_unit,
                    "octowatch_floor_approved_discount": line.discount,
                    "octowatch_floor_approved_qty": quantity,
                    "octowatch_floor_approved_net_price": result["net"],
                    "octowatch_floor_approval_reason": self.reason,
                    "octowatch_floor_approved_by_id": self.env.user.id,
                }
            )
            items += Markup("<li>%s</li>") % self.env._(
                "%(line)s: %(qty)s licences at %(price)s (discount %(discount)s%%), "
                "net price per licence %(net)s, published price %(floor)s",
                line=line.name,
                qty=quantity,
                price=format_amount(self.env, line.price_unit, currency),
                discount=line.discount,
                net=format_amount(self.env, result["net"], currency),
                floor=format_amount(self.env, result["floor"] or 0.0, currency),
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
