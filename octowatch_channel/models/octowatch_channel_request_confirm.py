# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import psycopg2.errors

from odoo import Command, models
from odoo.exceptions import UserError, ValidationError

from .res_partner import normalize_account_email


class OctowatchChannelRequest(models.Model):
    """What a confirmed channel request makes, one handler a kind of request (the
    ``confirm`` of its entry in :mod:`.channel_request_types`): a quotation, a deal
    registration or an attached end customer. The service's is in
    ``octowatch_channel_request_service``."""

    _inherit = "octowatch.channel.request"

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
        customer = Partner._octowatch_find_end_customer(
            self.company_id, account_email=email
        )
        tin = self._octowatch_valid_tin()
        # Whoever holds the TIN, a Partner or an Agent too, is not made again.
        if (
            not customer
            and tin
            and Partner._octowatch_find_end_customer(
                self.company_id, tin=tin, include_channel=True
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
            self.write({"state": "rejected", "rejection_reason": deal.rejection_reason})
        else:
            self.write({"state": "done"})
        return deal

    def _confirm_attribution(self):
        """Attach the end customer to the requester, first come first served."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        owner = self.requester_id.commercial_partner_id
        customer = Partner._octowatch_find_end_customer(
            self.company_id,
            tin=self._octowatch_valid_tin(),
            account_email=normalize_account_email(self.account_email),
        )
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
