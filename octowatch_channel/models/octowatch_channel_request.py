# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mail import email_normalize

from . import channel_request_types
from .channel_request_reader import ChannelRequestReader
from .res_partner import normalize_account_email

# The fields a requester types (email, portal form): checked for what the database
# can't store before anything else.
_TYPED_FIELDS = (
    "subject",
    "account_email",
    "tin",
    "company_name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "description",
)


class OctowatchChannelRequest(models.Model):
    _name = "octowatch.channel.request"
    _description = "OctoWatch Channel Request"
    _inherit = [
        "octowatch.reference.mixin",
        "octowatch.input.mixin",
        "octowatch.notify.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
    ]
    _octowatch_sequence_code = "octowatch.channel.request"
    _order = "id desc"
    _check_company_auto = True

    request_type = fields.Selection(
        selection=channel_request_types.SELECTION,
        string="Type",
        required=True,
        default="invoice",
        tracking=True,
        index=True,
        help="Invoice request: a Partner buys licences for a client.\n"
        "Deal registration: an Agent registers a customer before the sale.\n"
        "Attribution: attach a self-registered end customer to the requester.\n"
        "Kolibri service: support, a presentation, a webinar or a software "
        "modification for a client.",
    )
    source = fields.Selection(
        selection=[("email", "Email"), ("portal", "Portal"), ("manual", "Back office")],
        required=True,
        default="manual",
        readonly=True,
    )
    state = fields.Selection(
        selection=[
            ("new", "New"),
            ("needs_review", "Needs Review"),
            ("done", "Done"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="new",
        tracking=True,
        copy=False,
        index=True,
        group_expand="_group_expand_states",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    requester_id = fields.Many2one(
        comodel_name="res.partner",
        tracking=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The contact who sent the request; its company is the Partner or Agent.",
    )
    channel_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner / Agent",
        related="requester_id.commercial_partner_id",
        store=True,
        index="btree_not_null",
    )
    requester_role = fields.Selection(
        related="channel_partner_id.octowatch_role",
        string="Requester Role",
    )
    requester_email = fields.Char(
        string="Sender Email",
        help="The address the request came from, kept even when it matches no contact.",
    )
    subject = fields.Char()
    reply_lang = fields.Selection(
        selection=[("en", "English"), ("ru", "Russian")],
        string="Reply Language",
        required=True,
        default="en",
        help="Language of the acknowledgement and rejection emails.",
    )
    source_message_id = fields.Char(
        string="Email Message-Id",
        readonly=True,
        copy=False,
        help="Message-Id of the email the request came from: the same email delivered "
        "twice makes one request.",
    )
    account_email = fields.Char(
        tracking=True,
        help="The email of the end customer's OctoWatch personal account.",
    )
    tin = fields.Char(string="TIN", tracking=True, help="The end customer's TIN (INN).")
    company_name = fields.Char(tracking=True)
    contact_name = fields.Char(
        tracking=True,
        help="The person to address at the end customer: the quotation and the "
        "invoice of a deal are sent to this contact.",
    )
    contact_email = fields.Char(tracking=True)
    contact_phone = fields.Char(tracking=True)
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Version",
        tracking=True,
        check_company=True,
        ondelete="restrict",
        domain="[('octowatch_is_license', '=', True)]",
    )
    license_qty = fields.Integer(string="Licences", tracking=True)
    resale_price_unit = fields.Float(
        string="Resale Price per Licence",
        digits="Product Price",
        tracking=True,
        help="The price per licence the Partner declares it charges its client, in "
        "the currency of its partner pricelist; it can't be below the published "
        "price. It is carried to the quotation's licence line.",
    )
    payment_method = fields.Selection(
        selection=[
            ("bank_transfer", "Bank transfer"),
            ("card", "Card"),
            ("online", "Online payment"),
        ],
        tracking=True,
    )
    description = fields.Text(
        help="The text of the request: the sender's own lines of the email, or the "
        "portal form's note.",
    )
    review_notes = fields.Text(
        string="Problems",
        readonly=True,
        copy=False,
        help="Every problem found in the request, one a line.",
    )
    has_problems = fields.Boolean(
        compute="_compute_has_problems",
        search="_search_has_problems",
    )
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    end_customer_id = fields.Many2one(
        comodel_name="res.partner",
        copy=False,
        ondelete="restrict",
        domain="[('octowatch_owner_id', '=', channel_partner_id)]",
        help="The client the request is for. A service request can only be for a "
        "client of the requester (its OctoWatch owner).",
    )
    sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Quotation",
        readonly=True,
        copy=False,
        check_company=True,
        ondelete="set null",
    )
    deal_ids = fields.One2many(
        comodel_name="octowatch.deal.registration",
        inverse_name="request_id",
        string="Deals",
        readonly=True,
    )
    deal_id = fields.Many2one(
        comodel_name="octowatch.deal.registration",
        compute="_compute_deal_id",
        search="_search_deal_id",
        help="The deal registration this request made (registered or rejected).",
    )

    _source_message_id_unique = models.UniqueIndex(
        "(source_message_id) WHERE source_message_id IS NOT NULL",
        lambda env, diag: env._("This email has already made a channel request."),
    )

    @api.depends("review_notes")
    def _compute_has_problems(self):
        for request in self:
            request.has_problems = bool(request.review_notes)

    def _search_has_problems(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        positive = (True in value) == (operator == "in")
        return [("review_notes", "!=" if positive else "=", False)]

    @api.depends("deal_ids")
    def _compute_deal_id(self):
        # The deal keeps the link (its request_id): a request makes one deal.
        for request in self:
            request.deal_id = request.deal_ids[:1]

    def _search_deal_id(self, operator, value):
        return [("deal_ids", operator, value)]

    def _compute_access_url(self):
        for request in self:
            request.access_url = f"/my/channel-requests/{request.id}"

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Create a request from an email of the partners@ alias.

        Never refuses an email: whatever can't be read or is invalid is listed in
        ``review_notes`` and the request waits for staff in ``needs_review``. A valid
        deal registration from an Agent is registered at once; the sender gets an
        acknowledgement.
        """
        custom_values = custom_values or {}
        company = (
            self.env["res.company"].browse(custom_values.get("company_id"))
            or self.env.company
        )
        vals, problems = self._octowatch_read_email(msg_dict, company)
        vals.update(custom_values)
        # The default message_new writes the subject into the reference otherwise.
        vals.setdefault("name", self.env._("New"))
        request = super().message_new(msg_dict, custom_values=vals)
        request._octowatch_process_received(problems)
        return request

    @api.model
    def _octowatch_read_email(self, msg_dict, company):
        """``(vals, problems)`` of the request that an email to ``company`` makes:
        what :class:`~.channel_request_reader.ChannelRequestReader` reads in it."""
        return ChannelRequestReader(self.env, company).read_email(msg_dict)

    @api.model
    def _octowatch_license_products(self, company=None):
        return self.env["product.product"]._octowatch_sellable_licenses(
            company or self.env.company
        )

    def _octowatch_type_rules(self):
        """The :class:`~.channel_request_types.RequestType` of this request."""
        self.ensure_one()
        return channel_request_types.REQUEST_TYPES[self.request_type]

    def _octowatch_run_confirm(self):
        """Make what this request asks for, with the handler its kind names."""
        return getattr(self, self._octowatch_type_rules().confirm)()

    def _octowatch_process_received(self, problems=None):
        """Check new requests, register valid deals at once, acknowledge them.

        The problems and refusals that the requester reads are written in its
        language (``_octowatch_mail_lang``), whoever receives the request.
        """
        for record in self:
            request = record._octowatch_in_reader_lang()
            all_problems = dict(problems or {})
            for field, message in request._get_problems().items():
                all_problems.setdefault(field, message)
            request._octowatch_set_problems(all_problems)
            if (
                request.state == "new"
                and request._octowatch_type_rules().confirm_on_receipt
                and request._octowatch_may_register()
            ):
                # First come, first served: a deal is registered when received.
                request._octowatch_run_confirm()
            if request._octowatch_may_acknowledge():
                request._octowatch_send_outcome()

    def _octowatch_send_outcome(self):
        """Email each requester its request's outcome: the rejection and its reason,
        or the acknowledgement (a registered deal, the problems to correct)."""
        rejected = self.filtered(lambda r: r.state == "rejected")
        rejected._octowatch_send_template(
            "octowatch_channel.mail_template_channel_request_rejected"
        )
        for request in self - rejected:
            request._octowatch_send_template(request._octowatch_ack_xmlid())

    def _octowatch_set_problems(self, problems):
        self.ensure_one()
        if problems:
            self.write(
                {"state": "needs_review", "review_notes": "\n".join(problems.values())}
            )
        else:
            self.write({"state": "new", "review_notes": False})

    def _octowatch_mail_lang(self):
        """Language code of the emails to the requester (the templates' ``lang``).

        The requester's own language, unless the request is written in another
        one (``reply_lang``, which the email reader detects from the text): then
        an installed language of the text's, if any. An unknown sender is
        answered in the language of its text. Any installed language works; an
        empty code renders the source (English) text.
        """
        self.ensure_one()
        lang = self.requester_id.lang or ""
        written = self.reply_lang
        detected = written != self._fields["reply_lang"].default(self)
        if lang and (lang.split("_")[0] == written or not detected):
            return lang
        return self.env["res.lang"]._octowatch_installed_code(written) or lang

    def _octowatch_in_reader_lang(self):
        """This request in the language of its requester, for the texts stored
        for it to read (problems, refusals)."""
        self.ensure_one()
        return self.with_context(lang=self._octowatch_mail_lang() or self.env.lang)

    def _octowatch_portal_client_names(self):
        """Request id -> the client as its requester may see it.

        The end customer's name only while the customer is the requester's own
        client; otherwise what the requester typed (company name, account email or
        TIN), so that no page shows a name from another intermediary's customer.
        """
        names = {}
        # Portal requesters can't read contacts: only the name of their own clients
        # is read, and their own requests are what self holds.
        for request in self.sudo():
            customer = request.end_customer_id.commercial_partner_id
            own = customer and customer.octowatch_owner_id == request.channel_partner_id
            names[request.id] = (
                (own and customer.name)
                or request.company_name
                or request.account_email
                or request.tin
                or ""
            )
        return names

    def _octowatch_send_template(self, xmlid):
        """Email the requester (or the unknown sender) with the template ``xmlid``."""
        known = self.filtered("requester_id")
        known._octowatch_notify(xmlid)
        for request in self - known:
            email_to = email_normalize(request.requester_email)
            if email_to:
                request._octowatch_notify(xmlid, email_to=email_to)

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _get_problems(self):
        """Every problem of this request, field name -> message, in field order."""
        self.ensure_one()
        problems = {}
        rules = self._octowatch_type_rules()
        role = self.requester_id.commercial_partner_id.octowatch_role
        if self.requester_id and not role:
            problems["requester_id"] = self.env._(
                "%(partner)s is neither an OctoWatch Partner nor an Agent.",
                partner=self.requester_id.display_name,
            )
        elif self.requester_id:
            if role not in rules.roles:
                types = dict(
                    self._fields["request_type"]._description_selection(self.env)
                )
                problems["request_type"] = self.env._(
                    "%(partner)s is an OctoWatch %(role)s and can't make this kind "
                    "of request (%(type)s): Partners request invoices, Agents "
                    "register deals.",
                    partner=self.requester_id.commercial_partner_id.display_name,
                    role=self.env._("Agent")
                    if role == "agent"
                    else self.env._("Partner"),
                    type=types[self.request_type],
                )
        elif not self.requester_id:
            problems["requester_id"] = self.env._("The requester is missing.")
        if rules.required_one_of and not any(
            self[field] for field in rules.required_one_of
        ):
            # Only an attribution has such a rule: the customer is found by either.
            problems[rules.required_one_of[0]] = self.env._(
                "An attribution needs the end customer's Account Email or TIN."
            )
        problems.update(self._octowatch_invoice_client_problems())
        for field in rules.required:
            if not self[field] and field != "license_qty":
                problems[field] = self.env._(
                    "%(field)s is missing.",
                    field=self._fields[field]._description_string(self.env),
                )
        if self.account_email and not normalize_account_email(self.account_email):
            problems["account_email"] = self.env._(
                'Account Email "%(email)s" is not a valid email address.',
                email=self.account_email,
            )
        if self.contact_email and not email_normalize(self.contact_email):
            problems["contact_email"] = self.env._(
                'Contact Email "%(email)s" is not a valid email address.',
                email=self.contact_email,
            )
        if self.tin:
            try:
                self.env["res.partner"]._octowatch_validate_tin(self.tin)
            except ValidationError as error:
                problems["tin"] = str(error.args[0])
        if problem := self._octowatch_license_qty_problem(
            self.license_qty, self.company_id, required="license_qty" in rules.required
        ):
            problems["license_qty"] = problem
        if problem := self._octowatch_service_customer_problem():
            problems["end_customer_id"] = problem
        if problem := self._octowatch_resale_price_problem():
            problems["resale_price_unit"] = problem
        if self.product_id and not self.product_id.octowatch_is_license:
            problems["product_id"] = self.env._(
                "%(product)s is not an OctoWatch licence.",
                product=self.product_id.display_name,
            )
        # What can't be stored at all says so, whatever else is wrong with it.
        problems.update(
            self._octowatch_input_problems({name: self[name] for name in _TYPED_FIELDS})
        )
        return problems

    def _octowatch_confirm_problems(self):
        """Field -> problem of what the request can arrive without but can't be
        confirmed without (``required_to_confirm``: the resale price of an invoice
        request)."""
        self.ensure_one()
        return {
            field: self.env._(
                "%(field)s is missing.",
                field=self._fields[field]._description_string(self.env),
            )
            for field in self._octowatch_type_rules().required_to_confirm
            if not self[field]
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        """Turn each request into what it asks for.

        Invoice: a quotation for the Partner on its partner pricelist. Deal: a deal
        registration. Attribution: the end customer attached to the requester.
        Service: an activity for the responsible to plan it.

        :raise UserError: listing the problems of a request that has any.
        """
        for request in self:
            if request.state not in ("new", "needs_review"):
                raise UserError(
                    self.env._(
                        "%(request)s is %(state)s: only new requests or requests to "
                        "review can be confirmed.",
                        request=request.name,
                        state=dict(self._fields["state"].selection)[request.state],
                    )
                )
            problems = request._get_problems()
            problems.update(request._octowatch_confirm_problems())
            if problems:
                raise UserError(
                    self.env._(
                        "%(request)s can't be confirmed:\n%(problems)s",
                        request=request.name,
                        problems="\n".join(problems.values()),
                    )
                )
            request.review_notes = False
            request._octowatch_run_confirm()
        return True

    def action_reject(self):
        """Open the wizard asking for the reason, which is emailed to the requester."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Request"),
            "res_model": "octowatch.channel.request.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": [Command.set(self.ids)]},
        }

    def action_reset(self):
        """Back to New (or Needs Review when problems remain) after a rejection."""
        for request in self:
            if request.state == "done":
                raise UserError(
                    self.env._(
                        "%(request)s is done: its result exists, it can't be reset.",
                        request=request.name,
                    )
                )
            request.rejection_reason = False
            in_lang = request._octowatch_in_reader_lang()
            in_lang._octowatch_set_problems(in_lang._get_problems())
        return True

    def action_view_sale_order(self):
        self.ensure_one()
        return self.sale_order_id._get_records_action()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _octowatch_reject(self, reason):
        """Reject with ``reason`` and email it to the requester."""
        if not reason or not reason.strip():
            raise UserError(self.env._("Give the reason of the rejection."))
        done = self.filtered(lambda r: r.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "%(requests)s are done and can't be rejected.",
                    requests=", ".join(done.mapped("name")),
                )
            )
        self.write({"state": "rejected", "rejection_reason": reason.strip()})
        self._octowatch_send_template(
            "octowatch_channel.mail_template_channel_request_rejected"
        )

    def _octowatch_add_review_note(self, note):
        self.ensure_one()
        notes = [line for line in (self.review_notes or "").splitlines() if line]
        if note not in notes:
            notes.append(note)
        self.write({"state": "needs_review", "review_notes": "\n".join(notes)})

    def _octowatch_create_from_portal(self, vals):
        """Create a request from the portal form of the current user and process it
        as an email would be: check, register a valid deal, acknowledge."""
        request = self.create(dict(vals, source="portal"))
        request._octowatch_process_received()
        return request
