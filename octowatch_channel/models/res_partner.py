# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection

import psycopg2.errors
from stdnum import exceptions as stdnum_exceptions
from stdnum.ru import inn as stdnum_inn

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.mail import email_normalize
from odoo.tools.sql import escape_psql

# What people type or paste between the digits of a TIN: spaces (any Unicode space),
# hyphens and dashes, dots, slashes and invisible formatting characters (zero-width
# space, soft hyphen, direction marks).
TIN_SEPARATORS = re.compile(
    r"[\s\-./\u00ad\u2010-\u2015\u2212\u200b-\u200f\u2060\ufeff]+"
)
# What a refusal may echo of a typed value: no control character, a bounded length.
_ECHO_HIDDEN = re.compile(r"[\x00-\x1f\x7f]")
_ECHO_LENGTH = 40
# A TIN is ASCII digits only: str.isdigit() also takes Arabic-Indic, Devanagari and
# other digits, which are not a TIN.
TIN_DIGITS = re.compile(r"[0-9]+", re.ASCII)
TIN_LENGTH_BY_LEGAL_FORM = {
    "legal_entity": 10,
    "individual_entrepreneur": 12,
    "natural_person": 12,
}


def normalize_tin(value):
    """Return the TIN ``value`` in the one form it is validated, stored, compared and
    searched in: Unicode NFKC (full-width digits become ASCII ones), then without
    separators nor ``RU`` prefix.

    ``False`` when empty. Whatever else was typed is kept, so that validation refuses
    it: a TIN is valid only when this leaves ASCII digits (see ``is_tin_digits``).
    """
    if not value or not isinstance(value, str):
        return False
    compact = unicodedata.normalize("NFKC", value)
    compact = TIN_SEPARATORS.sub("", compact).upper().removeprefix("RU")
    return compact or False


def is_tin_digits(value):
    """Whether ``value`` (normalised) is made of ASCII digits only."""
    return bool(value) and bool(TIN_DIGITS.fullmatch(value))


# What a searched TIN may hold besides digits: the wildcards of a "like" pattern.
_TIN_PATTERN = re.compile(r"[0-9%_]+", re.ASCII)


def _searched_tin(value):
    """The normalised form of a searched TIN, or ``False`` when it is no TIN."""
    tin = normalize_tin(value) if isinstance(value, str) else False
    return tin if tin and tin != value and _TIN_PATTERN.fullmatch(tin) else False


def normalize_tin_domain(domain, fnames):
    """``domain`` where a condition on one of the TIN fields ``fnames`` also matches
    the normalised form of the TIN it searches.

    TINs are stored normalised, so that a search typed with full-width digits, spaces
    or an ``RU`` prefix finds them; what was typed is searched too, for the values
    that are not Russian TINs (a foreign VAT number is stored as typed).
    """
    domain = Domain(domain)
    if not any(cond.field_expr in fnames for cond in domain.iter_conditions()):
        return domain

    def normalise(condition):
        if condition.field_expr not in fnames:
            return condition
        field, operator, value = (
            condition.field_expr,
            condition.operator,
            condition.value,
        )
        if (
            operator in ("in", "not in")
            and isinstance(value, Collection)
            and not isinstance(value, str)
        ):
            extra = [tin for tin in map(_searched_tin, value) if tin]
            if not extra:
                return condition
            return Domain(field, operator, [*value, *extra])
        tin = _searched_tin(value)
        if not tin:
            return condition
        if operator in Domain.NEGATIVE_OPERATORS:
            return condition & Domain(field, operator, tin)
        return condition | Domain(field, operator, tin)

    return domain.map_conditions(normalise)


# Invisible characters that a pasted address may carry: soft hyphen, zero-width
# spaces and joiners, direction marks, word joiner, byte order mark.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")


def normalize_account_email(value):
    """Return the OctoWatch account email ``value`` in the one form it is stored and
    compared in: Unicode NFKC (full-width letters become ASCII ones), without
    invisible characters, then as Odoo normalises an email (lower case, no name).

    ``False`` when it is no email: a look-alike of an address is that address.
    """
    if not value or not isinstance(value, str):
        return False
    return email_normalize(_INVISIBLE.sub("", unicodedata.normalize("NFKC", value)))


