# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the headers of an incoming email say about who sent it and why.

Plain functions without database access, fed with the headers of an email (any
mapping with ``get_all``, such as ``email.message.EmailMessage``): they never raise on
their input.

- :func:`automatic_kind` tells an automatic email (auto-reply, bounce, bulk) from one
  a person wrote, by the headers of RFC 3834 and the usual ones of mail servers: no
  acknowledgement is ever sent to an automatic email.
- :func:`is_trusted` tells whether the receiving mail server vouches for the
  ``From:`` of an email: its ``Authentication-Results`` header (RFC 8601) has
  ``dmarc=pass`` or a ``dkim=pass`` whose signing domain is aligned with the
  ``From:`` domain.
"""

import re
from email.utils import getaddresses

AUTO_REPLY = "auto_reply"
BOUNCE = "bounce"
BULK = "bulk"

# Precedence values that mean "no person wrote this" (RFC 2076; "auto_reply" is
# what some vacation programs write).
_AUTO_PRECEDENCE = {"bulk": BULK, "junk": BULK, "list": BULK, "auto_reply": AUTO_REPLY}
_BOUNCE_SENDERS = ("mailer-daemon", "postmaster")
_FALSE_VALUES = {"no", "false", "0", "off"}

# One "method=result" of a resinfo, with the properties that follow it.
_METHOD = re.compile(r"^\s*([a-z0-9_-]+)\s*=\s*([a-z0-9_-]+)", re.IGNORECASE)
_PROPERTY = re.compile(
    r"\b(header|smtp|body|policy)\.([a-z0-9_-]+)\s*=\s*\"?([^\s;\"]+)\"?", re.IGNORECASE
)
_COMMENT = re.compile(r"\((?:[^()\\]|\\.)*\)")


def _values(headers, name):
    try:
        found = headers.get_all(name) or []
    except Exception:  # noqa: BLE001 - a malformed header reads as absent
        return []
    return [str(value) for value in found]


def _first(headers, name):
    values = _values(headers, name)
    return values[0].strip() if values else ""


def address_domain(value):
    """The domain of the first address of a header value, lower case, or ``""``."""
    try:
        addresses = getaddresses([value or ""])
    except Exception:  # noqa: BLE001 - a malformed address has no domain
        return ""
    for _name, address in addresses:
        if "@" in address:
            return address.rsplit("@", 1)[1].strip().strip(">").lower().rstrip(".")
    return ""


def automatic_kind(headers):
    """``"auto_reply"``, ``"bounce"``, ``"bulk"`` or ``False`` (a person wrote it).

    - ``Auto-Submitted`` other than ``no`` (RFC 3834): auto-replied, auto-generated,
      auto-notified...;
    - ``Precedence: bulk / junk / list / auto_reply``;
    - ``X-Autoreply`` / ``X-Autorespond`` (any value but a "no");
    - ``Return-Path: <>`` (the null sender of bounces and auto-replies, RFC 3834
      section 3.3) and the ``MAILER-DAEMON`` / ``postmaster`` senders: a bounce.
    """
    from_local = ""
    for _name, address in getaddresses(_values(headers, "From")):
        from_local = address.split("@", 1)[0].lower()
        break
    if from_local in _BOUNCE_SENDERS:
        return BOUNCE
    return_paths = [value.strip() for value in _values(headers, "Return-Path")]
    if any(value.replace(" ", "") == "<>" for value in return_paths):
        return BOUNCE
    for value in return_paths:
        local = value.strip("<>").split("@", 1)[0].lower()
        if local in _BOUNCE_SENDERS:
            return BOUNCE
    for value in _values(headers, "Auto-Submitted"):
        keyword = value.split(";", 1)[0].strip().lower()
        if keyword and keyword != "no":
            return AUTO_REPLY
    for value in _values(headers, "Precedence"):
        kind = _AUTO_PRECEDENCE.get(value.strip().lower())
        if kind:
            return kind
    for name in ("X-Autoreply", "X-Autorespond"):
        values = _values(headers, name)
        if any(value.strip().lower() not in _FALSE_VALUES for value in values):
            return AUTO_REPLY
    return False


def parse_authentication_results(value):
    """``(authserv_id, [(method, result, {ptype.property: value})])`` of one
    ``Authentication-Results`` header value (RFC 8601), comments removed.

    A header that can't be read gives ``("", [])``.
    """
    text = value or ""
    for _round in range(5):  # nested comments
        stripped = _COMMENT.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    parts = [part.strip() for part in text.split(";")]
    if not parts or not parts[0]:
        return "", []
    # The authserv-id may be followed by a version number.
    authserv_id = parts[0].split()[0].lower().rstrip(".")
    results = []
    for part in parts[1:]:
        match = _METHOD.match(part)
        if not match:
            continue
        method, result = match.group(1).lower(), match.group(2).lower()
        properties = {
            f"{ptype.lower()}.{prop.lower()}": val.lower()
            for ptype, prop, val in _PROPERTY.findall(part[match.end() :])
        }
        results.append((method, result, properties))
    return authserv_id, results


def is_aligned(signing_domain, from_domain):
    """Relaxed (organizational) alignment: the same domain, or one a subdomain of
    the other (``mail.agent.example`` and ``agent.example``)."""
    signing = (signing_domain or "").lower().strip(".")
    sender = (from_domain or "").lower().strip(".")
    if not signing or not sender or "." not in signing or "." not in sender:
        return False
    return (
        signing == sender
        or sender.endswith("." + signing)
        or signing.endswith("." + sender)
    )


def trusted_results(headers, authserv_id):
    """The results of the topmost ``Authentication-Results`` header written by
    ``authserv_id``, or ``[]``.

    Headers of any other authserv-id are ignored: anyone can write them, the sender
    too. Of those naming the trusted server, only the topmost one counts: the
    receiving server adds its own above the headers the email came with (and a
    well-configured one removes the forged copies, RFC 8601 section 5).
    """
    wanted = (authserv_id or "").strip().lower().rstrip(".")
    if not wanted:
        return []
    for value in _values(headers, "Authentication-Results"):
        server, results = parse_authentication_results(value)
        if server == wanted:
            return results
    return []


def is_trusted(headers, authserv_id):
    """True when the server ``authserv_id`` vouches for the ``From:`` domain:
    ``dmarc=pass`` (for that domain when the header says which), or ``dkim=pass``
    with a signing domain (``header.d``) aligned with the ``From:`` domain."""
    from_domain = address_domain(_first(headers, "From"))
    if not from_domain:
        return False
    for method, result, properties in trusted_results(headers, authserv_id):
        if result != "pass":
            continue
        if method == "dmarc":
            checked = properties.get("header.from")
            if not checked or is_aligned(checked, from_domain):
                return True
        elif method == "dkim":
            signing = properties.get("header.d") or address_domain(
                properties.get("header.i", "")
            )
            if is_aligned(signing, from_domain):
                return True
    return False
