# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

import psycopg2.errors
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.mail import email_normalize
from odoo.tools.sql import escape_psql

from . import channel_request_parser as parser
from .octowatch_input_mixin import MAX_INTEGER
from .res_partner import normalize_account_email

# The fields a requester types (email, portal form): checked for what the database
# can't store before anything else.
_TYPED_FIELDS = ("subject", "account_email", "tin", "company_name", "description")
_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


class OctowatchChannelRequest(models.Model):
    _name = "octowatch.channel.request"
    _description = "OctoWatch Channel Request"
    _inherit = [
        "octowatch.reference.mixin",
        "octowatch.input.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _octowatch_sequence_code = "octowatch.channel.request"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    request_type = fields.Selection(
        selection=[
            ("invoice", "Invoice request"),
            ("deal", "Deal registration"),
            ("attribution", "Attribution"),
            ("service", "Kolibri service"),
        ],
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
    service_kind = fields.Selection(
        selection=[
            ("support", "Technical support"),
            ("presentation", "Presentation"),
            ("webinar", "Webinar"),
            ("modification", "Software modification"),
        ],
        string="Service",
        tracking=True,
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
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Version",
        tracking=True,
        check_company=True,
        ondelete="restrict",
        domain="[('octowatch_is_license', '=', True)]",
    )
    license_qty = fields.Integer(string="Licences", tracking=True)
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
    deal_id = fields.Many2one(
        comodel_name="octowatch.deal.registration",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
        help="The deal registration this request made (registered or rejected).",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who plans a service request; the confirming user when empty.",
    )
    service_state = fields.Selection(
        selection=[
            ("to_plan", "To Plan"),
            ("planned", "Planned"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_service_state",
        store=True,
        readonly=False,
        tracking=True,
        copy=False,
        index="btree_not_null",
        help="Where the Kolibri service stands: to plan, planned on its date, done "
        "or cancelled. The requester sees it on the portal.",
    )
    service_date = fields.Datetime(
        string="Planned Date",
        tracking=True,
        copy=False,
        help="When Kolibri delivers the service (the deadline of the responsible's "
        "activity).",
    )
    service_activity_id = fields.Many2one(
        comodel_name="mail.activity",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The responsible's activity that tracks the service.",
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

    @api.depends("request_type")
    def _compute_service_state(self):
        for request in self:
            if request.request_type != "service":
                request.service_state = False
            elif not request.service_state:
                request.service_state = "to_plan"

    @api.constrains("request_type", "end_customer_id", "requester_id")
    def _check_service_end_customer(self):
        for request in self:
            if not request.end_customer_id:
                continue
            problem = request._octowatch_service_customer_problem()
            if problem:
                raise ValidationError(problem)

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
        vals, problems = self._octowatch_values_from_email(msg_dict)
        vals.update(custom_values or {})
        # The default message_new writes the subject into the reference otherwise.
        vals.setdefault("name", self.env._("New"))
        request = super().message_new(msg_dict, custom_values=vals)
        request._octowatch_process_received(problems)
        return request

    @api.model
    def _octowatch_values_from_email(self, msg_dict):
        """``(vals, problems)`` of a request read from a parsed email."""
        email_from = parser.CONTROL_CHARACTERS.sub("", msg_dict.get("email_from") or "")
        sender_email = email_normalize(email_from) or email_from.strip()[:255]
        requester = self._octowatch_find_requester(sender_email)
        subject = parser.CONTROL_CHARACTERS.sub("", msg_dict.get("subject") or "")
        subject = subject.strip()
        parsed = parser.parse_body(subject, msg_dict.get("body") or "")
        vals, parse_problems = self._octowatch_values_from_parsed(parsed["fields"])
        request_type = parsed["request_type"] or self._octowatch_type_for(
            requester, vals
        )
        # Russian for a Russian-speaking requester or whoever writes in Russian.
        russian = (requester.lang or "").startswith("ru") or _CYRILLIC.search(
            subject + parsed["text"]
        )
        vals.update(
            {
                "source": "email",
                "requester_id": requester.id,
                "requester_email": sender_email,
                "subject": subject[:255],
                "request_type": request_type,
                "service_kind": parsed["service_kind"],
                "description": parsed["text"],
                "reply_lang": "ru" if russian else "en",
                "source_message_id": msg_dict.get("message_id") or False,
            }
        )
        problems = {}
        if not requester:
            problems["requester_id"] = self.env._(
                "Unknown sender %(email)s: no contact of an OctoWatch Partner or Agent "
                "has this email address.",
                email=sender_email or self.env._("(no address)"),
            )
        problems.update(parse_problems)
        return vals, problems

    @api.model
    def _octowatch_find_requester(self, email):
        """The contact behind ``email``, preferring one of a Partner or an Agent."""
        if not email:
            return self.env["res.partner"]
        partners = self.env["res.partner"].search(
            [("email_normalized", "=", email)], order="id"
        )
        channel = partners.filtered(lambda p: p.commercial_partner_id.octowatch_role)
        return (channel or partners)[:1]

    @api.model
    def _octowatch_type_for(self, requester, vals):
        role = requester.commercial_partner_id.octowatch_role
        if role == "agent":
            return "deal"
        if role == "partner":
            return "invoice"
        # An unknown sender: guess from what it wrote, staff can change it.
        return (
            "deal" if vals.get("tin") and not vals.get("account_email") else "invoice"
        )

    @api.model
    def _octowatch_values_from_parsed(self, raw):
        """``(vals, problems)`` from the raw strings of the parser.

        A value that can't be understood is kept as typed where the field allows it
        (email, TIN, company) and reported in ``problems`` (field -> message).
        """
        vals, problems = {}, {}
        if raw.get("account_email"):
            value = raw["account_email"]
            vals["account_email"] = normalize_account_email(value) or value[:255]
        if raw.get("tin"):
            vals["tin"] = raw["tin"][:64]
        if raw.get("company_name"):
            vals["company_name"] = raw["company_name"][:255]
        if raw.get("version"):
            product = self._octowatch_match_version(raw["version"])
            if product:
                vals["product_id"] = product.id
            else:
                problems["product_id"] = self.env._(
                    'Version "%(version)s" is not an OctoWatch version (known: '
                    "%(known)s).",
                    version=raw["version"][:80],
                    known=self._octowatch_known_versions(),
                )
        if raw.get("license_qty"):
            quantity, problem = self._octowatch_read_license_qty(raw["license_qty"])
            if problem:
                problems["license_qty"] = problem
            elif quantity <= 0:
                problems["license_qty"] = self.env._(
                    "Licences must be a positive number, not %(qty)s.", qty=quantity
                )
                vals["license_qty"] = max(quantity, -MAX_INTEGER)
            elif quantity <= MAX_INTEGER:
                vals["license_qty"] = quantity
            else:
                problems["license_qty"] = self.env._(
                    "Licences %(qty)s is over the maximum of %(max)s per request.",
                    qty=raw["license_qty"][:80],
                    max=self.env.company.octowatch_max_license_qty,
                )
        if raw.get("payment_method"):
            method = parser.parse_payment_method(raw["payment_method"])
            if method:
                vals["payment_method"] = method
            else:
                problems["payment_method"] = self.env._(
                    'Payment method "%(value)s" is not one we accept (bank transfer, '
                    "card, online payment).",
                    value=raw["payment_method"][:80],
                )
        return vals, problems

    @api.model
    def _octowatch_license_products(self, company=None):
        company = company or self.env.company
        return self.env["product.product"].search(
            [
                ("octowatch_is_license", "=", True),
                ("company_id", "in", [False, company.id]),
            ]
        )

    @api.model
    def _octowatch_known_versions(self):
        codes = self._octowatch_license_products().mapped("octowatch_version_code")
        return ", ".join(sorted(set(codes))) or "-"

    @api.model
    def _octowatch_match_version(self, value, company=None):
        """The licence product a free text names: its version code or its name.

        Case-insensitive: the exact code or name first, then a code standing as a word
        in the text, then the only product whose name contains the text.
        """
        text = " ".join(value.split()).lower()
        if not text:
            return self.env["product.product"]
        products = self._octowatch_license_products(company)
        for key in (
            lambda p: (p.octowatch_version_code or "").lower() == text,
            lambda p: p.name.lower() == text,
            lambda p: (
                p.octowatch_version_code
                and re.search(
                    rf"(?<!\w){re.escape(p.octowatch_version_code.lower())}(?!\w)",
                    text,
                )
            ),
            lambda p: len(text) >= 3 and text in p.name.lower(),
        ):
            found = products.filtered(key)
            if len(found) == 1:
                return found
        return self.env["product.product"]

    def _octowatch_process_received(self, problems=None):
        """Check new requests, register valid deals at once, acknowledge them."""
        for request in self:
            all_problems = dict(problems or {})
            for field, message in request._get_problems().items():
                all_problems.setdefault(field, message)
            request._octowatch_set_problems(all_problems)
            if (
                request.state == "new"
                and request.request_type == "deal"
                and request._octowatch_may_register()
            ):
                # First come, first served: a deal is registered when received.
                request._confirm_deal()
            if not request._octowatch_may_acknowledge():
                continue
            if request.state == "rejected":
                request._octowatch_send_template(
                    "octowatch_channel.mail_template_channel_request_rejected"
                )
            else:
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
        """Language code of the emails to the requester: Russian when the request is
        answered in Russian (its contact speaks it or it wrote in Russian)."""
        self.ensure_one()
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        lang = self.requester_id.lang or ""
        if self.reply_lang == "ru":
            lang = lang if lang.startswith("ru") else "ru_RU"
        elif lang.startswith("ru"):
            lang = "en_US"
        if not lang:
            lang = "en_US"
        # A language that is not installed can't be rendered: the source (English)
        # text, in the current language's formats.
        return lang if lang in installed else ""

    def _octowatch_service_kind_label(self):
        """The service kind in the current language: the reader's when a template
        renders it, the user's in an activity or on the portal."""
        self.ensure_one()
        kinds = dict(self._fields["service_kind"]._description_selection(self.env))
        return kinds.get(self.service_kind, "")

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

    def _octowatch_portal_url(self):
        """Full address of the request's page on the requester's portal."""
        self.ensure_one()
        return f"{self.get_base_url()}/my/channel-requests/{self.id}"

    def _octowatch_send_template(self, xmlid):
        """Email the requester (or the unknown sender) with the template ``xmlid``.

        Posted on the chatter as the system: the gateway and the portal run as the
        requester's own user, who is never notified of messages it authors.
        """
        template = self.env.ref(xmlid)
        root = self.env.ref("base.user_root")
        for request in self:
            recipients = request.requester_id
            email_to = False if recipients else email_normalize(request.requester_email)
            if not recipients and not email_to:
                continue
            request_root = request.with_user(root)
            # Rendered in the requester's language (the template's lang).
            render = template.with_user(root)._render_field
            request_root.message_post(
                body=render("body_html", request.ids, compute_lang=True)[request.id],
                subject=render("subject", request.ids, compute_lang=True)[request.id],
                author_id=request.company_id.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=recipients.ids,
                outgoing_email_to=email_to,
                email_layout_xmlid=template.email_layout_xmlid
                or "mail.mail_notification_light",
            )

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _get_problems(self):
        """Every problem of this request, field name -> message, in field order."""
        self.ensure_one()
        problems = {}
        role = self.requester_id.commercial_partner_id.octowatch_role
        if self.requester_id and not role:
            problems["requester_id"] = self.env._(
                "%(partner)s is neither an OctoWatch Partner nor an Agent.",
                partner=self.requester_id.display_name,
            )
        elif self.requester_id:
            allowed = {"invoice": ("partner",), "deal": ("agent",)}.get(
                self.request_type, ("partner", "agent")
            )
            if role not in allowed:
                types = dict(self._fields["request_type"].selection)
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
        required = {
            "invoice": ("account_email", "product_id", "license_qty"),
            "deal": ("tin", "company_name", "product_id", "license_qty"),
            "attribution": (),
            "service": ("service_kind",),
        }[self.request_type]
        if self.request_type == "attribution" and not (self.account_email or self.tin):
            problems["account_email"] = self.env._(
                "An attribution needs the end customer's Account Email or TIN."
            )
        for field in required:
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
        if self.tin:
            try:
                self.env["res.partner"]._octowatch_validate_tin(self.tin)
            except ValidationError as error:
                problems["tin"] = str(error.args[0])
        if problem := self._octowatch_license_qty_problem(
            self.license_qty, self.company_id, required="license_qty" in required
        ):
            problems["license_qty"] = problem
        if problem := self._octowatch_service_customer_problem():
            problems["end_customer_id"] = problem
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
            if problems:
                raise UserError(
                    self.env._(
                        "%(request)s can't be confirmed:\n%(problems)s",
                        request=request.name,
                        problems="\n".join(problems.values()),
                    )
                )
            request.review_notes = False
            getattr(request, f"_confirm_{request.request_type}")()
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
            request._octowatch_set_problems(request._get_problems())
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

    def _confirm_invoice(self):
        """A quotation for the Partner on its partner pricelist, one licence line
        naming the end customer (found or created by account email)."""
        self.ensure_one()
        partner = self.requester_id.commercial_partner_id
        company = self.company_id
        pricelist = partner.with_company(company)._octowatch_partner_pricelist()
        if not pricelist:
            raise UserError(
                self.env._(
                    "%(request)s: %(partner)s has no partner pricelist and the company "
                    "has no default Partner Pricelist (OctoWatch settings).",
                    request=self.name,
                    partner=partner.display_name,
                )
            )
        end_customer, refusal = self._octowatch_find_or_create_end_customer(partner)
        if refusal:
            self._octowatch_reject(refusal)
            return self.env["sale.order"]
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "pricelist_id": pricelist.id,
                    "origin": self.name,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_id.id,
                                "product_uom_qty": self.license_qty,
                                "octowatch_end_customer_id": end_customer.id,
                            }
                        )
                    ],
                }
            )
        )
        self.write(
            {
                "state": "done",
                "sale_order_id": order.id,
                "end_customer_id": end_customer.id,
            }
        )
        order.message_post_with_source(
            "mail.message_origin_link",
            render_values={"self": order, "origin": self},
            subtype_xmlid="mail.mt_note",
        )
        return order

    def _octowatch_find_or_create_end_customer(self, owner):
        """``(customer, refusal)``: the end customer of ``account_email``, attached
        to ``owner`` or created for it; or an empty customer and why not.

        One account email is one end customer per company: the unique index on the
        account email decides between two requests confirmed at the same instant. A
        refusal names nobody and shows nothing that the requester did not type: it
        is emailed to the requester.
        """
        self.ensure_one()
        email = normalize_account_email(self.account_email)
        Partner = self.env["res.partner"]
        customers = Partner.search(
            Domain("octowatch_role", "=", False)
            & (
                Domain("octowatch_account_email", "=ilike", escape_psql(email))
                | Domain("email_normalized", "=", email)
            ),
            order="id",
        )
        by_account = customers.filtered(
            lambda p: (p.octowatch_account_email or "").lower() == email
        )
        customer = (by_account or customers)[:1].commercial_partner_id
        tin = self._octowatch_valid_tin()
        if (
            not customer
            and tin
            and Partner.search_count(
                [("vat", "=", tin), ("parent_id", "=", False)], limit=1
            )
        ):
            return Partner, self.env._(
                "Already a customer: TIN %(tin)s is the TIN of an end customer with "
                "another OctoWatch account email. Kolibri adds a second account to it "
                "on request.",
                tin=tin,
            )
        try:
            with self.env.cr.savepoint():
                if customer:
                    reason = self.env._(
                        "invoice request %(request)s", request=self.name
                    )
                    if not customer._octowatch_attach(owner, reason=reason):
                        return Partner, self.env._(
                            "Already attached: the end customer of the account email "
                            "%(email)s works with another OctoWatch Partner or Agent.",
                            email=email,
                        )
                    return customer, False
                customer = Partner.create(
                    {
                        "name": self.company_name or email,
                        "is_company": bool(self.company_name),
                        "email": email,
                        "octowatch_account_email": email,
                        "octowatch_is_end_customer": True,
                        "octowatch_owner_id": owner.id,
                        "vat": tin or False,
                    }
                )
        except psycopg2.errors.UniqueViolation as exc:
            if not Partner._octowatch_is_account_email_taken(exc):
                raise
            # Another transaction made an end customer of this email after we
            # looked (or the one found shares it with another): the index decided.
            return Partner, self.env._(
                "Already in use: the account email %(email)s is the personal account "
                "of another end customer, registered by another request. One account "
                "email is one end customer.",
                email=email,
            )
        return customer, False

    def _octowatch_valid_tin(self):
        if not self.tin:
            return False
        try:
            return self.env["res.partner"]._octowatch_validate_tin(self.tin)
        except ValidationError:
            return False

    def _confirm_deal(self):
        """Register the deal; a TIN already registered by another agent rejects it."""
        self.ensure_one()
        deal = self.env["octowatch.deal.registration"]._register_deal(
            self.requester_id.commercial_partner_id,
            self._octowatch_valid_tin(),
            self.company_name,
            self.product_id,
            self.license_qty,
            company=self.company_id,
        )
        deal.request_id = self
        if deal.state == "rejected":
            self.write(
                {
                    "state": "rejected",
                    "deal_id": deal.id,
                    "rejection_reason": deal.rejection_reason,
                }
            )
        else:
            self.write({"state": "done", "deal_id": deal.id})
        return deal

    def _confirm_attribution(self):
        """Attach the end customer to the requester, first come first served."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        owner = self.requester_id.commercial_partner_id
        domain = Domain.FALSE
        if self.account_email:
            email = normalize_account_email(self.account_email)
            domain |= Domain(
                "octowatch_account_email", "=ilike", escape_psql(email)
            ) | Domain("email_normalized", "=", email)
        if tin := self._octowatch_valid_tin():
            domain |= Domain("vat", "=", tin)
        customer = Partner.search(
            domain & Domain("octowatch_role", "=", False), order="id", limit=1
        ).commercial_partner_id
        if not customer:
            raise UserError(
                self.env._(
                    "%(request)s: no end customer has this account email or TIN; "
                    "the customer registers first, then it can be attached.",
                    request=self.name,
                )
            )
        reason = self.env._("Attribution request %(request)s", request=self.name)
        try:
            with self.env.cr.savepoint():
                attached = customer._octowatch_attach(owner, reason=reason)
        except psycopg2.errors.UniqueViolation as exc:
            if not Partner._octowatch_is_account_email_taken(exc):
                raise
            # The customer found shares its account email with another end customer.
            attached = False
        if attached:
            self.write({"state": "done", "end_customer_id": customer.id})
            return True
        # The refused customer is not linked: its requester may read the request.
        self.write(
            {
                "state": "rejected",
                "rejection_reason": self.env._(
                    "This customer is already attached to another intermediary."
                ),
            }
        )
        return False

    def _confirm_service(self):
        """Accept the service: the end customer named is found among the requester's
        clients and the responsible gets an activity to plan it."""
        self.ensure_one()
        vals = {"state": "done", "service_state": "to_plan"}
        if not self.end_customer_id:
            vals["end_customer_id"] = self._octowatch_find_own_client().id
        if not self.user_id:
            vals["user_id"] = self.env.user.id
        self.write(vals)
        activity = self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._(
                "Plan %(service)s for %(partner)s",
                service=self._octowatch_service_kind_label().lower(),
                partner=self.requester_id.commercial_partner_id.display_name,
            ),
            note=Markup("<p>%s</p>") % (self.description or ""),
            user_id=self.user_id.id,
        )
        self.service_activity_id = activity
        return True

    def _octowatch_find_own_client(self):
        """The requester's client the request names (TIN, account email or company
        name), empty when it names none of them."""
        self.ensure_one()
        owner = self.requester_id.commercial_partner_id
        if not owner:
            return self.env["res.partner"]
        domain = Domain.FALSE
        if tin := self._octowatch_valid_tin():
            domain |= Domain("vat", "=", tin)
        if email := normalize_account_email(self.account_email):
            domain |= Domain(
                "octowatch_account_email", "=ilike", escape_psql(email)
            ) | Domain("email_normalized", "=", email)
        if self.company_name:
            domain |= Domain("name", "=ilike", escape_psql(self.company_name.strip()))
        if domain.is_false():
            return self.env["res.partner"]
        # The requester's clients are found whoever looks: the portal user and the
        # mail gateway can't read other contacts, and only its own clients match.
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                domain & Domain("octowatch_owner_id", "=", owner.id),
                order="id",
                limit=1,
            )
            .commercial_partner_id.sudo(False)
        )

    def _octowatch_service_customer_problem(self):
        """Why the end customer of this service request is not allowed, or False.

        A Partner or an Agent asks a service only for its own clients: the chosen end
        customer must belong to it, and a client named in an email (TIN, account email
        or company name) must be one of its clients.
        """
        self.ensure_one()
        if self.request_type != "service":
            return False
        owner = self.requester_id.commercial_partner_id
        if self.end_customer_id:
            # Reading the owner of the chosen customer: a portal requester can't read
            # contacts, and only the owner's id is compared.
            customer = self.end_customer_id.sudo().commercial_partner_id
            if customer.octowatch_owner_id != owner:
                return self.env._(
                    "End Customer %(customer)s is not a client of %(owner)s: a "
                    "service can only be asked for the requester's own clients.",
                    customer=customer.display_name,
                    owner=owner.display_name or self.env._("the requester"),
                )
            return False
        named = self.company_name or self.tin or self.account_email
        if named and owner and not self._octowatch_find_own_client():
            return self.env._(
                'The client "%(client)s" named in the request is not a client of '
                "%(owner)s: a service can only be asked for the requester's own "
                "clients.",
                client=named,
                owner=owner.display_name,
            )
        return False

    def action_plan_service(self):
        """Open the wizard asking the date, the responsible and a note."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan Service"),
            "res_model": "octowatch.channel.request.plan",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    def action_service_done(self):
        """The service is delivered: its activity is done and the requester told."""
        self._octowatch_check_service_states(("to_plan", "planned"))
        for request in self:
            activity = request.service_activity_id
            request.write({"service_state": "done", "service_activity_id": False})
            if activity.exists():
                activity.action_feedback(
                    feedback=self.env._("Service delivered."),
                )
        self._octowatch_send_template(
            "octowatch_channel.mail_template_channel_request_service_done"
        )
        return True

    def action_service_cancel(self):
        """The service won't take place: its activity is removed, the requester told."""
        self._octowatch_check_service_states(("to_plan", "planned"))
        for request in self:
            activity = request.service_activity_id
            request.write({"service_state": "cancelled", "service_activity_id": False})
            if activity.exists():
                activity.unlink()
        self._octowatch_send_template(
            "octowatch_channel.mail_template_channel_request_service_cancelled"
        )
        return True

    def _octowatch_check_service_states(self, states):
        labels = dict(self._fields["service_state"].selection)
        for request in self:
            if request.request_type != "service" or request.service_state not in states:
                raise UserError(
                    self.env._(
                        "%(request)s: only a service request %(states)s can do this "
                        "(its service is %(state)s).",
                        request=request.name,
                        states=" / ".join(labels[state] for state in states),
                        state=labels.get(request.service_state)
                        or self.env._("not a service"),
                    )
                )

    def _octowatch_plan_service(self, date, user, note=None):
        """Plan the service on ``date`` (datetime) with ``user`` responsible.

        A request not yet confirmed is confirmed first (with its checks). The
        responsible's activity gets the date as deadline (created or moved), and the
        requester is emailed the date.
        """
        self.ensure_one()
        if self.request_type != "service":
            raise UserError(
                self.env._(
                    "%(request)s is not a service request: only services are planned.",
                    request=self.name,
                )
            )
        if self.state in ("new", "needs_review"):
            self.action_confirm()
        self._octowatch_check_service_states(("to_plan", "planned"))
        if not user or user.share:
            raise UserError(
                self.env._("The Responsible of a service must be a Kolibri employee.")
            )
        self.write(
            {"service_date": date, "user_id": user.id, "service_state": "planned"}
        )
        client = self.end_customer_id or self.requester_id.commercial_partner_id
        deadline = fields.Datetime.context_timestamp(
            self.with_context(tz=user.tz or self.env.user.tz or "UTC"), date
        ).date()
        summary = self.env._(
            "%(service)s for %(client)s",
            service=self._octowatch_service_kind_label(),
            client=client.display_name,
        )
        activity_vals = {
            "summary": summary,
            "date_deadline": deadline,
            "user_id": user.id,
        }
        if note:
            activity_vals["note"] = Markup("<p>%s</p>") % note
        activity = self.service_activity_id
        if activity.exists():
            activity.write(activity_vals)
        else:
            self.service_activity_id = self.activity_schedule(
                "mail.mail_activity_data_todo", **activity_vals
            )
        self._octowatch_send_template(
            "octowatch_channel.mail_template_channel_request_service_planned"
        )
        return True

    def _octowatch_create_from_portal(self, vals):
        """Create a request from the portal form of the current user and process it
        as an email would be: check, register a valid deal, acknowledge."""
        request = self.create(dict(vals, source="portal"))
        request._octowatch_process_received()
        return request
