# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The portal home page's tiles and counters, and what every OctoWatch portal page
shares: the user's commercial entity, the licences for sale and one access policy.

The access policy, as Odoo's own portal pages have it:

- a record the user may not read (someone else's, or none at all) sends the user
  back to ``/my``, whatever the page or action (:meth:`_octowatch_readable_record`);
- a page of a role the user hasn't (a list of deals for a Partner) sends it back
  to ``/my`` too (:meth:`_octowatch_role_page`);
- a form the user's role may never use is forbidden: 403
  (:meth:`_octowatch_check_form_role`).
"""

from werkzeug.exceptions import Forbidden

from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

REFUSED_URL = "/my"


class OctowatchPortal(CustomerPortal):
    """The base of the addon's portal controllers."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        commercial = self._octowatch_commercial_partner()
        role = self._octowatch_role()
        if not counters:
            # The home page itself, not /my/counters: the browser takes every key
            # answered there for a counter of the page and fails on any other.
            values["octowatch_is_agent"] = role == "agent"
        counts = {
            "octowatch_deal_count": lambda: self._octowatch_count(
                "octowatch.deal.registration", [("agent_id", "=", commercial.id)]
            ),
            "channel_request_count": lambda: self._octowatch_count(
                "octowatch.channel.request",
                [("channel_partner_id", "=", commercial.id)],
            ),
            "octowatch_commission_count": lambda: self._octowatch_count(
                "octowatch.commission.line", []
            ),
            # An agent's tile counts its own account's licences, not its clients'.
            # Counted from the balances the ledger keeps, not entry by entry.
            "octowatch_license_count": lambda: request.env[
                "octowatch.license.balance"
            ]._octowatch_entry_count(
                [("end_customer_id", "=", commercial.id)] if role == "agent" else []
            ),
            # A Partner counts its own clients: the domain is fixed to its entity.
            "octowatch_client_count": lambda: (
                request.env["res.partner"]
                .sudo()
                .search_count(commercial._octowatch_clients_domain())
                if role == "partner"
                else 0
            ),
            "octowatch_price_count": lambda: (
                len(self._octowatch_sellable_licenses()) if role == "partner" else 0
            ),
        }
        if role == "agent":
            # An agent's "Your Invoices" are only its own purchases: what it may
            # read of its customers' invoices is shown on its deals, read-only.
            counts["invoice_count"] = lambda: self._octowatch_count(
                "account.move",
                Domain(self._get_invoices_domain("out"))
                & Domain("commercial_partner_id", "=", commercial.id),
            )
        for key, count in counts.items():
            if key in counters:
                values[key] = count()
        return values

    @staticmethod
    def _octowatch_count(model_name, domain):
        """How many records of ``domain`` the user may read (its record rules)."""
        Model = request.env[model_name]
        return Model.search_count(domain) if Model.has_access("read") else 0

    def _octowatch_commercial_partner(self):
        """The commercial entity (company) of the current user: its Partner, Agent
        or end customer."""
        return request.env.user.partner_id.commercial_partner_id

    def _octowatch_role(self):
        """The OctoWatch role of the user's commercial entity, or ``False``."""
        # The user's own commercial entity: reading its role reveals nothing.
        return self._octowatch_commercial_partner().sudo().octowatch_role

    def _octowatch_sellable_licenses(self):
        """The licence products of the website's company, for the forms and the
        price pages."""
        # Portal and public users may not read products: the published catalogue
        # of the current company only (names, codes, prices) is shown.
        return (
            request.env["product.product"]
            .sudo()
            ._octowatch_sellable_licenses(request.env.company)
        )

    def _octowatch_readable_record(self, model_name, record_id):
        """The record as sudo when the user may read it, else ``None``: the caller
        then sends the user back with :meth:`_octowatch_refuse_record`."""
        try:
            return self._document_check_access(model_name, record_id)
        except (AccessError, MissingError):
            return None

    def _octowatch_refuse_record(self):
        """Someone else's record looks the same as no record at all: back home."""
        return request.redirect(REFUSED_URL)

    def _octowatch_role_page(self, roles):
        """``None`` when the user's role is one of ``roles``, else the redirection
        back home, for a list page of another role."""
        if self._octowatch_role() in roles:
            return None
        return request.redirect(REFUSED_URL)

    def _octowatch_check_form_role(self, roles):
        """:raise Forbidden: the user's role may never use this form."""
        if self._octowatch_role() not in roles:
            raise Forbidden()