def echo_value(value):
    """``value`` as a refusal may show it back to whoever typed it: without control
    characters (a NUL byte can't be stored nor shown) and cut to a readable length."""
    shown = _ECHO_HIDDEN.sub("", str(value or ""))
    return shown if len(shown) <= _ECHO_LENGTH else shown[: _ECHO_LENGTH - 1] + "…"


class ResPartner(models.Model):
    _inherit = "res.partner"

    octowatch_role = fields.Selection(
        selection=[("partner", "Partner"), ("agent", "Agent")],
        string="OctoWatch Role",
        tracking=True,
        index=True,
        help="Partner: a reseller that buys licences at the partner price.\n"
        "Agent: refers end customers who buy at the published price and earns "
        "commission.\nSet on the company; its contacts follow.",
    )
    octowatch_legal_form = fields.Selection(
        selection=[
            ("legal_entity", "Legal entity"),
            ("individual_entrepreneur", "Individual entrepreneur"),
            ("natural_person", "Natural person"),
        ],
        string="Legal Form",
        tracking=True,
        help="A legal entity has a 10-digit TIN, an individual entrepreneur or a "
        "natural person a 12-digit one. An agent can't be a natural person.",
    )
    octowatch_owner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Channel Owner",
        domain="[('octowatch_role', '!=', False), ('parent_id', '=', False)]",
        tracking=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The Partner or Agent this end customer belongs to.",
    )
    octowatch_is_end_customer = fields.Boolean(
        string="OctoWatch End Customer",
        compute="_compute_octowatch_is_end_customer",
        store=True,
        readonly=False,
        help="Uses OctoWatch through a personal account: a client of a Partner or an "
        "Agent, or a direct customer.",
    )
    octowatch_account_email = fields.Char(
        string="OctoWatch Account Email",
        compute="_compute_octowatch_account_email",
        store=True,
        readonly=False,
        tracking=True,
        help="The email of the end customer's OctoWatch personal account, where "
        "licences are credited. Defaults to the contact's email.",
    )
    octowatch_client_ids = fields.One2many(
        comodel_name="res.partner",
        inverse_name="octowatch_owner_id",
        string="OctoWatch Clients",
    )
    octowatch_client_count = fields.Integer(
        string="Clients",
        compute="_compute_octowatch_client_count",
    )
    octowatch_agreement_ids = fields.One2many(
        comodel_name="octowatch.agency.agreement",
        inverse_name="agent_id",
        string="Agency Agreements",
    )
    octowatch_agreement_count = fields.Integer(
        string="Agreements",
        compute="_compute_octowatch_agreement_count",
    )
    octowatch_deal_ids = fields.One2many(
        comodel_name="octowatch.deal.registration",
        inverse_name="agent_id",
        string="Deal Registrations",
    )
    octowatch_deal_count = fields.Integer(
        string="Deals",
        compute="_compute_octowatch_deal_count",
    )

    octowatch_license_count = fields.Integer(
        string="Licences",
        compute="_compute_octowatch_license_count",
        help="Ledger entries of the personal account, or of the clients for a Partner "
        "or Agent.",
    )

    # One OctoWatch account email is one end customer per company, decided by
    # PostgreSQL even for two requests confirmed at the same instant. Only end
    # customers themselves count (not their contacts, nor the other contacts whose
    # account email merely defaults to their email); shared contacts (no company)
    # count as one company.
    _octowatch_unique_account_email = models.UniqueIndex(
        "(COALESCE(company_id, 0), lower(octowatch_account_email)) "
        "WHERE octowatch_is_end_customer AND parent_id IS NULL "
        "AND octowatch_account_email IS NOT NULL",
        lambda env, diag: env._(
            "This OctoWatch Account Email is already the personal account of another "
            "end customer: one account email is one end customer per company."
        ),
    )

    @api.depends("octowatch_owner_id")
    def _compute_octowatch_is_end_customer(self):
        for partner in self:
            partner.octowatch_is_end_customer = (
                partner.octowatch_is_end_customer or bool(partner.octowatch_owner_id)
            )

    @api.depends("email")
    def _compute_octowatch_account_email(self):
        for partner in self:
            if not partner.octowatch_account_email:
                partner.octowatch_account_email = (
                    normalize_account_email(partner.email) or False
                )

    def _octowatch_clients_domain(self):
        """The end customers attached to these Partners or Agents: the companies and
        persons they own, not their contacts."""
        return [("octowatch_owner_id", "in", self.ids), ("parent_id", "=", False)]

    def _compute_octowatch_client_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                self._octowatch_clients_domain(),
                groupby=["octowatch_owner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.octowatch_client_count = counts.get(partner, 0)

    def _compute_octowatch_agreement_count(self):
        counts = dict(
            self.env["octowatch.agency.agreement"]._read_group(
                [("agent_id", "in", self.ids)],
                groupby=["agent_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.octowatch_agreement_count = counts.get(partner, 0)

    def _compute_octowatch_license_count(self):
        """Two grouped sums of the ledger's balances for all the partners, whatever
        their number of partners and entries: the entries of the channel accounts
        (Partners and Agents), and those of the end customers, summed on each
        commercial entity over its hierarchy (the domain's ``child_of``)."""
        Balance = self.env["octowatch.license.balance"]
        # A contact being created in a form has no licence yet.
        commercials = self.commercial_partner_id._origin
        channel = commercials.filtered("octowatch_role")
        customers = commercials - channel
        by_channel = dict(
            Balance._read_group(
                [("channel_partner_id", "in", channel.ids)],
                ["channel_partner_id"],
                ["entry_count:sum"],
            )
            if channel
            else []
        )
        by_customer = defaultdict(int)
        if customers:
            for customer, count in Balance._read_group(
                [("end_customer_id", "child_of", customers.ids)],
                ["end_customer_id"],
                ["entry_count:sum"],
            ):
                # Up the hierarchy to the commercial entity it is found under.
                ancestor = customer
                while ancestor and ancestor not in customers:
                    ancestor = ancestor.parent_id
                by_customer[ancestor] += count
        for partner in self:
            commercial = partner.commercial_partner_id._origin
            partner.octowatch_license_count = by_channel.get(
                commercial, by_customer.get(commercial, 0)
            )

    def _compute_octowatch_deal_count(self):
        counts = dict(
            self.env["octowatch.deal.registration"]._read_group(
                [("agent_id", "in", self.ids)],
                groupby=["agent_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.octowatch_deal_count = counts.get(partner, 0)

    @api.constrains("octowatch_role", "octowatch_legal_form")
    def _check_octowatch_agent_legal_form(self):
        for partner in self:
            if (
                partner.octowatch_role == "agent"
                and partner.octowatch_legal_form == "natural_person"
            ):
                raise ValidationError(
                    self.env._(
                        "%(partner)s: an Agent must be a legal entity or an individual "
                        "entrepreneur, never a natural person (field Legal Form).",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("vat", "country_id", "octowatch_legal_form", "octowatch_role")
    def _check_octowatch_tin(self):
        for partner in self.filtered(lambda p: p.vat and p._octowatch_tin_applies()):
            partner._octowatch_validate_tin(partner.vat, partner.octowatch_legal_form)

    @api.constrains("octowatch_owner_id", "octowatch_role")
    def _check_octowatch_owner(self):
        for partner in self.filtered("octowatch_owner_id"):
            owner = partner.octowatch_owner_id
            if not owner.commercial_partner_id.octowatch_role:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the Channel Owner %(owner)s is neither an "
                        "OctoWatch Partner nor an Agent.",
                        partner=partner.display_name,
                        owner=owner.display_name,
                    )
                )
            if owner.commercial_partner_id == partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s can't be its own Channel Owner.",
                        partner=partner.display_name,
                    )
                )
            if partner.octowatch_role:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is an OctoWatch Partner or Agent: only end "
                        "customers have a Channel Owner.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("octowatch_account_email")
    def _check_octowatch_account_email(self):
        for partner in self.filtered("octowatch_account_email"):
            if not normalize_account_email(partner.octowatch_account_email):
                raise ValidationError(
                    self.env._(
                        "%(partner)s: OctoWatch Account Email %(email)s is not a valid "
                        "email address.",
                        partner=partner.display_name,
                        email=partner.octowatch_account_email,
                    )
                )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "octowatch_role",
            "octowatch_legal_form",
            "octowatch_owner_id",
        ]

    @api.model
    def _search(self, domain, *args, **kwargs):
        # A TIN is found whichever way it is typed: full-width digits, separators.
        return super()._search(normalize_tin_domain(domain, ("vat",)), *args, **kwargs)

    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if domain is NotImplemented:
            return domain
        return normalize_tin_domain(domain, ("vat",))

    @api.model
    def _octowatch_is_account_email_taken(self, error):
        """Whether the database ``error`` is the refusal of a second end customer
        with the same account email."""
        return (
            isinstance(error, psycopg2.errors.UniqueViolation)
            and error.diag.constraint_name
            == self._octowatch_unique_account_email.full_name(self)
        )

    @api.model
    def _octowatch_normalize_account_email_vals(self, vals):
        email = vals.get("octowatch_account_email")
        if email and isinstance(email, str):
            vals["octowatch_account_email"] = normalize_account_email(email) or email

    @api.model_create_multi
    def create(self, vals_list):
        russia = self.env.ref("base.ru")
        for vals in vals_list:
            self._octowatch_normalize_account_email_vals(vals)
            self._octowatch_normalize_tin_vals(vals, russia)
        partners = super().create(vals_list)
        # What the values alone could not tell (a contact of a Russian company).
        partners._octowatch_normalize_tin()
        partners.filtered(
            lambda p: p.octowatch_role == "partner"
        )._octowatch_set_partner_pricelist()
        return partners

    def write(self, vals):
        self._octowatch_normalize_account_email_vals(vals)
        moved = self.env["res.partner"]
        owner_move = self.env.context.get("octowatch_owner_move")
        if (
            ("octowatch_owner_id" in vals or vals.get("parent_id"))
            and owner_move
            and not self.env.su
            and not self.env.user.has_group("octowatch_channel.group_octowatch_manager")
        ):
            # The key is honoured only where the group is checked here: a Channel
            # Manager (the Move to Another Owner wizard) or an internal flow that
            # releases a customer as superuser. Anyone else could pass it over RPC.
            # A new parent counts: the owner follows it through the commercial sync,
            # which Odoo runs as superuser.
            raise AccessError(
                self.env._(
                    "Only a Channel Manager can move an end customer to another "
                    "OctoWatch Partner or Agent (field Channel Owner): use Move to "
                    "Another Owner, giving a reason."
                )
            )
        if "octowatch_owner_id" in vals and not owner_move:
            # Contacts follow their company's owner through the commercial sync.
            moved = self.filtered(
                lambda p: (
                    not p.parent_id
                    and p.octowatch_owner_id
                    and p.octowatch_owner_id.id != (vals["octowatch_owner_id"] or False)
                )
            )
        if vals.get("parent_id") and not owner_move:
            # A customer given a parent takes its company's owner (commercial sync):
            # moving it under another owner's company is a move too.
            new_owner = self.browse(
                vals["parent_id"]
            ).commercial_partner_id.octowatch_owner_id
            moved |= self.filtered(
                lambda p: (
                    not p.parent_id
                    and p.octowatch_owner_id
                    and p.octowatch_owner_id != new_owner
                )
            )
        res = super().write(vals)
        if "vat" in vals or "country_id" in vals:
            self._octowatch_normalize_tin()
        if vals.get("octowatch_role") == "partner":
            self._octowatch_set_partner_pricelist()
        if moved:
            # Checked after the write so that an invalid owner gets its own message.
            raise UserError(
                self.env._(
                    "%(partners)s already belong(s) to another OctoWatch Partner or "
                    "Agent: first come, first served. A Channel Manager moves an end "
                    "customer with Move to Another Owner, giving a reason.",
                    partners=", ".join(moved.mapped("display_name")),
                )
            )
        return res

    def action_view_octowatch_clients(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "octowatch_channel.action_octowatch_end_customers"
        )
        action["domain"] = self.commercial_partner_id._octowatch_clients_domain()
        action["context"] = {
            "default_octowatch_owner_id": self.commercial_partner_id.id
        }
        return action

    def action_view_octowatch_commissions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "octowatch_channel.action_octowatch_commission_line"
        )
        action["domain"] = [("agent_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_month": 1}
        return action

    def action_view_octowatch_licenses(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "octowatch_channel.action_octowatch_license"
        )
        action["domain"] = self._octowatch_license_domain()
        action["context"] = {"search_default_active": 1}
        return action

    def _octowatch_license_domain(self):
        """The ledger entries of this partner's account, or of its clients."""
        self.ensure_one()
        commercial = self.commercial_partner_id._origin
        if commercial.octowatch_role:
            return [("channel_partner_id", "=", commercial.id)]
        return [("end_customer_id", "child_of", commercial.id)]

    def action_view_octowatch_agreements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "octowatch_channel.action_octowatch_agency_agreement"
        )
        action["domain"] = [("agent_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_agent_id": self.commercial_partner_id.id}
        return action

    def action_view_octowatch_deals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "octowatch_channel.action_octowatch_deal_registration"
        )
        action["domain"] = [("agent_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def action_open_octowatch_attribute(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Move to Another Owner"),
            "res_model": "octowatch.partner.attribute",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def _octowatch_refusal_for(self, owner):
        """Why ``owner`` may not take this end customer (an empty recordset: none
        found), or False: its TIN is a Partner's or an Agent's, or it works with
        another intermediary. The reason names nobody: the requester reads it."""
        if self.octowatch_role:
            return self.env._(
                "This TIN belongs to an OctoWatch Partner or Agent, not to an end "
                "customer."
            )
        if self.octowatch_owner_id and self.octowatch_owner_id != owner:
            return self.env._(
                "Already attached: this customer works with another OctoWatch Partner "
                "or Agent."
            )
        return False

    def _octowatch_attach(self, owner, reason=None):
        """Attach this end customer to ``owner``, first come, first served.

        Used by attribution requests and deal registrations. The history goes to the
        customer's chatter. Two concurrent attachments of the same free customer
        conflict on its row: the later transaction fails to serialise, and on its
        retry it sees the first owner and gets ``False``.

        :param owner: a channel Partner or Agent (or one of its contacts).
        :param str reason: why, logged with the attachment.
        :return: ``True`` when the customer is now (or already was) attached to
            ``owner``; ``False`` when it belongs to another owner, unchanged.
        :raise ValidationError: ``owner`` is not a channel Partner or Agent.
        """
        self.ensure_one()
        customer = self.commercial_partner_id
        owner = owner.commercial_partner_id
        if customer.octowatch_owner_id == owner:
            return True
        if customer.octowatch_owner_id:
            return False
        customer.octowatch_owner_id = owner
        body = (
            self.env._(
                "Attached to %(owner)s: %(reason)s", owner=owner.name, reason=reason
            )
            if reason
            else self.env._("Attached to %(owner)s.", owner=owner.name)
        )
        customer.message_post(body=body)
        return True

    @api.model
    def _octowatch_find_end_customer(
        self,
        company,
        *,
        tin=False,
        account_email=False,
        name=False,
        owner=None,
        include_channel=False,
    ):
        """The end customer of ``company`` named by any of the keys given, or an
        empty recordset. Every lookup of an end customer goes through here.

        A contact matches when it is shared or of ``company`` and: its TIN (``vat``)
        is ``tin`` on a commercial entity; or its OctoWatch account email or its
        email is ``account_email``; or its name is ``name`` (case-insensitive). The
        first match (by id) wins, one whose account email is ``account_email``
        before the others; its commercial partner is returned.

        :param str tin: a normalised TIN (see :meth:`_octowatch_validate_tin`).
        :param str account_email: a normalised email (``normalize_account_email``).
        :param owner: only the clients of this Partner or Agent (none when it is
            empty).
        :param bool include_channel: a Partner or an Agent of the channel matches
            too, for the callers that refuse its TIN with a reason of their own.
        """
        domain = Domain.FALSE
        if tin:
            domain |= Domain("vat", "=", tin) & Domain("parent_id", "=", False)
        if account_email:
            domain |= Domain(
                "octowatch_account_email", "=ilike", escape_psql(account_email)
            ) | Domain("email_normalized", "=", account_email)
        if name and name.strip():
            domain |= Domain("name", "=ilike", escape_psql(name.strip()))
        # No key given, or the clients of nobody asked for: nothing matches.
        if domain.is_false() or (owner is not None and not owner):
            return self.browse()
        domain &= Domain("company_id", "in", [False, company.id])
        if owner is not None:
            domain &= Domain("octowatch_owner_id", "=", owner.commercial_partner_id.id)
        if not include_channel:
            domain &= Domain("octowatch_role", "=", False)
        found = self.search(domain, order="id")
        if account_email:
            found = (
                found.filtered(
                    lambda p: (p.octowatch_account_email or "").lower() == account_email
                )
                or found
            )
        return found[:1].commercial_partner_id

    @api.model
    def _octowatch_find_or_create_end_customer(
        self, owner, company, account_email, *, tin=False, name=False, reason=None
    ):
        """``(customer, refusal)``: the end customer of ``account_email`` in
        ``company``, attached to ``owner`` or created for it; or an empty customer
        and why not.

        One account email is one end customer per company: the unique index on the
        account email decides between two requests confirmed at the same instant. A
        refusal names nobody and shows nothing that the requester did not type: it
        is emailed to the requester.

        :param str account_email: a normalised email (``normalize_account_email``).
        :param str tin: the normalised TIN given with it: a customer of another
            account email with this TIN is not made again.
        :param str name: the name of a customer created.
        :param str reason: why, logged when an existing customer is attached.
        """
        customer = self._octowatch_find_end_customer(
            company, account_email=account_email
        )
        # Whoever holds the TIN, a Partner or an Agent too, is not made again.
        if (
            not customer
            and tin
            and self._octowatch_find_end_customer(
                company, tin=tin, include_channel=True
            )
        ):
            return self.browse(), self.env._(
                "Already a customer: TIN %(tin)s is the TIN of an end customer with "
                "another OctoWatch account email. Kolibri adds a second account to it "
                "on request.",
                tin=tin,
            )
        try:
            with self.env.cr.savepoint():
                if customer:
                    if not customer._octowatch_attach(owner, reason=reason):
                        return self.browse(), self.env._(
                            "Already attached: the end customer of the account email "
                            "%(email)s works with another OctoWatch Partner or Agent.",
                            email=account_email,
                        )
                    return customer, False
                customer = self.create(
                    {
                        "name": name or account_email,
                        "is_company": bool(name),
                        "email": account_email,
                        "octowatch_account_email": account_email,
                        "octowatch_is_end_customer": True,
                        "octowatch_owner_id": owner.id,
                        "vat": tin or False,
                    }
                )
        except psycopg2.errors.UniqueViolation as exc:
            if not self._octowatch_is_account_email_taken(exc):
                raise
            # Another transaction made an end customer of this email after we
            # looked (or the one found shares it with another): the index decided.
            return self.browse(), self.env._(
                "Already in use: the account email %(email)s is the personal account "
                "of another end customer, registered by another request. One account "
                "email is one end customer.",
                email=account_email,
            )
        return customer, False

    @api.model
    def _octowatch_find_requester(self, email, company):
        """The contact of ``company`` (or shared) behind ``email``, one of a Partner
        or an Agent before any other; empty when no contact has it."""
        if not email:
            return self.browse()
        partners = self.search(
            [
                ("email_normalized", "=", email),
                ("company_id", "in", [False, company.id]),
            ],
            order="id",
        )
        channel = partners.filtered(lambda p: p.commercial_partner_id.octowatch_role)
        return (channel or partners)[:1]

    def _octowatch_tin_applies(self):
        """Whether this partner's ``vat`` is a Russian TIN (INN) to validate.

        It is when the country is Russia, or when no country is set on a partner that
        takes part in the channel (a role, a legal form or an owner).
        """
        self.ensure_one()
        if self.country_id:
            return self.country_id.code == "RU"
        return bool(
            self.octowatch_role or self.octowatch_legal_form or self.octowatch_owner_id
        )

    @api.model
    def _octowatch_validate_tin(self, value, legal_form=False):
        """Validate ``value`` as an INN and return it normalised to digits.

        ``value`` is normalised first (:func:`normalize_tin`): full-width digits,
        separators and an ``RU`` prefix are accepted, any other character is not.

        :param legal_form: when given, the TIN length must match it (10 digits for a
            legal entity, 12 for an individual entrepreneur or a natural person).
        :raise ValidationError: naming the field and the rule that failed.
        """
        tin = normalize_tin(value)
        shown = echo_value(value)
        if not is_tin_digits(tin):
            raise ValidationError(
                self.env._(
                    "TIN %(tin)s is invalid: a Russian TIN (INN) has only digits.",
                    tin=shown,
                )
            )
        if len(tin) not in (10, 12):
            raise ValidationError(
                self.env._(
                    "TIN %(tin)s is invalid: a Russian TIN (INN) has 10 digits (legal "
                    "entity) or 12 digits (individual), not %(length)s.",
                    tin=shown,
                    length=len(tin),
                )
            )
        try:
            stdnum_inn.validate(tin)
        except stdnum_exceptions.ValidationError as exc:
            raise ValidationError(
                self.env._(
                    "TIN %(tin)s is invalid: its check digits are wrong.",
                    tin=shown,
                )
            ) from exc
        expected = TIN_LENGTH_BY_LEGAL_FORM.get(legal_form)
        if expected and len(tin) != expected:
            legal_forms = dict(self._fields["octowatch_legal_form"].selection)
            raise ValidationError(
                self.env._(
                    "TIN %(tin)s has %(length)s digits but the Legal Form is "
                    "%(legal_form)s, whose TIN has %(expected)s digits.",
                    tin=shown,
                    length=len(tin),
                    legal_form=legal_forms[legal_form],
                    expected=expected,
                )
            )
        return tin

    def _octowatch_partner_pricelist(self):
        """The partner pricelist this channel Partner buys on.

        The partner pricelist chosen for it, else the company's default one. A
        partner pricelist that is also the company's first pricelist is not stored
        as the partner's own (Odoo keeps only what differs from the country
        default), so the partner's effective pricelist is read, not the stored one.
        """
        self.ensure_one()
        chosen = self.commercial_partner_id.property_product_pricelist
        if chosen.octowatch_is_partner_pricelist:
            return chosen
        return self.env.company.octowatch_partner_pricelist_id

    def _octowatch_set_partner_pricelist(self):
        """Give new channel Partners the default partner pricelist of the company.

        A partner pricelist already chosen for the partner is kept.
        """
        default = self.env.company.octowatch_partner_pricelist_id
        if not default:
            return
        # The effective pricelist, as _octowatch_partner_pricelist reads it: a chosen
        # partner pricelist that is the company's first one is stored as no value.
        # One write for all: its inverse looks the country pricelists up once.
        without = self.filtered(
            lambda p: (
                not p.parent_id
                and not p.property_product_pricelist.octowatch_is_partner_pricelist
            )
        )
        without.property_product_pricelist = default

    @api.model
    def _octowatch_normalize_tin_vals(self, vals, russia):
        """Normalise the TIN in ``vals`` before it is stored, when the values alone
        show that it is a Russian TIN (``_octowatch_tin_applies``): a partner of
        ``russia``, or a channel one without country nor parent."""
        vat = vals.get("vat")
        if not vat or not isinstance(vat, str):
            return
        if vals.get("country_id"):
            applies = vals["country_id"] == russia.id
        else:
            applies = not vals.get("parent_id") and any(
                vals.get(fname)
                for fname in (
                    "octowatch_role",
                    "octowatch_legal_form",
                    "octowatch_owner_id",
                )
            )
        if applies:
            vals["vat"] = normalize_tin(vat) or vat

    def _octowatch_normalize_tin(self):
        """Store Russian TINs normalised (:func:`normalize_tin`), whatever was typed."""
        for partner in self:
            if partner.vat and partner._octowatch_tin_applies():
                tin = normalize_tin(partner.vat)
                if tin != partner.vat:
                    partner.vat = tin
