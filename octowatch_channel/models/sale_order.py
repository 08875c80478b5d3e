# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare


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

    octowatch_floor_state = fields.Selection(
        selection=[
            ("none", "No licence"),
            ("ok", "At or above the published price"),
            ("below", "Below the published price"),
            ("approved", "Exception approved"),
        ],
        string="Price Floor",
        compute="_compute_octowatch_floor_state",
        help="Whether the licence lines respect the published-price floor, or a "
        "Channel Manager approved an exception for the lines below it.",
    )

    @api.depends(
        "partner_id",
        "currency_id",
        "date_order",
        "order_line.price_unit",
        "order_line.discount",
        "order_line.product_uom_qty",
        "order_line.product_id",
        "order_line.octowatch_resale_price_unit",
        "order_line.octowatch_floor_approved_price",
    )
    def _compute_octowatch_floor_state(self):
        for order in self:
            lines = order.order_line.filtered("product_id.octowatch_is_license")
            if not lines:
                order.octowatch_floor_state = "none"
                continue
            below = lines._octowatch_below_floor(include_approved=True)
            if not below:
                order.octowatch_floor_state = "ok"
            elif below._octowatch_unapproved():
                order.octowatch_floor_state = "below"
            else:
                order.octowatch_floor_state = "approved"

    def action_confirm(self):
        self._octowatch_check_pricing()
        return super().action_confirm()

    def action_octowatch_approve_floor(self):
        self.ensure_one()
        lines = self.order_line._octowatch_below_floor(include_approved=False)
        if not lines:
            raise UserError(
                self.env._(
                    "%(order)s has no licence line below the published price.",
                    order=self.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve a Price Exception"),
            "res_model": "octowatch.price.floor.approve",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_order_id": self.id,
                "default_line_ids": lines.ids,
            },
        }

    def _octowatch_check_pricing(self):
        """Refuse orders that break the channel's pricing rules (DESIGN.md flow 5).

        A partner pricelist only for channel Partners; no licence line sold below the
        published price to anyone else, unless a Channel Manager approved it; no
        declared resale price below the published price.
        """
        errors = []
        for order in self:
            customer = order.partner_id.commercial_partner_id
            if (
                order.pricelist_id.octowatch_is_partner_pricelist
                and customer.octowatch_role != "partner"
            ):
                errors.append(
                    self.env._(
                        "%(order)s: the partner pricelist %(pricelist)s is only for "
                        "OctoWatch Partners, and %(customer)s is not one.",
                        order=order.name,
                        pricelist=order.pricelist_id.display_name,
                        customer=customer.display_name,
                    )
                )
        lines = self.order_line
        errors += lines._octowatch_floor_errors(lines._octowatch_floor_prices())
        if errors:
            raise UserError("\n".join(errors))


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "octowatch.price.floor.line"]

    octowatch_floor_approved_price = fields.Float(
        string="Approved Price",
        digits="Product Price",
        copy=False,
        readonly=True,
        help="The price after discount a Channel Manager approved below the floor. "
        "Changing the price, discount or quantity voids the approval.",
    )
    octowatch_floor_approved_qty = fields.Float(
        string="Approved Quantity",
        copy=False,
        readonly=True,
    )
    octowatch_floor_approval_reason = fields.Text(
        string="Exception Reason",
        copy=False,
        readonly=True,
    )
    octowatch_floor_approved_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Approved By",
        copy=False,
        readonly=True,
    )

    @api.depends(
        "product_id",
        "product_uom_id",
        "product_uom_qty",
        "order_id.date_order",
        "order_id.currency_id",
        "order_id.company_id",
    )
    def _compute_octowatch_price_floor(self):
        return super()._compute_octowatch_price_floor()

    def write(self, vals):
        approval_fields = {
            "octowatch_floor_approved_price",
            "octowatch_floor_approved_qty",
            "octowatch_floor_approval_reason",
            "octowatch_floor_approved_by_id",
        }
        if approval_fields & set(vals) and not (
            self.env.su
            or self.env.user.has_group("octowatch_channel.group_octowatch_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only a Channel Manager can approve a price below the published "
                    "price."
                )
            )
        return super().write(vals)

    def _octowatch_document(self):
        return self.order_id

    def _octowatch_line_values(self):
        order = self.order_id
        return (
            self.product_id,
            self.product_uom_qty,
            self.product_uom_id,
            fields.Date.to_date(order.date_order) or fields.Date.context_today(self),
            order.currency_id,
            order.company_id,
        )

    def _prepare_invoice_line(self, **optional_values):
        values = super()._prepare_invoice_line(**optional_values)
        if self.product_id.octowatch_is_license:
            values.update(
                octowatch_end_customer_id=self.octowatch_end_customer_id.id,
                octowatch_resale_price_unit=self.octowatch_resale_price_unit,
            )
        return values

    def _octowatch_is_approved(self):
        """Approved by a Channel Manager at the line's current price and quantity."""
        self.ensure_one()
        return bool(
            self.octowatch_floor_approved_by_id
            and not self.currency_id.compare_amounts(
                self._octowatch_effective_price(), self.octowatch_floor_approved_price
            )
            and not float_compare(
                self.product_uom_qty,
                self.octowatch_floor_approved_qty,
                precision_rounding=self.product_uom_id.rounding,
            )
        )

    def _octowatch_unapproved(self):
        return self.filtered(lambda line: not line._octowatch_is_approved())

    def _octowatch_below_floor(self, include_approved):
        """The licence lines sold below the published price to non-Partners."""
        lines = self.filtered(
            lambda line: (
                line.product_id.octowatch_is_license
                and line.order_id.partner_id.commercial_partner_id.octowatch_role
                != "partner"
            )
        )
        floors = lines._octowatch_floor_prices()
        below = lines.filtered(
            lambda line: (
                floors.get(line.id) is not None
                and line.currency_id.compare_amounts(
                    line._octowatch_effective_price(), floors[line.id]
                )
                < 0
            )
        )
        return below if include_approved else below._octowatch_unapproved()
