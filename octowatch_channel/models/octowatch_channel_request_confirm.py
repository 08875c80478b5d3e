# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a confirmed channel request makes: the handlers that the request-type table
names (``channel_request_types.REQUEST_TYPES[...].confirm``), with the invoice
request's checks of its client, resale price and channel conflicts."""

import psycopg2.errors

from odoo import Command, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from .res_partner import normalize_account_email


class OctowatchChannelRequest(models.Model):
    # The request is written by concern, one file each: the model, the handlers of
    # its types (this), its service workflow and its mail door; the OCA check asks
    # for one extension per model and addon, which would put them back in one file.
    _inherit = "octowatch.channel.request"  # pylint: disable=consider-merging-classes-inherited

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
        refusal = self._octowatch_channel_conflict(partner)
        end_customer = self.end_customer_id.commercial_partner_id
        if not refusal and not end_customer:
            end_customer, refusal = self.env[
                "res.partner"
            ]._octowatch_find_or_create_end_customer(
                partner,
                company,
                normalize_account_email(self.account_email),
                tin=self._octowatch_valid_tin(),
                name=self.company_name,
                reason=self.env._("invoice request %(request)s", request=self.name),
            )
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
                    "user_id": (self.user_id or company._octowatch_salesperson()).id,
                    **self._octowatch_payment_vals(),
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_id.id,
                                "product_uom_qty": self.license_qty,
                                "octowatch_end_customer_id": end_customer.id,
                                "octowatch_resale_price_unit": self.resale_price_unit,
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

    def _octowatch_invoice_client_problems(self):
        """Field -> problem of the client an invoice request names: one of the
        Partner's clients, or a new client by company name and account email (and
        TIN, checked with the others)."""
        self.ensure_one()
        if self.request_type != "invoice":
            return {}
        owner = self.requester_id.commercial_partner_id
        if self.end_customer_id:
            # Only the owner of the chosen customer is compared: a portal requester
            # can't read contacts.
            customer = self.end_customer_id.sudo().commercial_partner_id
            if customer.octowatch_owner_id != owner:
                return {
                    "end_customer_id": self.env._(
                        "Choose one of your clients: the client chosen is not a "
                        "client of %(owner)s.",
                        owner=owner.display_name or self.env._("the requester"),
                    )
                }
            return {}
        if not self.account_email:
            # One of the Partner's clients, or a new one: its account email first.
            return {
                "account_email": self.env._(
                    "%(field)s is missing.",
                    field=self._fields["account_email"]._description_string(self.env),
                )
            }
        if (
            not self.company_name
            and normalize_account_email(self.account_email)
            # What the database can't store is not searched for (its own problem).
            and not self._octowatch_input_problems(
                {"account_email": self.account_email, "tin": self.tin}
            )
            and not self._octowatch_find_any_client()
        ):
            return {
                "company_name": self.env._("Company Name of the new client is missing.")
            }
        return {}

    def _octowatch_find_any_client(self):
        """Whether an end customer has the account email or the TIN of the request
        (whoever owns it): then the client exists and needs no company name."""
        # Only whether one exists is used: the confirmation refuses the customer of
        # another intermediary with a reason that names nobody.
        return bool(
            self.env["res.partner"]
            .sudo()
            ._octowatch_find_end_customer(
                self.company_id or self.env.company,
                tin=self._octowatch_valid_tin(),
                account_email=normalize_account_email(self.account_email),
            )
        )

    def _octowatch_resale_floor(self):
        """``(floor, currency)``: the published price per licence of the request's
        version and quantity today, in the currency of the Partner's pricelist;
        ``(None, currency)`` when the company has no published price."""
        self.ensure_one()
        company = self.company_id or self.env.company
        partner = self.requester_id.commercial_partner_id
        # The pricelist and the published prices are read whoever asks: a portal
        # requester can't read pricelists, and only a price is returned.
        pricelist = (
            partner.sudo().with_company(company)._octowatch_partner_pricelist()
            if partner
            else self.env["product.pricelist"]
        )
        currency = pricelist.currency_id or company.currency_id
        key = "resale"
        floors = (
            self.env["product.pricelist"]
            .sudo()
            ._octowatch_floor_prices(
                [
                    (
                        key,
                        self.product_id.sudo(),
                        self.license_qty,
                        fields.Date.context_today(self),
                        currency,
                        company,
                    )
                ]
            )
        )
        return floors.get(key), currency

    def _octowatch_resale_price_problem(self):
        """Why the declared resale price can't be accepted, or False: below the
        published price per licence (a missing one is a missing field)."""
        self.ensure_one()
        if (
            self.request_type != "invoice"
            or not self.resale_price_unit
            or not self.product_id.octowatch_is_license
            or self.license_qty <= 0
        ):
            return False
        floor, currency = self._octowatch_resale_floor()
        price = self.resale_price_unit
        if floor is None or currency.compare_amounts(price, floor) >= 0:
            return False
        return self.env._(
            "The resale price per licence %(price)s is below the published price "
            "%(floor)s: OctoWatch is never sold below it.",
            price=format_amount(self.env, price, currency),
            floor=format_amount(self.env, floor, currency),
        )

    def _octowatch_channel_conflict(self, partner):
        """Why the invoice request of ``partner`` can't be sold, or False: its
        client's TIN is held by an Agent's live deal, or the client works with
        another intermediary. The reason names nobody: the requester reads it."""
        self.ensure_one()
        company = self.company_id
        # Deals and customers of other intermediaries are looked at, never shown:
        # only whether one exists decides.
        Deal = self.env["octowatch.deal.registration"].sudo()
        Partner = self.env["res.partner"].sudo()
        chosen = self.end_customer_id.sudo().commercial_partner_id
        tin = self._octowatch_valid_tin() or chosen.vat
        if tin and Deal._live_deal(company.id, tin):
            return self.env._(
                "Already registered: an Agent's deal is in progress for this TIN; "
                "this client is sold through that deal."
            )
        if tin and not chosen:
            return Partner._octowatch_find_end_customer(
                company, tin=tin, include_channel=True
            )._octowatch_refusal_for(partner)
        return False

    def _octowatch_payment_vals(self):
        """The quotation's values of the payment method: a bank transfer gets the
        bank-transfer payment term; card and online payment are paid on the portal
        (the immediate term of the Partner)."""
        self.ensure_one()
        if self.payment_method != "bank_transfer":
            return {}
        term = self.env.ref(
            "octowatch_channel.account_payment_term_bank_transfer",
            raise_if_not_found=False,
        )
        return {"payment_term_id": term.id} if term else {}

    def _octowatch_issued_invoices(self):
        """The invoices of the email being sent (``octowatch_invoices`` in the
        context), else every posted invoice of the request's quotation."""
        self.ensure_one()
        invoices = self.env.context.get("octowatch_invoices")
        if invoices is None:
            invoices = self.sale_order_id.invoice_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice"
            )
        return invoices

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
            contact={
                "contact_name": self.contact_name,
                "contact_email": self.contact_email,
                "contact_phone": self.contact_phone,
            },
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
