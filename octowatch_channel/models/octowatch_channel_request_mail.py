# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The partners@ door: whom an email request is trusted from, and whom it answers.

- A deal registration by email takes a first-come slot only when its sender is
  trusted: the receiving mail server vouches for the ``From:`` (see
  :mod:`.mail_headers`), or the agent confirms it through a one-time link sent to
  its registered address. A confirmed registration keeps its receipt time; an
  unconfirmed one holds nothing and lapses after the hours of the Settings.
- No acknowledgement goes to an automatic email (auto-reply, bounce, bulk): it is
  kept, marked, for staff.
- An unknown sender gets one short fixed notice that repeats nothing of what it sent.
"""

import email.header
import hashlib
import re
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.mail import email_normalize

from . import channel_request_parser as parser
from . import mail_headers

ACK_XMLID = "octowatch_channel.mail_template_channel_request_ack"
UNKNOWN_XMLID = "octowatch_channel.mail_template_channel_request_unknown_sender"
CONFIRM_XMLID = "octowatch_channel.mail_template_channel_request_deal_confirm"
# The context key under which the mail gateway hands over what the headers say.
HEADERS_CONTEXT_KEY = "octowatch_mail_headers"


def hash_token(token):
    """The stored form of a confirmation token: only its SHA-256 is kept."""
    return hashlib.sha256((token or "").encode()).hexdigest()


class OctowatchChannelRequest(models.Model):
    # The request is written by concern, one file each: the model, its service
    # workflow and this, its mail door; the OCA check asks for one extension per
    # model and addon, which would put two concerns back in one file.
    _inherit = "octowatch.channel.request"  # pylint: disable=consider-merging-classes-inherited

    # Odoo's loop guard looks a sender's recent requests up on every email.
    requester_email = fields.Char(index="btree_not_null")
    mail_trust = fields.Selection(
        selection=[
            ("portal", "Portal session"),
            ("authenticated", "Authenticated by the mail server"),
            ("confirmed", "Confirmed by link"),
            ("unconfirmed", "Waiting for confirmation"),
            ("lapsed", "Lapsed unconfirmed"),
        ],
        string="Sender Trust",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Why the sender of the request is believed. Portal: the requester's "
        "session. Authenticated: the receiving mail server vouched for the From "
        "address (DKIM aligned or DMARC pass). Confirmed: the agent confirmed the "
        "email through the one-time link sent to its registered address. An "
        "unconfirmed deal registration holds no slot and lapses.",
    )
    is_auto_reply = fields.Boolean(
        string="Automatic Email",
        compute="_compute_is_auto_reply",
        store=True,
        help="The email is an auto-reply, a bounce or bulk mail: it is kept for "
        "staff and never acknowledged.",
    )
    mail_auto_kind = fields.Selection(
        selection=[
            (mail_headers.AUTO_REPLY, "Auto-reply"),
            (mail_headers.BOUNCE, "Bounce"),
            (mail_headers.BULK, "Bulk mail"),
        ],
        string="Automatic Email Kind",
        readonly=True,
        copy=False,
    )
    mail_confirm_token_hash = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_system",
        help="SHA-256 of the one-time confirmation token sent to the agent.",
    )
    mail_confirm_deadline = fields.Datetime(
        string="Confirm Before",
        readonly=True,
        copy=False,
        help="An unconfirmed deal registration lapses at this time.",
    )
    mail_confirmed_date = fields.Datetime(
        string="Confirmed On",
        readonly=True,
        copy=False,
    )

    @api.depends("mail_auto_kind")
    def _compute_is_auto_reply(self):
        for request in self:
            request.is_auto_reply = bool(request.mail_auto_kind)

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Mark the trust of the sender and automatic emails before the request is
        processed (see ``_octowatch_may_register`` / ``_octowatch_may_acknowledge``).
        """
        headers = self.env.context.get(HEADERS_CONTEXT_KEY) or {}
        values = dict(custom_values or {})
        automatic = headers.get("automatic") or False
        values.setdefault(
            "mail_trust", "authenticated" if headers.get("trusted") else "unconfirmed"
        )
        if automatic:
            values.setdefault("mail_auto_kind", automatic)
        return super().message_new(msg_dict, custom_values=values)

    @api.model
    def _octowatch_read_email(self, msg_dict, company):
        """An email that the gateway had to repair (NUL bytes, unknown charset) waits
        for staff: its text may be misread."""
        vals, problems = super()._octowatch_read_email(msg_dict, company)
        repairs = (self.env.context.get(HEADERS_CONTEXT_KEY) or {}).get("repairs")
        if repairs:
            problems["mail_repair"] = self.env._(
                "The email had to be repaired before it could be read (%(repairs)s): "
                "check its text against the email attached on the chatter.",
                repairs="; ".join(repairs),
            )
        return vals, problems

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        """Odoo's loop guard (``mail.thread._detect_loop_sender``) counts the recent
        requests of the same sender address.

        Not through ``_primary_email``: Odoo's ``message_new`` would then write the
        formatted ``From:`` over the normalised ``requester_email``.
        """
        return [("requester_email", "=", email_from_normalized)]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("source") == "portal":
                vals.setdefault("mail_trust", "portal")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Hooks of _octowatch_process_received
    # ------------------------------------------------------------------

    def _octowatch_may_register(self):
        """Whether a valid deal registration takes its first-come slot on receipt.

        An email registration not vouched for by the mail server waits for the
        agent's confirmation instead: its deadline is set here, and the one-time
        link goes out as its acknowledgement (``_octowatch_ack_xmlid``).
        """
        self.ensure_one()
        if self.is_auto_reply:
            # An automatic email registers nothing and asks nothing of anybody.
            return False
        if self.source != "email" or self.mail_trust != "unconfirmed":
            return True
        self.mail_confirm_deadline = fields.Datetime.now() + timedelta(
            hours=self.company_id.octowatch_deal_confirm_hours or 24
        )
        return False

    def _octowatch_may_acknowledge(self):
        """Whether the request is answered at all: never an automatic email (no
        loops with auto-responders), whatever it asks."""
        self.ensure_one()
        return not self.is_auto_reply

    def _octowatch_ack_xmlid(self):
        """The template of the acknowledgement of a received request.

        An unknown sender gets a fixed notice that repeats nothing it sent; an
        unconfirmed deal registration gets the confirmation link.
        """
        self.ensure_one()
        if not self.requester_id:
            return UNKNOWN_XMLID
        if self._octowatch_waits_for_confirmation():
            return CONFIRM_XMLID
        return ACK_XMLID

    def _octowatch_waits_for_confirmation(self):
        self.ensure_one()
        return (
            self.source == "email"
            and self.request_type == "deal"
            and self.mail_trust == "unconfirmed"
            and self.state == "new"
            and bool(self.mail_confirm_deadline)
        )

    def _octowatch_send_template(self, xmlid):
        """The confirmation email carries a fresh one-time link, sent only to the
        agent's registered address (its contact), never to the ``From:``."""
        if xmlid != CONFIRM_XMLID:
            return super()._octowatch_send_template(xmlid)
        for request in self:
            if not request.requester_id.email:
                continue
            token = secrets.token_urlsafe(32)
            # The hash is a system field: the gateway's user can't write it.
            request.sudo().mail_confirm_token_hash = hash_token(token)
            url = f"{request.get_base_url()}/channel-requests/confirm/{token}"
            super(
                OctowatchChannelRequest,
                request.with_context(octowatch_confirm_url=url),
            )._octowatch_send_template(xmlid)
        return True

    # ------------------------------------------------------------------
    # The one-time link
    # ------------------------------------------------------------------

    @api.model
    def _octowatch_find_by_token(self, token):
        """``(request, status)`` of a confirmation token: status ``valid``,
        ``used``, ``expired`` or ``invalid`` (no request then).

        Runs as the superuser: the token is the credential, nobody is logged in.
        """
        if not token or len(token) > 128:
            return self.browse(), "invalid"
        # The token proves the right to see and confirm this one request.
        request = (
            self.sudo()
            .with_context(active_test=False)
            .search([("mail_confirm_token_hash", "=", hash_token(token))], limit=1)
        )
        if not request:
            return request, "invalid"
        if request.mail_trust == "confirmed" or request.mail_confirmed_date:
            return request, "used"
        if (
            request.mail_trust != "unconfirmed"
            or request.state != "new"
            or not request.mail_confirm_deadline
            or request.mail_confirm_deadline < fields.Datetime.now()
        ):
            return request, "expired"
        return request, "valid"

    def _octowatch_confirm_sender(self):
        """The agent confirmed its email: the deal is registered as of the receipt
        of the email (first come among trusted registrations), and acknowledged."""
        self.ensure_one()
        received = self.create_date
        self.write(
            {
                "mail_trust": "confirmed",
                "mail_confirmed_date": fields.Datetime.now(),
                "mail_confirm_deadline": False,
            }
        )
        self.message_post(
            body=self.env._(
                "The agent confirmed this email through the one-time link sent to "
                "its registered address."
            ),
            subtype_xmlid="mail.mt_note",
        )
        deal = self._octowatch_run_confirm()
        if deal.state in ("registered", "invoiced"):
            # The slot was taken on receipt: the deal dates from the email.
            validity = deal.company_id.octowatch_deal_validity_days
            deal.write(
                {
                    "date_registered": received,
                    "date_expiry": fields.Date.context_today(deal, received)
                    + timedelta(days=validity),
                }
            )
        self._octowatch_send_outcome()
        return deal

    @api.model
    def _cron_lapse_unconfirmed(self):
        """Email deal registrations not confirmed in time lapse: rejected, their
        link expired. Nobody is emailed: the sender was never trusted."""
        requests = self.search(
            [
                ("mail_trust", "=", "unconfirmed"),
                ("state", "=", "new"),
                ("mail_confirm_deadline", "!=", False),
                ("mail_confirm_deadline", "<", fields.Datetime.now()),
            ]
        )
        for request in requests:
            hours = request.company_id.octowatch_deal_confirm_hours or 24
            request.write(
                {
                    "mail_trust": "lapsed",
                    "state": "rejected",
                    "rejection_reason": request.env._(
                        "Not confirmed: the agent did not confirm this email "
                        "registration within %(hours)s hours.",
                        hours=hours,
                    ),
                }
            )
        return requests

    # ------------------------------------------------------------------
    # Emails that can't be read
    # ------------------------------------------------------------------

    @api.model
    def _octowatch_create_unreadable(self, raw, error):
        """A Needs Review request for an email that Odoo can't process, with the
        original attached: nothing that arrives is lost. Returns its id."""
        headers = _raw_headers(raw)
        sender = _clean(headers.get("From", ""))
        message_id = _clean(headers.get("Message-Id", ""))[:255] or False
        # The gateway stores what it received, as Odoo's router does (message_new
        # runs as the superuser there too).
        Request = self.sudo()
        if message_id and Request.search_count(
            [("source_message_id", "=", message_id)], limit=1
        ):
            return False
        request = Request.create(
            {
                "source": "email",
                "name": self.env._("New"),
                "subject": _clean(headers.get("Subject", ""))[:255],
                "requester_email": (email_normalize(sender) or sender)[:255],
                "source_message_id": message_id,
                "mail_trust": "unconfirmed",
                "state": "needs_review",
                "review_notes": self.env._(
                    "This email could not be read (%(error)s): the original is "
                    "attached.",
                    error=type(error).__name__,
                ),
            }
        )
        # The original, attached to the request just made: only who reads the
        # request reads it.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "original_email.eml",
                    "raw": raw,
                    "mimetype": "message/rfc822",
                    "res_model": request._name,
                    "res_id": request.id,
                }
            )
        )
        request.message_post(
            body=self.env._("The original email, which could not be read."),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )
        return request.id


_HEADER_LINE = re.compile(rb"^([!-9;-~]+):[ \t]*(.*)$")


def _raw_headers(raw):
    """The first value of each header of ``raw``, read as ASCII: whatever the
    email holds, something to show in the inbox."""
    head = re.split(rb"\r?\n\r?\n", raw or b"", maxsplit=1)[0]
    headers, last = {}, None
    for line in re.split(rb"\r?\n", head):
        if line[:1] in (b" ", b"\t") and last:
            headers[last] += " " + line.strip().decode("ascii", "replace")
            continue
        match = _HEADER_LINE.match(line)
        if match:
            last = match.group(1).decode("ascii").title()
            if last in headers:
                last = None
                continue
            headers[last] = match.group(2).decode("ascii", "replace")
    return {name: _decode_words(value) for name, value in headers.items() if name}


def _decode_words(value):
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except Exception:  # noqa: BLE001 - an undecodable header stays as it came
        return value


def _clean(value):
    return parser.CONTROL_CHARACTERS.sub("", value or "").strip()
