# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import psycopg2.errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mail import email_normalize

from .octowatch_input_mixin import OctowatchInputError

# A deal in one of these states holds its TIN: nobody else can register it.
LIVE_STATES = ("registered", "invoiced")
LEGAL_FORM_BY_TIN_LENGTH = {10: "legal_entity", 12: "individual_entrepreneur"}


class OctowatchDealRegistration(models.Model):
    _name = "octowatch.deal.registration"
    _description = "OctoWatch Deal Registration"
    _inherit = [
        "octowatch.reference.mixin",
        "octowatch.input.mixin",
        "octowatch.notify.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _octowatch_sequence_code = "octowatch.deal.registration"
    _order = "date_registered desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "tin", "company_name"]
    # The agent reads its deal and talks on it in the portal chatter.
    _mail_post_access = "read"

    agent_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        domain="[('octowatch_role', '=', 'agent'), ('parent_id', '=', False)]",
    )
    tin = fields.Char(
        string="TIN",
        required=True,
        readonly=True,
        index=True,
        help="The end customer's TIN (INN), digits only: the key of the deal.",
    )
    company_name = fields.Char(
        readonly=True,
        help="The end customer's name as the agent gave it; empty on a rejected deal "
        "whose agent typed only the TIN (a refusal shows nothing the agent did not "
        "type).",
    )
    end_customer_id = fields.Many2one(
        comodel_name="res.partner",
        readonly=True,
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
    )
    contact_name = fields.Char(
        readonly=True,
        help="The person at the end customer, as the agent named it: the quotation "
        "and the invoice are sent to this contact.",
    )
    contact_email = fields.Char(readonly=True)
    contact_phone = fields.Char(readonly=True)
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer Contact",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The end customer's contact made or found from the contact the agent "
        "named: the customer's quotation and invoice go to this person.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="OctoWatch Version",
        required=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
        domain="[('octowatch_is_license', '=', True)]",
    )
    license_qty = fields.Integer(
        string="Licences", required=True, default=1, tracking=True
    )
    state = fields.Selection(
        selection=[
            ("registered", "Registered"),
            ("invoiced", "Invoiced"),
            ("won", "Won"),
            ("lost", "Lost"),
            ("expired", "Expired"),
            ("rejected", "Rejected"),
        ],
        string="Status",
        required=True,
        readonly=True,
        default="registered",
        tracking=True,
        copy=False,
        index=True,
    )
    date_registered = fields.Datetime(
        string="Registered On",
        required=True,
        readonly=True,
        copy=False,
        default=fields.Datetime.now,
        help="When the request was received: the first one for a TIN gets the deal.",
    )
    date_expiry = fields.Date(
        string="Expiry Date",
        readonly=True,
        tracking=True,
        copy=False,
        help="Last day the deal protects the agent, unless it is invoiced before.",
    )
    date_extended = fields.Date(
        string="Extended On",
        readonly=True,
        copy=False,
        help="A Channel Manager extended the deal on that day; a deal is extended "
        "once.",
    )
    extension_reason = fields.Text(readonly=True, copy=False)
    expiry_reminder_sent = fields.Boolean(
        readonly=True,
        copy=False,
        help="The agent was reminded that the deal is about to expire.",
    )
    sale_order_ids = fields.One2many(
        comodel_name="sale.order",
        inverse_name="octowatch_deal_id",
        string="Quotations",
        readonly=True,
    )
    # The order holds the link (sale.order.octowatch_deal_id); the deal reads it.
    sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Quotation",
        compute="_compute_sale_order_id",
        search="_search_sale_order_id",
        # sudo: the deal shows its quotation to whoever reads the deal, as a stored
        # link would; reading the quotation itself still goes through its rules.
        compute_sudo=True,
    )
    request_id = fields.Many2one(
        comodel_name="octowatch.channel.request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
        help="The channel request (email or portal form) this deal came from.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    rejection_reason = fields.Text(
        readonly=True,
        copy=False,
        help="Why the registration was refused. Never names another agent.",
    )
    lost_reason = fields.Text(readonly=True, copy=False)
    customer_attached = fields.Boolean(
        string="Customer Attached by the Deal",
        readonly=True,
        copy=False,
        help="This deal attached the end customer to the agent: the customer is "
        "released again if the deal expires or is lost.",
    )

    _license_qty_positive = models.Constraint(
        "CHECK (license_qty > 0)",
        lambda env, diag: env._(
            "The number of Licences of a deal registration must be positive."
        ),
    )
    # The arbiter of "first come, first served": PostgreSQL refuses a second live
    # deal for a TIN even when two transactions insert it at the same moment.
    _unique_live_tin = models.UniqueIndex(
        "(company_id, tin) WHERE state IN ('registered', 'invoiced')",
        lambda env, diag: env._(
            "This TIN already has a registered deal: a TIN has one live deal at a time."
        ),
    )

    def _compute_access_url(self):
        for deal in self:
            deal.access_url = f"/my/deals/{deal.id}"

    @api.depends("sale_order_ids")
    def _compute_sale_order_id(self):
        for deal in self:
            deal.sale_order_id = deal.sale_order_ids[:1]

    def _search_sale_order_id(self, operator, value):
        return [("sale_order_ids", operator, value)]

    @api.constrains("tin")
    def _check_tin(self):
        Partner = self.env["res.partner"]
        for deal in self:
            if Partner._octowatch_validate_tin(deal.tin) != deal.tin:
                raise ValidationError(
                    self.env._(
                        "%(deal)s: the TIN of a deal is stored as digits only, not "
                        "%(tin)s.",
                        deal=deal.name,
                        tin=deal.tin,
                    )
                )

    @api.constrains("license_qty", "company_id")
    def _check_license_qty(self):
        for deal in self:
            problem = self._octowatch_license_qty_problem(
                deal.license_qty, deal.company_id
            )
            if problem:
                raise ValidationError(
                    self.env._("%(deal)s: %(problem)s", deal=deal.name, problem=problem)
                )

    @api.constrains("agent_id")
    def _check_agent(self):
        for deal in self:
            if deal.agent_id.octowatch_role != "agent" or deal.agent_id.parent_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not an OctoWatch Agent: only agents register "
                        "deals (field Agent).",
                        partner=deal.agent_id.display_name,
                    )
                )

    @api.constrains("product_id")
    def _check_product(self):
        for deal in self:
            if not deal.product_id.octowatch_is_license:
                raise ValidationError(
                    self.env._(
                        "%(product)s is not an OctoWatch licence: a deal is for an "
                        "OctoWatch version (field OctoWatch Version).",
                        product=deal.product_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            company = (
                self.env["res.company"].browse(vals.get("company_id"))
                or self.env.company
            )
            if vals.get("state", "registered") in LIVE_STATES and not vals.get(
                "date_expiry"
            ):
                registered = (
                    fields.Datetime.to_datetime(vals.get("date_registered"))
                    or fields.Datetime.now()
                )
                vals["date_registered"] = registered
                vals["date_expiry"] = fields.Date.context_today(
                    self, registered
                ) + timedelta(days=company.octowatch_deal_validity_days)
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_quoted(self):
        if self.filtered("sale_order_id"):
            raise UserError(
                self.env._(
                    "A deal with a quotation can't be deleted: mark it lost instead."
                )
            )

    def action_request_invoice(self):
        """Create the end customer's quotation at the published price.

        The quotation is on the company's published pricelist with the bank-transfer
        payment term, one line for the deal's version and licences; the order points
        at the deal and the deal becomes ``invoiced``.

        :return: an action opening the quotation.
        :raise UserError: the deal is not registered or the published pricelist is
            not set.
        """
        self.ensure_one()
        if self.state != "registered":
            raise UserError(
                self.env._(
                    "%(deal)s is %(state)s: only a registered deal can be invoiced.",
                    deal=self.name,
                    state=self._state_label(),
                )
            )
        pricelist = self.company_id.octowatch_published_pricelist_id
        if not pricelist:
            raise UserError(
                self.env._(
                    "Set the Published Pricelist of %(company)s in the OctoWatch "
                    "Channel settings before invoicing a deal.",
                    company=self.company_id.name,
                )
            )
        order = (
            self.env["sale.order"]
            .with_company(self.company_id)
            # A portal agent asking for the invoice must not follow the order: a
            # follower may sign and pay it on the portal.
            .with_context(mail_create_nosubscribe=self.env.user.share)
            .create(
                {
                    "partner_id": self.end_customer_id.id,
                    "company_id": self.company_id.id,
                    "pricelist_id": pricelist.id,
                    "payment_term_id": self.env.ref(
                        "octowatch_channel.account_payment_term_bank_transfer"
                    ).id,
                    "octowatch_deal_id": self.id,
                    "origin": self.name,
                    "user_id": self.company_id._octowatch_salesperson().id,
                    # Paid by bank transfer to Kolibri's account: the customer signs
                    # the quotation, and no online payment is asked of it.
                    "require_payment": False,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_id.id,
                                "product_uom_qty": self.license_qty,
                            }
                        )
                    ],
                }
            )
        )
        # The customer's contact follows its quotation and gets the invoice: it
        # accepts and pays through its own portal access. The agent never follows
        # them (that would let it sign or pay for the customer): it sees them
        # read-only on its deal's page.
        if contact := self.contact_id or self._octowatch_make_contact():
            order.partner_invoice_id = contact
            order.message_subscribe(partner_ids=contact.ids)
        self.write({"state": "invoiced"})
        self.message_post(
            body=self.env._("Quotation %(order)s created.", order=order.name),
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "views": [(False, "form")],
        }

    def action_open_lose(self):
        return self._open_wizard(
            "octowatch.deal.lose", self.env._("Mark as Lost"), self.ids
        )

    def action_open_extend(self):
        self.ensure_one()
        return self._open_wizard(
            "octowatch.deal.extend", self.env._("Extend Deal"), self.ids
        )

    def _open_wizard(self, model, name, deal_ids):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_deal_ids": [Command.set(deal_ids)]},
        }

    def _action_lose(self, reason):
        """Mark the live deals of ``self`` lost with ``reason`` (required)."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason why the deal was lost."))
        not_live = self.filtered(lambda d: d.state not in LIVE_STATES)
        if not_live:
            raise UserError(
                self.env._(
                    "%(deals)s can't be marked lost: only registered or invoiced "
                    "deals can.",
                    deals=", ".join(not_live.mapped("name")),
                )
            )
        self.write({"state": "lost", "lost_reason": reason.strip()})
        for deal in self:
            deal.message_post(
                body=self.env._("Deal lost: %(reason)s", reason=deal.lost_reason)
            )
        self._release_customers()

    def _action_extend(self, date_expiry, reason):
        """Extend a registered deal once, until ``date_expiry``, for ``reason``."""
        self.ensure_one()
        if not self.env.user.has_group("octowatch_channel.group_octowatch_manager"):
            raise UserError(self.env._("Only a Channel Manager can extend a deal."))
        if self.state != "registered":
            raise UserError(
                self.env._(
                    "%(deal)s is %(state)s: only a registered deal can be extended.",
                    deal=self.name,
                    state=self._state_label(),
                )
            )
        if self.date_extended:
            raise UserError(
                self.env._(
                    "%(deal)s was already extended on %(date)s: a deal is extended "
                    "once.",
                    deal=self.name,
                    date=self.date_extended,
                )
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the extension."))
        if not date_expiry or date_expiry <= self.date_expiry:
            raise UserError(
                self.env._(
                    "The new Expiry Date must be after the current one, %(date)s.",
                    date=self.date_expiry,
                )
            )
        old_expiry = self.date_expiry
        self.write(
            {
                "date_expiry": date_expiry,
                "date_extended": fields.Date.context_today(self),
                "extension_reason": reason.strip(),
                # The agent is reminded again before the new expiry date.
                "expiry_reminder_sent": False,
            }
        )
        self.message_post(
            body=self.env._(
                "Deal extended from %(old)s to %(new)s by %(user)s: %(reason)s",
                old=old_expiry,
                new=date_expiry,
                user=self.env.user.name,
                reason=self.extension_reason,
            )
        )

    def _action_won(self):
        self.filtered(lambda d: d.state == "invoiced").write({"state": "won"})

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _release_customers(self):
        """Detach the end customers that these deals attached, if still theirs.

        An expired or lost deal no longer protects the agent, so the customer is free
        for the next registration.
        """
        attached = self.filtered(
            lambda deal: (
                deal.customer_attached
                and deal.end_customer_id.octowatch_owner_id == deal.agent_id
            )
        )
        # Whom each agent still holds by a won or live deal: one grouped search for
        # the lot (the expiry job releases a day's deals at once).
        kept = {
            (customer, agent)
            for customer, agent in self._read_group(
                [
                    ("end_customer_id", "in", attached.end_customer_id.ids),
                    ("agent_id", "in", attached.agent_id.ids),
                    ("state", "in", ("won", *LIVE_STATES)),
                ],
                ["end_customer_id", "agent_id"],
            )
        }
        for deal in attached:
            customer = deal.end_customer_id
            if (customer, deal.agent_id) in kept:
                continue
            if customer.octowatch_owner_id != deal.agent_id:
                continue  # released above by another of these deals
            # The release is the deal's own consequence, whoever expires or loses it
            # (the cron, a Channel User): it only frees the customer this deal
            # attached, which a plain write with the context key can't do.
            customer.sudo().with_context(
                octowatch_owner_move=True
            ).octowatch_owner_id = False
            customer.message_post(
                body=self.env._(
                    "Released from %(owner)s: deal %(deal)s is %(state)s.",
                    owner=deal.agent_id.name,
                    deal=deal.name,
                    state=deal._state_label(),
                )
            )
        self.customer_attached = False

    @api.model
    def _cron_send_reminders(self):
        """Remind the agents of their deals that expire within the reminder period.

        Each deal is reminded once (until it is extended).
        """
        today = fields.Date.context_today(self)
        deals = self.search(
            [
                ("state", "=", "registered"),
                ("expiry_reminder_sent", "=", False),
                ("date_expiry", ">=", today),
            ]
        )
        deals = deals.filtered(
            lambda d: (
                d.company_id.octowatch_deal_reminder_days
                and d.date_expiry
                <= today + timedelta(days=d.company_id.octowatch_deal_reminder_days)
            )
        )
        if not deals:
            return
        deals._notify_agent("octowatch_channel.mail_template_deal_expiry_reminder")
        deals.expiry_reminder_sent = True

    @api.model
    def _cron_expire(self):
        """Expire the registered deals past their expiry date and tell the agents."""
        today = fields.Date.context_today(self)
        deals = self.search([("state", "=", "registered"), ("date_expiry", "<", today)])
        if not deals:
            return
        deals.state = "expired"
        deals._release_customers()
        deals._notify_agent("octowatch_channel.mail_template_deal_expired")

    def _notify_agent(self, template_xmlid):
        """Email each deal's agent (the template's recipient) with the template,
        posted on the deal's chatter."""
        self._octowatch_notify(template_xmlid)

    @api.model
    def _register_deal(
        self, agent, tin, company_name, product, license_qty, company=None, contact=None
    ):
        """Register a deal for ``agent``: first come, first served by TIN.

        The public entry point of every channel (email inbox, portal form, staff).
        The end customer is found by TIN or created. The deal wins when no live
        (registered or invoiced) deal of ``company`` holds the TIN and the customer
        belongs to no other intermediary; the winner's customer is attached to the
        agent if it was free.

        :param agent: the agent (``res.partner``) or one of its contacts.
        :param str tin: the end customer's TIN (INN), normalised first (full-width
            digits, separators and an ``RU`` prefix allowed).
        :param str company_name: the end customer's name; required for a new one.
        :param product: the OctoWatch version (licence ``product.product``).
        :param int license_qty: number of licences, positive and at most the
            company's maximum per request.
        :param company: the selling company (default: the current one).
        :param dict contact: the person at the customer (``contact_name``,
            ``contact_email``, ``contact_phone``), any of them empty; a registered
            deal makes it a contact of the end customer.
        :return: the new deal, ``registered`` or ``rejected`` with a
            ``rejection_reason`` that names nobody. A rejected deal holds only what
            was typed: no end customer, no name taken from the customer record.
        :raise OctowatchInputError: (a ``ValidationError``) the input is invalid
            (agent, TIN, product, licences, a control character in a text), with
            the problem of each field.
        """
        company = company or self.env.company
        vals, customer = self._prepare_registration_vals(
            agent, tin, company_name, product, license_qty, company
        )
        vals.update(self._prepare_contact_vals(contact or {}))
        reason = self._get_rejection_reason(vals, customer)
        if reason:
            return self._create_rejected(vals, reason)
        try:
            with self.env.cr.savepoint():
                return self._create_registered(vals, customer)
        except psycopg2.errors.UniqueViolation as exc:
            if self.env["res.partner"]._octowatch_is_account_email_taken(exc):
                # The customer found by TIN shares its account email with another
                # end customer: it can't become one, nor be attached.
                return self._create_rejected(vals, self._reason_account_email_taken())
            if exc.diag.constraint_name != self._unique_live_tin.full_name(self):
                raise
        # Another transaction registered the TIN after we looked: the index decided.
        return self._create_rejected(vals, self._reason_taken())

    @api.model
    def _prepare_registration_vals(
        self, agent, tin, company_name, product, license_qty, company
    ):
        """``(vals, customer)`` of a registration: the deal's values and the end
        customer found by TIN (empty when new).

        :raise OctowatchInputError: listing every invalid input, by field.
        """
        problems = {}
        agent = agent.commercial_partner_id
        if not agent or agent.octowatch_role != "agent":
            problems["agent_id"] = self.env._(
                "%(partner)s is not an OctoWatch Agent: only agents register deals.",
                partner=agent.display_name or self.env._("Nobody"),
            )
        try:
            tin = self.env["res.partner"]._octowatch_validate_tin(tin)
        except ValidationError as error:
            problems["tin"] = error.args[0]
        if not isinstance(company_name, str):
            company_name = ""
        company_name = company_name.strip()
        if (
            not product
            or not product.octowatch_is_license
            or product.company_id not in (company, self.env["res.company"])
        ):
            problems["product_id"] = self.env._(
                "%(product)s is not an OctoWatch version sold by %(company)s "
                "(field OctoWatch Version).",
                product=product.display_name or self.env._("No product"),
                company=company.name,
            )
        if problem := self._octowatch_license_qty_problem(license_qty, company):
            problems["license_qty"] = problem
        problems.update(
            self._octowatch_input_problems({"tin": tin, "company_name": company_name})
        )
        customer = self.env["res.partner"]
        if "tin" not in problems:
            # A Partner or Agent with this TIN is found too: its TIN is refused.
            customer = self.env["res.partner"]._octowatch_find_end_customer(
                company, tin=tin, include_channel=True
            )
            if not customer and not company_name:
                problems.setdefault(
                    "company_name",
                    self.env._(
                        "Company Name is required to register a deal for a new "
                        "customer (TIN %(tin)s).",
                        tin=tin,
                    ),
                )
        if problems:
            raise OctowatchInputError(problems)
        vals = {
            "agent_id": agent.id,
            "tin": tin,
            "company_name": company_name,
            "product_id": product.id,
            "license_qty": license_qty,
            "company_id": company.id,
        }
        return vals, customer

    @api.model
    def _prepare_contact_vals(self, contact):
        """The deal's contact values of ``contact``, trimmed, empty ones left out.

        :raise OctowatchInputError: a control character in a text, by field.
        """
        vals = {
            fname: contact[fname].strip()
            for fname in ("contact_name", "contact_email", "contact_phone")
            if isinstance(contact.get(fname), str) and contact[fname].strip()
        }
        if problems := self._octowatch_input_problems(vals):
            raise OctowatchInputError(problems)
        return vals

    def _octowatch_make_contact(self):
        """The end customer's contact person of the deal: the child contact with the
        deal's contact email, or a new one of its name, email and phone."""
        self.ensure_one()
        customer = self.end_customer_id
        if not customer or not (self.contact_name or self.contact_email):
            return self.env["res.partner"]
        Partner = self.env["res.partner"]
        contact = Partner
        email = email_normalize(self.contact_email or "")
        if email:
            contact = Partner.search(
                [
                    ("parent_id", "=", customer.id),
                    ("email_normalized", "=", email),
                ],
                limit=1,
            )
        if not contact:
            contact = Partner.create(
                {
                    "parent_id": customer.id,
                    "type": "contact",
                    "name": self.contact_name or self.contact_email,
                    "email": self.contact_email or False,
                    "phone": self.contact_phone or False,
                    "lang": customer.lang,
                }
            )
        self.contact_id = contact
        return contact

    @api.model
    def _live_deal(self, company_id, tin):
        """The deal that holds ``tin`` in the company now (registered or invoiced),
        if any: the first come that a later registration loses to."""
        return self.search(
            [
                ("company_id", "=", company_id),
                ("tin", "=", tin),
                ("state", "in", LIVE_STATES),
            ],
            limit=1,
        )

    @api.model
    def _get_rejection_reason(self, vals, customer):
        """Why the registration ``vals`` loses, as far as this transaction sees.

        The reason names nobody and shows nothing of the customer record: the agent
        reads it, and may have typed only the TIN.
        """
        live = self._live_deal(vals["company_id"], vals["tin"])
        if live.agent_id.id == vals["agent_id"]:
            return self.env._(
                "Already registered by you: deal %(deal)s holds this TIN until "
                "%(date)s.",
                deal=live.name,
                date=live.date_expiry,
            )
        if live:
            return self._reason_taken()
        return customer._octowatch_refusal_for(
            self.env["res.partner"].browse(vals["agent_id"])
        )

    @api.model
    def _reason_taken(self):
        return self.env._(
            "Already registered: another deal is in progress for this TIN. It can be "
            "registered again once that deal expires or is lost."
        )

    @api.model
    def _reason_account_email_taken(self):
        return self.env._(
            "Not registered: this customer's OctoWatch account email is already the "
            "personal account of another end customer; ask Kolibri to merge the two "
            "first."
        )

    @api.model
    def _create_rejected(self, vals, reason):
        """A rejected deal of what the agent typed, and nothing else: no customer
        linked, no name but its own, since the agent may read it."""
        return self.create({**vals, "state": "rejected", "rejection_reason": reason})

    @api.model
    def _create_registered(self, vals, customer):
        if not customer:
            customer = self.env["res.partner"].create(
                {
                    "name": vals["company_name"],
                    "is_company": True,
                    "vat": vals["tin"],
                    "country_id": self.env.ref("base.ru").id,
                    "octowatch_legal_form": LEGAL_FORM_BY_TIN_LENGTH[len(vals["tin"])],
                    "octowatch_is_end_customer": True,
                }
            )
        attach = not customer.octowatch_owner_id
        deal = self.create(
            {
                **vals,
                "company_name": vals["company_name"] or customer.name,
                "state": "registered",
                "end_customer_id": customer.id,
                "customer_attached": attach,
            }
        )
        deal._octowatch_make_contact()
        if attach:
            customer._octowatch_attach(
                deal.agent_id,
                reason=self.env._("deal %(deal)s registered", deal=deal.name),
            )
        return deal

    def _octowatch_warn_no_agreement(self):
        """Ask a Channel Manager to look: a deal's invoice paid with no agreement."""
        for deal in self:
            deal.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("No agency agreement: no commission accrued"),
                note=self.env._(
                    "A payment of an invoice of %(deal)s was received, but %(agent)s "
                    "had no agency agreement in force on that date: no commission was "
                    "accrued.",
                    deal=deal.name,
                    agent=deal.agent_id.display_name,
                ),
                user_id=deal.company_id._octowatch_channel_manager().id,
            )
