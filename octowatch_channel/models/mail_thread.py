# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Nothing addressed to partners@ is lost in Odoo's own parsing.

Odoo's gateway raises on some emails before the addon sees them: a charset Python
does not know (``LookupError``), a NUL byte in the subject or the sender's name
(``ValueError`` when it is stored). For an email addressed to the channel alias the
NUL bytes are removed and an unknown charset is read as a known one; an email that
still can't be processed is stored raw, as a Needs Review request with the original
attached.
"""

import codecs
import email
import email.policy
import logging
import re
import xmlrpc.client

from odoo import api, models
from odoo.exceptions import MissingError
from odoo.tools.mail import email_normalize_all

from . import mail_headers
from .octowatch_channel_request_mail import HEADERS_CONTEXT_KEY
from .res_config_settings import ALIAS_XMLID

_logger = logging.getLogger(__name__)

_RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "Resent-To", "X-Original-To")
# Charsets tried, in order, for a text part whose declared charset is unknown.
FALLBACK_CHARSETS = ("utf-8", "windows-1251")
_NUL_ESCAPES = re.compile(rb"\x00")


def _known_charset(name):
    try:
        codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        return False
    return True


def guess_charset(payload):
    """The first charset of :data:`FALLBACK_CHARSETS` that decodes ``payload``."""
    for charset in FALLBACK_CHARSETS:
        try:
            payload.decode(charset)
        except UnicodeDecodeError:
            continue
        return charset
    return "latin-1"


def repair_message(raw):
    """``(bytes, repairs)``: the email with NUL bytes removed and every unknown
    charset of a text part replaced by one that decodes it; ``repairs`` lists
    what was changed (empty when nothing was)."""
    repairs = []
    if b"\x00" in raw:
        raw = _NUL_ESCAPES.sub(b"", raw)
        repairs.append("NUL bytes removed")
    message = email.message_from_bytes(raw, policy=email.policy.SMTP)
    changed = False
    for part in message.walk():
        if part.get_content_maintype() != "text":
            continue
        charset = part.get_param("charset")
        if not charset or _known_charset(str(charset)):
            continue
        payload = part.get_payload(decode=True) or b""
        guess = guess_charset(payload)
        part.set_param("charset", guess)
        repairs.append(f"unknown charset {str(charset)[:40]!r} read as {guess}")
        changed = True
    if changed:
        raw = message.as_bytes(policy=email.policy.SMTP)
    return raw, repairs


def _strip_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    return value


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        """Guard Odoo's parsing of the emails addressed to the channel alias."""
        if isinstance(message, xmlrpc.client.Binary):
            message = bytes(message.data)
        if isinstance(message, str):
            message = message.encode("utf-8")
        if not self._octowatch_is_for_channel_alias(message):
            return super().message_process(
                model,
                message,
                custom_values=custom_values,
                save_original=save_original,
                strip_attachments=strip_attachments,
                thread_id=thread_id,
            )
        original = message
        try:
            message, repairs = repair_message(message)
        except Exception as error:  # noqa: BLE001 - unreadable: stored raw below
            return self._octowatch_store_unreadable(original, error)
        if repairs:
            _logger.info("Channel alias email repaired: %s", "; ".join(repairs))
        try:
            with self.env.cr.savepoint():
                return super(
                    MailThread,
                    self.with_context(
                        octowatch_strip_nul=True, octowatch_mail_repairs=repairs
                    ),
                ).message_process(
                    model,
                    message,
                    custom_values=custom_values,
                    # A repaired email keeps a copy beside what was read of it.
                    save_original=save_original or bool(repairs),
                    strip_attachments=strip_attachments,
                    thread_id=thread_id,
                )
        except (LookupError, ValueError, UnicodeError, TypeError) as error:
            return self._octowatch_store_unreadable(original, error)

    @api.model
    def _octowatch_is_for_channel_alias(self, raw):
        """Whether the email names the partners@ alias among its recipients."""
        # By its xmlid, which Odoo caches: this runs on every incoming email, and
        # ``env.ref`` would check that the alias exists each time.
        alias_id = self.env["ir.model.data"]._xmlid_to_res_id(ALIAS_XMLID)
        try:
            # Read as the gateway: the alias is a system record.
            alias_email = (
                alias_id
                and self.env["mail.alias"].sudo().browse(alias_id).alias_full_name
            )
        except MissingError:
            alias_email = False
        if not alias_email:
            return False
        try:
            headers = email.message_from_bytes(
                raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0],
                policy=email.policy.compat32,
            )
            recipients = ",".join(
                str(value)
                for name in _RECIPIENT_HEADERS
                for value in (headers.get_all(name) or [])
            )
        except Exception:  # noqa: BLE001 - then look for the bare address
            recipients = raw[:65536].decode("ascii", "replace")
        recipients = recipients.replace("\x00", "")
        return (
            alias_email.lower()
            in {address.lower() for address in email_normalize_all(recipients)}
            or alias_email.lower() in recipients.lower()
        )

    @api.model
    def _octowatch_store_unreadable(self, raw, error):
        """Store an email that Odoo can't process as a Needs Review request with
        the original attached; returns the request's id."""
        _logger.warning(
            "Channel alias email stored raw for review: %s: %s",
            type(error).__name__,
            error,
            exc_info=error,
        )
        return self.env["octowatch.channel.request"]._octowatch_create_unreadable(
            raw, error
        )

    def message_parse(self, message, save_original=False):
        """No NUL in what Odoo stores of an email of the channel alias (it can come
        from an encoded header or body as well as from the raw bytes)."""
        msg_dict = super().message_parse(message, save_original=save_original)
        if self.env.context.get("octowatch_strip_nul"):
            for key, value in list(msg_dict.items()):
                msg_dict[key] = _strip_nul(value)
        return msg_dict

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        """Hand what the headers say (automatic email, trusted sender) to the
        models the email goes to, through the context."""
        company = self.env.company
        info = {
            "automatic": mail_headers.automatic_kind(message),
            "trusted": mail_headers.is_trusted(
                message, company.octowatch_trusted_authserv_id
            ),
            "repairs": list(self.env.context.get("octowatch_mail_repairs") or ()),
        }
        return super(
            MailThread, self.with_context(**{HEADERS_CONTEXT_KEY: info})
        )._message_route_process(message, message_dict, routes)
