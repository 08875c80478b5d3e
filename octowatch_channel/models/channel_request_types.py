# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The kinds of channel request and their rules, written once.

The request model (its ``request_type`` selection, its checks and its confirmation),
the portal form and the email reader all read this table: a rule that varies by kind
of request is changed here and nowhere else. Plain Python, no database access.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestType:
    """The rules of one kind of channel request.

    :param code: the ``request_type`` value.
    :param label: the English label of the ``request_type`` selection; it is the
        translation source, shown translated through the selection.
    :param roles: the OctoWatch roles (``octowatch_role``) that may make it.
    :param required: the fields it can't be confirmed without.
    :param required_one_of: fields of which at least one is needed.
    :param required_to_confirm: fields that a request may arrive without (an email
        that forgets it is acknowledged with its reference) but that staff can't
        confirm it without; the portal form asks for them at once.
    :param confirm: the name of the request method that confirms it.
    :param form_fields: the fields of its portal form, ``None`` when the portal has
        no form for it.
    :param email_default_for: the roles whose emails are of this kind when the text
        names no kind.
    :param confirm_on_receipt: a valid request is confirmed when it is received,
        without waiting for staff (first come, first served).
    """

    code: str
    label: str
    roles: tuple
    required: tuple
    confirm: str
    required_one_of: tuple = ()
    required_to_confirm: tuple = ()
    form_fields: tuple | None = None
    email_default_for: tuple = ()
    confirm_on_receipt: bool = False


REQUEST_TYPES = {
    request_type.code: request_type
    for request_type in (
        RequestType(
            code="invoice",
            label="Invoice request",
            roles=("partner",),
            required=("product_id", "license_qty"),
            required_to_confirm=("resale_price_unit",),
            confirm="_confirm_invoice",
            form_fields=(
                "end_customer_id",
                "company_name",
                "tin",
                "account_email",
                "product_id",
                "license_qty",
                "resale_price_unit",
                "payment_method",
            ),
            email_default_for=("partner",),
        ),
        RequestType(
            code="deal",
            label="Deal registration",
            roles=("agent",),
            required=("tin", "company_name", "product_id", "license_qty"),
            confirm="_confirm_deal",
            form_fields=(
                "tin",
                "company_name",
                "contact_name",
                "contact_email",
                "contact_phone",
                "product_id",
                "license_qty",
            ),
            email_default_for=("agent",),
            confirm_on_receipt=True,
        ),
        RequestType(
            code="attribution",
            label="Attribution",
            roles=("partner", "agent"),
            required=(),
            required_one_of=("account_email", "tin"),
            confirm="_confirm_attribution",
        ),
        RequestType(
            code="service",
            label="Kolibri service",
            roles=("partner", "agent"),
            required=("service_kind",),
            confirm="_confirm_service",
            form_fields=("service_kind", "end_customer_id"),
        ),
    )
}

SELECTION = [(code, request_type.label) for code, request_type in REQUEST_TYPES.items()]


def portal_form(code):
    """The :class:`RequestType` of the portal form ``code``, or ``None`` when the
    portal has no such form."""
    request_type = REQUEST_TYPES.get(code)
    return request_type if request_type and request_type.form_fields else None


def email_default(role):
    """The kind of an email of a sender of ``role`` whose text names no kind, or
    ``None`` when no kind is the default for it."""
    for code, request_type in REQUEST_TYPES.items():
        if role and role in request_type.email_default_for:
            return code
    return None
