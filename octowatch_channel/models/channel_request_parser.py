# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reading a channel request out of the text of an email.

Plain functions without database access, so that any text can be fed to them (the
property-based test does): they never raise on their input and return raw strings that
the model then validates (version, TIN, email, licence count).

Partners and agents write "Label: value" lines, in English or Russian, in plain text or
HTML, often as a reply above the quoted previous message or under a forwarded one. The
quoted part of a reply is never read (it holds the values of an older request); the
body of a forwarded message is read only for the fields that the sender's own text does
not give.
"""

import re
import unicodedata

from lxml import etree

from odoo.tools import html2plaintext

FIELDS = (
    "account_email",
    "version",
    "license_qty",
    "payment_method",
    "tin",
    "company_name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "resale_price",
)

# Label (normalised: lower case, single spaces, "ё" as "е") -> (field, priority). A
# specific label beats a generic one wherever it stands, so that the "E-mail:" of a
# signature never replaces the "Account email:" of the request.
_SPECIFIC, _GENERIC = 2, 1
LABELS = {
    # account email
    "account email": ("account_email", _SPECIFIC),
    "account e-mail": ("account_email", _SPECIFIC),
    "octowatch account": ("account_email", _SPECIFIC),
    "client email": ("account_email", _SPECIFIC),
    "customer email": ("account_email", _SPECIFIC),
    "email аккаунта": ("account_email", _SPECIFIC),
    "e-mail аккаунта": ("account_email", _SPECIFIC),
    "почта аккаунта": ("account_email", _SPECIFIC),
    "аккаунт": ("account_email", _SPECIFIC),
    "email клиента": ("account_email", _SPECIFIC),
    "e-mail клиента": ("account_email", _SPECIFIC),
    "email": ("account_email", _GENERIC),
    "e-mail": ("account_email", _GENERIC),
    "почта": ("account_email", _GENERIC),
    "электронная почта": ("account_email", _GENERIC),
    # version
    "version": ("version", _SPECIFIC),
    "edition": ("version", _SPECIFIC),
    "octowatch version": ("version", _SPECIFIC),
    "версия": ("version", _SPECIFIC),
    "редакция": ("version", _SPECIFIC),
    "product": ("version", _GENERIC),
    "продукт": ("version", _GENERIC),
    # licence count
    "licenses": ("license_qty", _SPECIFIC),
    "licences": ("license_qty", _SPECIFIC),
    "license count": ("license_qty", _SPECIFIC),
    "licence count": ("license_qty", _SPECIFIC),
    "number of licenses": ("license_qty", _SPECIFIC),
    "number of licences": ("license_qty", _SPECIFIC),
    "количество лицензий": ("license_qty", _SPECIFIC),
    "кол-во лицензий": ("license_qty", _SPECIFIC),
    "лицензий": ("license_qty", _SPECIFIC),
    "лицензии": ("license_qty", _SPECIFIC),
    "кол-во": ("license_qty", _GENERIC),
    "количество": ("license_qty", _GENERIC),
    "quantity": ("license_qty", _GENERIC),
    "qty": ("license_qty", _GENERIC),
    # payment method
    "payment method": ("payment_method", _SPECIFIC),
    "payment": ("payment_method", _GENERIC),
    "способ оплаты": ("payment_method", _SPECIFIC),
    "оплата": ("payment_method", _GENERIC),
    # TIN
    "tin": ("tin", _SPECIFIC),
    "inn": ("tin", _SPECIFIC),
    "инн": ("tin", _SPECIFIC),
    "инн клиента": ("tin", _SPECIFIC),
    "customer tin": ("tin", _SPECIFIC),
    "client tin": ("tin", _SPECIFIC),
    # company
    "company": ("company_name", _SPECIFIC),
    "company name": ("company_name", _SPECIFIC),
    "customer": ("company_name", _GENERIC),
    "client": ("company_name", _GENERIC),
    "компания": ("company_name", _SPECIFIC),
    "наименование": ("company_name", _SPECIFIC),
    "название компании": ("company_name", _SPECIFIC),
    "организация": ("company_name", _SPECIFIC),
    "клиент": ("company_name", _GENERIC),
    # the person to address at the customer
    "contact": ("contact_name", _SPECIFIC),
    "contact name": ("contact_name", _SPECIFIC),
    "contact person": ("contact_name", _SPECIFIC),
    "контакт": ("contact_name", _SPECIFIC),
    "контактное лицо": ("contact_name", _SPECIFIC),
    "контактное лицо клиента": ("contact_name", _SPECIFIC),
    "contact email": ("contact_email", _SPECIFIC),
    "contact e-mail": ("contact_email", _SPECIFIC),
    "email контакта": ("contact_email", _SPECIFIC),
    "e-mail контакта": ("contact_email", _SPECIFIC),
    "email контактного лица": ("contact_email", _SPECIFIC),
    "e-mail контактного лица": ("contact_email", _SPECIFIC),
    "почта контактного лица": ("contact_email", _SPECIFIC),
    "контактный email": ("contact_email", _SPECIFIC),
    "контактный e-mail": ("contact_email", _SPECIFIC),
    "contact phone": ("contact_phone", _SPECIFIC),
    "телефон контакта": ("contact_phone", _SPECIFIC),
    "телефон контактного лица": ("contact_phone", _SPECIFIC),
    "контактный телефон": ("contact_phone", _SPECIFIC),
    # resale price per licence
    "resale price": ("resale_price", _SPECIFIC),
    "resale price per licence": ("resale_price", _SPECIFIC),
    "resale price per license": ("resale_price", _SPECIFIC),
    "price for the client": ("resale_price", _SPECIFIC),
    "client price": ("resale_price", _SPECIFIC),
    "цена перепродажи": ("resale_price", _SPECIFIC),
    "цена для клиента": ("resale_price", _SPECIFIC),
    "цена клиенту": ("resale_price", _SPECIFIC),
    "цена за лицензию": ("resale_price", _SPECIFIC),
    "цена продажи": ("resale_price", _SPECIFIC),
    "price": ("resale_price", _GENERIC),
    "цена": ("resale_price", _GENERIC),
}

PAYMENT_METHODS = (
    ("bank_transfer", re.compile(r"bank|transfer|wire|invoice|безнал|перевод|сч[её]т")),
    ("card", re.compile(r"card|visa|mastercard|мир\b|карт")),
    ("online", re.compile(r"online|онлайн|сбп|sbp|qr")),
)

SERVICE_KINDS = (
    ("support", re.compile(r"\bsupport\b|поддержк")),
    ("presentation", re.compile(r"\bpresentation\b|презентац")),
    ("webinar", re.compile(r"\bwebinar\b|вебинар")),
    ("modification", re.compile(r"\bmodification\b|доработк")),
)
ATTRIBUTION_SUBJECT = re.compile(r"\battach\w*|\battribution\b|закреп\w*")
ATTRIBUTION_BODY = re.compile(r"\battribution\b|закрепить|закрепление")

# Where the sender's own text ends: what follows is a quoted reply or a signature.
_REPLY_MARKERS = re.compile(
    r"^(?:"
    r"-{2,}\s*original message\s*-{2,}"
    r"|-{2,}\s*исходное сообщение\s*-{2,}"
    r"|_{10,}"
    r"|.*\b(?:wrote|пишет|написал|написала|написал\(а\)):"
    r"|.*<[^<>\s]+@[^<>\s]+>:"
    r"|--"
    r"|отправлено с .*|sent from my .*"
    r"|(?:с уважением|best regards|kind regards|regards)[,.!]?"
    r")$",
)
_FORWARD_MARKERS = re.compile(
    r"^-{2,}\s*(?:forwarded message|пересылаемое сообщение|"
    r"начало переадресованного сообщения)\s*-{0,}$|^begin forwarded message:$"
)
# Header lines of a quoted or forwarded message: never labels.
_HEADER_LABELS = {
    "from",
    "sent",
    "date",
    "to",
    "cc",
    "subject",
    "reply-to",
    "от",
    "отправлено",
    "дата",
    "кому",
    "копия",
    "тема",
}
_REPLY_HEADER_FIRST = {"from", "от"}
_REPLY_HEADER_NEXT = {
    "sent",
    "date",
    "to",
    "subject",
    "отправлено",
    "дата",
    "кому",
    "тема",
}

_LABEL_DECORATION = re.compile(r"^[\s*_/\-•·–—>#\d.)(]*|[\s*_/]*$")
_PARENTHESES = re.compile(r"\([^)]*\)")
_FOOTNOTE = re.compile(r"\s*\[\d+\]")
_SPACES = re.compile(r"\s+")
_QUOTE_XPATH = (
    "//blockquote | //*[@data-o-mail-quote] | //*[contains(@class, 'gmail_quote')]"
    " | //*[@id='divRplyFwdMsg'] | //*[contains(@class, 'moz-cite-prefix')]"
)
# What XML can't hold and PostgreSQL can't store: never part of a real request.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLOCK_TAGS = ("div", "p", "tr", "li", "table", "h1", "h2", "h3", "h4", "pre", "br")


def html_to_text(html, keep_quotes=False):
    """Plain text of an HTML body, one line per block, quotes dropped unless asked."""
    html = CONTROL_CHARACTERS.sub("", html or "")
    if not html.strip():
        return ""
    try:
        tree = etree.fromstring(html, parser=etree.HTMLParser())
    except (etree.LxmlError, ValueError):
        # Not even broken HTML: read it as the text it is.
        return html
    if tree is None:
        return html
    if not keep_quotes:
        for element in tree.xpath(_QUOTE_XPATH):
            parent = element.getparent()
            if parent is not None:
                tail = element.tail
                parent.remove(element)
                _append_text(parent, tail)
    # html2plaintext only breaks lines at <p>, <br> and <tr>: mark every block end so
    # that a table cell or a <div> line never runs into the next one.
    for element in tree.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return html2plaintext(
        etree.tostring(tree, encoding="unicode"), include_references=False
    )


def _append_text(parent, text):
    if not text:
        return
    children = list(parent)
    if children:
        children[-1].tail = (children[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def normalize_label(label):
    label = _PARENTHESES.sub(" ", label)
    label = _LABEL_DECORATION.sub("", label)
    label = _SPACES.sub(" ", label).strip().lower().replace("ё", "е")
    return label


# Quotes that wrap a whole value; a quote inside it (ООО «Гамма») is part of it.
_WRAPPING_QUOTES = (("«", "»"), ('"', '"'), ("'", "'"), ("“", "”"), ("„", "“"))


def clean_value(value):
    value = _FOOTNOTE.sub("", value).strip().strip("*_/").strip()
    for opening, closing in _WRAPPING_QUOTES:
        if len(value) >= 2 and value[0] == opening and value[-1] == closing:
            inner = value[1:-1]
            # «Ромашка» is unwrapped; «Альфа» и «Бета» is two quoted names.
            if opening not in inner and closing not in inner:
                value = inner.strip()
            break
    return value


_DASH_SEPARATOR = re.compile(r"^(.{1,40}?)\s+[-–—=]\s+(.*)$")


def _split_label(line):
    """``(label, value)`` of a "Label: value" line, ``None`` when it is not one.

    "Label - value" is understood too, for known labels only.
    """
    label, sep, value = line.partition(":")
    if sep and len(label) <= 60:
        return normalize_label(label), value
    match = _DASH_SEPARATOR.match(line)
    if match and normalize_label(match.group(1)) in LABELS:
        return normalize_label(match.group(1)), match.group(2)
    return None


def _is_reply_header(lines, index):
    """Whether ``lines[index]`` opens an Outlook-style header block of a quote."""
    split = _split_label(lines[index])
    if not split or split[0] not in _REPLY_HEADER_FIRST:
        return False
    for following in lines[index + 1 : index + 4]:
        split = _split_label(following)
        if split and split[0] in _REPLY_HEADER_NEXT:
            return True
    return False


def own_text(text):
    """The sender's own lines: up to the first reply quote or signature, no "> " line.

    Returns ``(own_lines, forwarded_lines)``: the lines under a "Forwarded message"
    marker are given apart, header lines removed.
    """
    lines = [line.strip() for line in text.splitlines()]
    own, forwarded = [], []
    target = own
    for index, line in enumerate(lines):
        lowered = line.lower()
        if _FORWARD_MARKERS.match(lowered):
            target = forwarded
            continue
        if _REPLY_MARKERS.match(lowered) or (
            target is own and _is_reply_header(lines, index)
        ):
            break
        if line.startswith(">"):
            continue
        split = _split_label(line)
        if split and split[0] in _HEADER_LABELS:
            continue
        target.append(line)
    return own, forwarded


def extract_fields(lines):
    """Map each field to the raw value of its best label in ``lines``.

    The first line of the best priority wins. A label alone on its line takes its value
    from the next non-empty line unless that one is a label too.
    """
    found = {}
    for index, line in enumerate(lines):
        split = _split_label(line)
        if not split or split[0] not in LABELS:
            continue
        field, priority = LABELS[split[0]]
        value = clean_value(split[1])
        if not value:
            for following in lines[index + 1 : index + 3]:
                if not following:
                    continue
                next_split = _split_label(following)
                if not (next_split and next_split[0] in LABELS):
                    value = clean_value(following)
                break
        if not value:
            continue
        if field not in found or found[field][1] < priority:
            found[field] = (value, priority)
    return {field: value for field, (value, _priority) in found.items()}


def parse_body(subject, html):
    """Read a request out of an email.

    :param str subject: the subject of the email (may be empty)
    :param str html: the body as Odoo's gateway hands it (HTML, possibly a <pre/> of
        the plain-text part)
    :return: dict with ``fields`` (field -> raw string value, only those found),
        ``request_type`` (``attribution`` or ``service`` when a keyword says so, else
        ``False``), ``service_kind`` and ``text`` (the sender's own text).
    """
    subject = subject or ""
    text = html_to_text(html or "")
    own, forwarded = own_text(text)
    fields = extract_fields(forwarded)
    fields.update(extract_fields(own))
    if not forwarded:
        # Mail clients put a forwarded message in a quote block: read it there, only for
        # what the sender's own text leaves out.
        _own, quoted_forward = own_text(html_to_text(html or "", keep_quotes=True))
        fields = {**extract_fields(quoted_forward), **fields}
    own_text_value = "\n".join(own).strip()
    subject_lower = subject.lower()
    body_lower = own_text_value.lower()
    request_type, service_kind = False, False
    for kind, pattern in SERVICE_KINDS:
        if pattern.search(subject_lower):
            request_type, service_kind = "service", kind
            break
    if not request_type and (
        ATTRIBUTION_SUBJECT.search(subject_lower) or ATTRIBUTION_BODY.search(body_lower)
    ):
        request_type = "attribution"
    return {
        "fields": fields,
        "request_type": request_type,
        "service_kind": service_kind,
        "text": own_text_value,
    }


def parse_payment_method(value):
    """The payment method code a free text names, ``False`` when none."""
    lowered = (value or "").lower()
    for code, pattern in PAYMENT_METHODS:
        if pattern.search(lowered):
            return code
    return False


_MAX_DIGITS = 18
_NUMBER = re.compile(r"[-−–]?\s*\d[\d\s']*(?:[.,]\d+)*", re.ASCII)


def parse_quantity(value):
    """``(quantity, error)``: the whole number a text starts with.

    ``error`` is ``"not_a_number"`` or ``"not_whole"`` when there is none, and
    ``"too_large"`` for more than 18 digits (no licence count, and Python refuses to
    read thousands of digits); thousands separators (space, comma, apostrophe) are
    understood. As for a TIN, the text is normalised (NFKC: full-width digits,
    no-break spaces) and then only ASCII digits count: "٥٠" is no number.
    """
    value = unicodedata.normalize("NFKC", value or "")
    match = _NUMBER.search(value)
    if not match:
        return None, "not_a_number"
    raw = match.group(0)
    negative = raw.lstrip()[0] in "-−–"
    digits = re.sub(r"[-−–\s']", "", raw)
    groups = re.split(r"[.,]", digits)
    if len(groups) > 1:
        if all(len(group) == 3 for group in groups[1:]) and "," in digits:
            digits = "".join(groups)
        elif all(set(group) <= {"0"} for group in groups[1:]):
            digits = groups[0]
        else:
            return None, "not_whole"
    if not (digits.isascii() and digits.isdigit()):
        return None, "not_a_number"
    if len(digits) > _MAX_DIGITS:
        return None, "too_large"
    quantity = int(digits)
    return (-quantity if negative else quantity), None
