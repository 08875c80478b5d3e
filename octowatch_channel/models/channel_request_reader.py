# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reading a channel request out of an email of the partners@ alias.

A plain class beside the pure parser: it turns the parser's raw strings into the values
of a request, with the problems found, and never raises on what the email holds. The
database is read only to know the sender, the licence versions and the company's
limits; nothing is written.
"""

import re

from odoo.tools.mail import email_normalize

from . import channel_request_parser as parser
from . import channel_request_types
from .octowatch_input_mixin import MAX_INTEGER
from .res_partner import normalize_account_email

_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


class ChannelRequestReader:
    """Reads the emails sent to ``company``: ``read_email(msg_dict)`` gives the
    ``(vals, problems)`` of the request it makes."""

    def __init__(self, env, company):
        self.env = env
        self.company = company
        self.requests = env["octowatch.channel.request"].with_company(company)

    def read_email(self, msg_dict):
        """``(vals, problems)`` of the request that the parsed email ``msg_dict``
        (as ``mail.thread.message_parse`` gives it) makes.

        ``problems`` maps a field to what is wrong with it: an unknown sender, a
        value that can't be understood. Whatever the email holds, this returns.
        """
        email_from = parser.CONTROL_CHARACTERS.sub("", msg_dict.get("email_from") or "")
        sender_email = email_normalize(email_from) or email_from.strip()[:255]
        requester = self.env["res.partner"]._octowatch_find_requester(
            sender_email, self.company
        )
        subject = parser.CONTROL_CHARACTERS.sub("", msg_dict.get("subject") or "")
        subject = subject.strip()
        parsed = parser.parse_body(subject, msg_dict.get("body") or "")
        # Russian for a Russian-speaking requester or whoever writes in Russian.
        russian = (requester.lang or "").startswith("ru") or _CYRILLIC.search(
            subject + parsed["text"]
        )
        # The problems are stored for the requester to read: in its language, as
        # the request's emails are.
        lang = self.requests.new(
            {"requester_id": requester.id, "reply_lang": "ru" if russian else "en"}
        )._octowatch_mail_lang()
        reader = self
        if lang and lang != self.env.lang:
            reader = ChannelRequestReader(
                self.env(context=dict(self.env.context, lang=lang)), self.company
            )
        vals, parse_problems = reader.values_from_parsed(parsed["fields"])
        request_type = parsed["request_type"] or self.type_for(requester, vals)
        vals.update(
            {
                "source": "email",
                "company_id": self.company.id,
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
            problems["requester_id"] = reader.env._(
                "Unknown sender %(email)s: no contact of an OctoWatch Partner or Agent "
                "has this email address.",
                email=sender_email or reader.env._("(no address)"),
            )
        problems.update(parse_problems)
        return vals, problems

    def type_for(self, requester, vals):
        """The kind of request of an email whose text names none: the default of
        the sender's role, else a guess from what it wrote (staff can change it)."""
        role = requester.commercial_partner_id.octowatch_role
        request_type = channel_request_types.email_default(role)
        if request_type:
            return request_type
        return (
            "deal" if vals.get("tin") and not vals.get("account_email") else "invoice"
        )

    def values_from_parsed(self, raw):
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
        for fname in ("contact_name", "contact_email", "contact_phone"):
            if raw.get(fname):
                vals[fname] = raw[fname][:255]
        if raw.get("version"):
            product = self.match_version(raw["version"])
            if product:
                vals["product_id"] = product.id
            else:
                problems["product_id"] = self.env._(
                    'Version "%(version)s" is not an OctoWatch version (known: '
                    "%(known)s).",
                    version=raw["version"][:80],
                    known=self.known_versions(),
                )
        if raw.get("license_qty"):
            vals_qty, problem = self._license_qty(raw["license_qty"])
            vals.update(vals_qty)
            if problem:
                problems["license_qty"] = problem
        if raw.get("resale_price"):
            price, problem = self.requests._octowatch_read_price(raw["resale_price"])
            if problem:
                problems["resale_price_unit"] = problem
            else:
                vals["resale_price_unit"] = price
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

    def known_versions(self):
        """The version codes of the company's licences, for a reply to quote."""
        products = self.requests._octowatch_license_products(self.company)
        codes = products.mapped("octowatch_version_code")
        return ", ".join(sorted(set(codes))) or "-"

    def match_version(self, value):
        """The licence product a free text names: its version code or its name.

        Case-insensitive: the exact code or name first, then a code standing as a word
        in the text, then the only product whose name contains the text.
        """
        text = " ".join(value.split()).lower()
        if not text:
            return self.env["product.product"]
        products = self.requests._octowatch_license_products(self.company)
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

    def _license_qty(self, text):
        """``(vals, problem)`` of the licence count typed as ``text``: the count
        kept where the database can store it, and what is wrong with it."""
        quantity, problem = self.requests._octowatch_read_license_qty(text)
        if problem:
            return {}, problem
        if quantity <= 0:
            return {"license_qty": max(quantity, -MAX_INTEGER)}, self.env._(
                "Licences must be a positive number, not %(qty)s.", qty=quantity
            )
        if quantity > MAX_INTEGER:
            return {}, self.env._(
                "Licences %(qty)s is over the maximum of %(max)s per request.",
                qty=text[:80],
                max=self.company.octowatch_max_license_qty,
            )
        return {"license_qty": quantity}, False
