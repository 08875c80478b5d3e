# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

APPROVAL_FIELDS = (
    "octowatch_floor_approved_price",
    "octowatch_floor_approved_discount",
    "octowatch_floor_approved_qty",
    "octowatch_floor_approved_net_price",
    "octowatch_floor_approval_reason",
    "octowatch_floor_approved_by_id",
)
# Writing these on an order or on one of its lines removes the lines' approvals.
VOIDING_ORDER_FIELDS = {"partner_id", "pricelist_id", "currency_id", "company_id"}
VOIDING_LINE_FIELDS = {"product_id", "product_uom_id"}


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
            ("resale_missing", "Resale price missing"),
            ("invalid", "Quantity or currency to fix"),
            ("approved", "Exception approved"),
        ],
        string="Price Floor",
        compute="_compute_octowatch_floor_state",
        help="Whether the licences respect the published-price floor: the net price "
        "per licence of each product, a Partner's declared resale prices, and "
        "quantities and a currency the floor can count in; or whether a Channel "
        "Manager approved an exception for the products below it.",
    )

    @api.depends(
        "partner_id",
        "currency_id",
        "date_order",
        "order_line.price_unit",
        "order_line.discount",
        "order_line.price_subtotal",
        "order_line.product_uom_qty",
        "order_line.product_uom_id",
        "order_line.product_id",
        "order_line.octowatch_end_customer_id",
        "order_line.octowatch_resale_price_unit",
        "order_line.octowatch_floor_approved_by_id",
        "order_line.octowatch_floor_approved_price",
        "order_line.octowatch_floor_approved_discount",
        "order_line.octowatch_floor_approved_qty",
        "order_line.octowatch_floor_approved_net_price",
    )
    def _compute_octowatch_floor_state(self):
        checks = self.env["sale.order.line"]._octowatch_floor_check(self)
        for order in self:
            kinds = {kind for kind, _message in checks[order]["problems"]}
            products = checks[order]["products"].values()
            if not order.order_line.product_id.filtered("octowatch_is_license"):
                state = "none"
            elif "invalid" in kinds:
                state = "invalid"
            elif kinds & {"below", "resale_below"}:
                state = "below"
            elif "resale_missing" in kinds:
                state = "resale_missing"
            elif any(result["approved"] for result in products):
                state = "approved"
            else:
                state = "ok"
            order.octowatch_floor_state = state

    def write(self, vals):
        drafts = self.filtered(lambda o: o.state == "draft") if "state" in vals else ()
        res = super().write(vals)
        if drafts and vals["state"] == "sent":
            requests = drafts._octowatch_channel_requests()
            requests._octowatch_notify(
                "octowatch_channel.mail_template_channel_request_quotation_sent",
                attachments={
                    request.id: [request.sale_order_id._octowatch_pdf()]
                    for request in requests
                },
            )
        if VOIDING_ORDER_FIELDS & set(vals):
            # Another customer, currency or company: the approval was not for it.
            self.order_line.filtered("octowatch_floor_approved_by_id").write(
                dict.fromkeys(APPROVAL_FIELDS, False)
            )
        return res

    def _octowatch_channel_requests(self):
        """The Partners' invoice requests that made these quotations."""
        # The requests are read whoever sends the quotation: only their link to
        # the order is used, to email their requester.
        return (
            self.env["octowatch.channel.request"]
            .sudo()
            .search([("sale_order_id", "in", self.ids)])
            .sudo(False)
        )

    def _octowatch_pdf(self):
        """``(name, content)``: the order's PDF (``sale.action_report_saleorder``),
        named as Odoo names it ("Quotation S00012.pdf")."""
        self.ensure_one()
        # Printed whoever sends the quotation: the PDF goes to the order's own
        # customer, who reads the order on the portal already.
        content, _kind = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("sale.action_report_saleorder", self.ids)
        )
        return f"{self._get_report_base_filename()}.pdf", content

    def _message_add_default_recipients(self):
        """A deal's quotation goes to the customer's contact the agent named: the
        end customer's company, the order's customer, has no email of its own, and
        the composer's Send would wait for one."""
        res = super()._message_add_default_recipients()
        for order in self.filtered("octowatch_deal_id"):
            # Whoever sends the order (a salesman may not read deals) reads only
            # the contact of the order's own deal, to address the order's email.
            contact = order.octowatch_deal_id.sudo().contact_id.sudo(False)
            if contact.email:
                res[order.id]["partners"] = contact
        return res

    def action_confirm(self):
        self._octowatch_check_pricing()
        return super().action_confirm()

    def action_octowatch_approve_floor(self):
        self.ensure_one()
        lines = self._octowatch_lines_to_approve()
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

    def _octowatch_lines_to_approve(self):
        """The licence lines of the products whose net price per licence is below
        the floor, without a valid approval."""
        checks = self.env["sale.order.line"]._octowatch_floor_check(self)
        return self.env["sale.order.line"].union(
            *(
                result["lines"]
                for check in checks.values()
                for result in check["products"].values()
                if result["below"] and not result["approved"]
            )
        )

    def _octowatch_check_pricing(self):
        """Refuse orders that break the channel's pricing rules (docs/rules.md).

        A partner pricelist only for channel Partners; for anyone else, no licence
        product whose net price per licence is below the published price, unless a
        Channel Manager approved it; for a Partner's client, a declared resale price
        not below the published price; quantities that count whole licences in the
        product's reference unit; a currency the published price converts into.
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
        checks = self.env["sale.order.line"]._octowatch_floor_check(self)
        errors += [
            message for check in checks.values() for _kind, message in check["problems"]
        ]
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
        help="The unit price (before discount) a Channel Manager approved below the "
        "floor. Changing the price, discount or quantity, or the net price per "
        "licence, voids the approval.",
    )
    octowatch_floor_approved_discount = fields.Float(
        string="Approved Discount (%)",
        digits="Discount",
        copy=False,
        readonly=True,
    )
    octowatch_floor_approved_qty = fields.Float(
        string="Approved Quantity",
        copy=False,
        readonly=True,
        help="The approved quantity, in the product's reference unit; the invoices "
        "of this line together may not exceed it.",
    )
    octowatch_floor_approved_net_price = fields.Float(
        string="Approved Net Price per Licence",
        digits="Product Price",
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
        "price_subtotal",
        "octowatch_end_customer_id",
        "order_id.order_line.price_subtotal",
        "order_id.order_line.product_uom_qty",
        "order_id.order_line.product_id",
        "order_id.partner_id",
        "order_id.date_order",
        "order_id.currency_id",
        "order_id.company_id",
    )
    def _compute_octowatch_price_floor(self):
        return super()._compute_octowatch_price_floor()

    @api.model_create_multi
    def create(self, vals_list):
        if any(self._octowatch_sets_approval(vals) for vals in vals_list):
            self._octowatch_check_approver()
        return super().create(vals_list)

    def write(self, vals):
        if self._octowatch_sets_approval(vals):
            self._octowatch_check_approver()
        elif VOIDING_LINE_FIELDS & set(vals):
            # Another product or unit: the approval was not for it.
            vals = {**vals, **dict.fromkeys(APPROVAL_FIELDS, False)}
        return super().write(vals)

    @api.model
    def _octowatch_sets_approval(self, vals):
        return any(vals.get(name) for name in APPROVAL_FIELDS)

    @api.model
    def _octowatch_check_approver(self):
        if not (
            self.env.su
            or self.env.user.has_group("octowatch_channel.group_octowatch_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only a Channel Manager can approve a price below the published "
                    "price."
                )
            )

    def _octowatch_document(self):
        return self.order_id

    def _octowatch_quantity(self):
        return self.product_uom_qty

    @api.model
    def _octowatch_priced_lines(self, documents):
        return documents.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )

    @api.model
    def _octowatch_document_values(self, document):
        return (
            fields.Date.to_date(document.date_order) or fields.Date.context_today(self),
            document.currency_id,
            document.company_id,
        )

    @api.model
    def _octowatch_approved_products(self, candidates, documents):
        """A product is approved when each of its lines keeps to its approval: the
        same price, discount, quantity and net price per licence."""
        return {
            key
            for key, result in candidates.items()
            if all(
                line._octowatch_approval_matches(
                    line, quantity, result["net"], exact=True
                )
                for line, quantity in result["line_quantities"].items()
            )
        }

    def _prepare_invoice_line(self, **optional_values):
        values = super()._prepare_invoice_line(**optional_values)
        if self.product_id.octowatch_is_license:
            values.update(
                octowatch_end_customer_id=self.octowatch_end_customer_id.id,
                octowatch_resale_price_unit=self.octowatch_resale_price_unit,
            )
        return values
