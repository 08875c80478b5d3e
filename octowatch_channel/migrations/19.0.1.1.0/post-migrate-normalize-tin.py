# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.1.0: every TIN in its one normalised form, one account email per customer.

From this version a TIN is normalised (Unicode NFKC, no separators nor ``RU``
prefix, ASCII digits only) before it is validated, stored, compared or searched.
Records stored before keep the form they were typed in (full-width digits passed
validation), so that the unique index of live deals saw two TINs where there is one:

- the TINs of Russian and channel contacts, of deals and of requests are rewritten
  in the normalised form (in SQL: the rows were valid when stored, and the ORM would
  re-validate unrelated fields);
- when two live deals of a company turn out to hold the same TIN, the first
  registered keeps it and the later ones are rejected, first come first served; a
  customer that a rejected deal had attached is released, and an internal note on
  the deal says why;
- the account emails are rewritten in their normalised form too (NFKC, no invisible
  character, lower case); end customers that share one in a company, which the new
  unique index refuses, are listed in the log and get an internal note: staff merge
  them, then update the module again to create the index.
"""

import logging

from odoo import SUPERUSER_ID, api

from odoo.addons.octowatch_channel.models.octowatch_deal_registration import (
    LIVE_STATES,
)
from odoo.addons.octowatch_channel.models.res_partner import (
    is_tin_digits,
    normalize_account_email,
    normalize_tin,
)

_logger = logging.getLogger(__name__)


def _rewrite(cr, table, column, rows):
    """Set ``column`` of each ``(id, value)`` of ``rows``, in one statement."""
    if not rows:
        return
    cr.execute(
        f'UPDATE "{table}" AS t SET "{column}" = v.value '
        "FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::varchar[]) AS value) AS v "
        "WHERE t.id = v.id",
        [[row_id for row_id, _value in rows], [value for _row_id, value in rows]],
    )
    _logger.info("%s.%s: %s values normalised", table, column, len(rows))


def _normalize_partners(env):
    cr = env.cr
    cr.execute(
        """
        SELECT p.id, p.vat
          FROM res_partner p
          LEFT JOIN res_country c ON c.id = p.country_id
         WHERE p.vat IS NOT NULL
           AND p.vat !~ '^[0-9]+$'
           AND (c.code = 'RU'
                OR (p.country_id IS NULL
                    AND (p.octowatch_role IS NOT NULL
                         OR p.octowatch_legal_form IS NOT NULL
                         OR p.octowatch_owner_id IS NOT NULL)))
        """
    )
    rows = []
    for partner_id, vat in cr.fetchall():
        tin = normalize_tin(vat)
        # Only what becomes a TIN: anything else stays for staff to correct.
        if is_tin_digits(tin) and tin != vat:
            rows.append((partner_id, tin))
    _rewrite(cr, "res_partner", "vat", rows)


def _normalize_requests(env):
    cr = env.cr
    cr.execute(
        "SELECT id, tin FROM octowatch_channel_request "
        "WHERE tin IS NOT NULL AND tin !~ '^[0-9]+$'"
    )
    rows = [
        (request_id, normalize_tin(tin))
        for request_id, tin in cr.fetchall()
        if normalize_tin(tin) and normalize_tin(tin) != tin
    ]
    _rewrite(cr, "octowatch_channel_request", "tin", rows)


def _normalize_deals(env):
    """Normalise the deals' TINs; a TIN held twice is kept by the first registered."""
    cr = env.cr
    cr.execute(
        "SELECT id, tin FROM octowatch_deal_registration "
        "WHERE tin IS NOT NULL AND tin !~ '^[0-9]+$'"
    )
    changed = {
        deal_id: normalize_tin(tin)
        for deal_id, tin in cr.fetchall()
        if is_tin_digits(normalize_tin(tin))
    }
    if not changed:
        return
    Deal = env["octowatch.deal.registration"].with_context(tracking_disable=True)
    touched = Deal.browse(list(changed))
    tins = set(changed.values()) | set(touched.mapped("tin"))
    live = Deal.search(
        [("tin", "in", list(tins)), ("state", "in", LIVE_STATES)],
        order="date_registered, id",
    )
    holders, losers = {}, Deal
    for deal in live:
        key = (deal.company_id.id, changed.get(deal.id, deal.tin))
        if key in holders:
            losers |= deal
        else:
            holders[key] = deal
    if losers:
        # Rejected before the TINs are rewritten, so that the unique index of live
        # deals never sees two of them.
        losers.write({"state": "rejected", "rejection_reason": Deal._reason_taken()})
        losers._release_customers()
        for deal in losers:
            winner = holders[(deal.company_id.id, changed.get(deal.id, deal.tin))]
            # An internal note, in the language of the update (there is no user).
            deal.message_post(
                body=(
                    "Rejected when the module was updated to 19.0.1.1.0: its TIN, "
                    f"written in another form, is the TIN of {winner.name}, registered "
                    "before it. Merge the two customers if they are one company."
                ),
                subtype_xmlid="mail.mt_note",
            )
        _logger.warning(
            "Deals rejected: their TIN was already held by an earlier live deal: %s",
            ", ".join(losers.mapped("name")),
        )
    env.flush_all()
    _rewrite(cr, "octowatch_deal_registration", "tin", list(changed.items()))
    Deal.invalidate_model(["tin"])


def _report_duplicate_accounts(env):
    """Normalise the end customers' account emails and report those held twice."""
    cr = env.cr
    cr.execute(
        "SELECT id, octowatch_account_email FROM res_partner "
        "WHERE octowatch_account_email IS NOT NULL"
    )
    rows = [
        (partner_id, normalize_account_email(email))
        for partner_id, email in cr.fetchall()
        if normalize_account_email(email) and normalize_account_email(email) != email
    ]
    _rewrite(cr, "res_partner", "octowatch_account_email", rows)
    env["res.partner"].invalidate_model(["octowatch_account_email"])
    cr.execute(
        """
        SELECT array_agg(id ORDER BY id)
          FROM res_partner
         WHERE octowatch_is_end_customer AND parent_id IS NULL
           AND octowatch_account_email IS NOT NULL
         GROUP BY COALESCE(company_id, 0), lower(octowatch_account_email)
        HAVING count(*) > 1
        """
    )
    for (partner_ids,) in cr.fetchall():
        partners = env["res.partner"].browse(partner_ids)
        _logger.warning(
            "End customers %s share the OctoWatch account email %s: merge them, then "
            "update octowatch_channel again to create its unique index.",
            partner_ids,
            partners[0].octowatch_account_email,
        )
        for partner in partners[1:]:
            partner.message_post(
                body=(
                    "This end customer has the OctoWatch account email of "
                    f"{partners[0].display_name}: one account email is one end "
                    "customer. Merge them."
                ),
                subtype_xmlid="mail.mt_note",
            )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _normalize_partners(env)
    _normalize_requests(env)
    _normalize_deals(env)
    _report_duplicate_accounts(env)
