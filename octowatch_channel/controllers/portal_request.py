# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.fields import Domain
from odoo.http import request

from ..models import channel_request_types
from ..models.res_partner import normalize_account_email
from .portal_home import OctowatchPortal
from .portal_search import (
    Searchbar,
    record_pager,
    remember_listing,
    searchbar_inputs,
)

REQUESTS_HISTORY = "my_octowatch_channel_requests_history"


class OctowatchChannelRequestPortal(OctowatchPortal):
    def _octowatch_request_domain(self):
        commercial = self._octowatch_commercial_partner()
        return [("channel_partner_id", "=", commercial.id)]

    @http.route(
        ["/my/channel-requests", "/my/channel-requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_channel_requests(
        self,
        page=1,
        sortby=None,
        filterby=None,
        search=None,
        search_in="all",
        submitted=None,
        **kw,
    ):
        if refused := self._octowatch_role_page(("partner", "agent")):
            return refused
        Request = request.env["octowatch.channel.request"]
        searchbar = Searchbar(
            self._octowatch_request_sortings(),
            sortby,
            searchbar_inputs(
                name=(request.env._("Search in Reference"), ["name"]),
                subject=(request.env._("Search in Subject"), ["subject"]),
                customer=(
                    request.env._("Search in Customer"),
                    ["end_customer_id.name", "company_name", "account_email", "tin"],
                ),
            ),
            search_in,
            search,
            filters=self._octowatch_request_filters(),
            filterby=filterby,
        )
        requests, pager = searchbar.page(
            Request,
            "/my/channel-requests",
            page,
            self._items_per_page,
            domain=Domain(self._octowatch_request_domain()),
        )
        remember_listing(REQUESTS_HISTORY, requests)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "channel_requests": requests,
                # Portal users can't read products: the requests are theirs (read
                # above under their rules) and only the version names are shown.
                "version_names": {
                    channel_request.id: channel_request.product_id.name
                    for channel_request in requests.sudo()
                },
                # The clients, as far as each requester may see them.
                "client_names": requests._octowatch_portal_client_names(),
                "pager": pager,
                "page_name": "channel_requests",
                "default_url": "/my/channel-requests",
                **searchbar.values(),
                "octowatch_role": self._octowatch_role(),
                "submitted": submitted,
            }
        )
        return request.render("octowatch_channel.portal_my_channel_requests", values)

    def _octowatch_request_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "create_date desc, id desc",
            },
            "state": {"label": request.env._("Status"), "order": "state, id desc"},
            "type": {"label": request.env._("Type"), "order": "request_type, id desc"},
        }

    def _octowatch_request_filters(self):
        Request = request.env["octowatch.channel.request"]
        filters = {
            "all": {"label": request.env._("All"), "domain": Domain.TRUE},
            "waiting": {
                "label": request.env._("Waiting for Kolibri"),
                "domain": Domain("state", "in", ("new", "needs_review")),
            },
        }
        for kind, label in Request._fields["request_type"]._description_selection(
            request.env
        ):
            filters[kind] = {
                "label": label,
                "domain": Domain("request_type", "=", kind),
            }
        return filters

    @http.route(
        "/my/channel-requests/new",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_channel_request_new(self, **post):
        form_type = post.pop("type", "invoice")
        form_rules = channel_request_types.portal_form(form_type)
        # Partners request invoices, Agents register deals, both ask services.
        self._octowatch_check_form_role(form_rules.roles if form_rules else ())
        if form_type == "deal":
            # One form registers a deal: the deals' own, whose labels it keeps.
            return request.redirect("/my/deals/new")
        errors, form = {}, {}
        if request.httprequest.method == "POST":
            vals, errors, form = self._octowatch_read_form(form_type, post)
            if not errors:
                new_request = self._octowatch_submit_request(vals)
                return request.redirect(
                    f"/my/channel-requests?submitted={new_request.name}"
                )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_request_new",
                "form_type": form_type,
                "form": form,
                "errors": errors,
                "products": self._octowatch_sellable_licenses(),
                "payment_methods": request.env["octowatch.channel.request"]
                ._fields["payment_method"]
                ._description_selection(request.env),
                "service_kinds": request.env["octowatch.channel.request"]
                ._fields["service_kind"]
                ._description_selection(request.env),
                "clients": self._octowatch_own_clients()
                if form_rules and "end_customer_id" in form_rules.form_fields
                else [],
            }
        )
        return request.render("octowatch_channel.portal_channel_request_form", values)

    def _octowatch_submit_request(self, vals):
        """The request of the form's values (read by :meth:`_octowatch_read_form`
        and free of problems), processed as an emailed one: as sudo."""
        # The portal user can't create requests: the values are its own, read and
        # checked by the form, and the requester is forced to the user.
        return (
            request.env["octowatch.channel.request"]
            .sudo()
            ._octowatch_create_from_portal(vals)
        )

    def _octowatch_own_clients(self):
        """``[(id, name)]`` of the clients of the user's Partner or Agent: the only
        end customers it may ask a service for."""
        commercial = self._octowatch_commercial_partner()
        # Portal users can't read contacts; only the user's own clients are listed.
        clients = (
            request.env["res.partner"]
            .sudo()
            .search(commercial._octowatch_clients_domain(), order="name")
        )
        return [(client.id, client.name) for client in clients]

    @http.route(
        "/my/channel-requests/<int:request_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_channel_request_page(self, request_id, **kw):
        """One request of the user's company: its state and, for a service, its
        kind, client, planned date and responsible. Someone else's: back home."""
        # Checked against the record rules; returned as sudo so that the names of the
        # version, the client and the responsible, which portal users can't read,
        # can be shown on the requester's own request.
        shown = self._octowatch_readable_record("octowatch.channel.request", request_id)
        if not shown:
            return self._octowatch_refuse_record()
        channel_request = request.env["octowatch.channel.request"].browse(request_id)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "channel_request": channel_request,
                "version_name": shown.product_id.name,
                "client_name": channel_request._octowatch_portal_client_names()[
                    channel_request.id
                ],
                "responsible_name": shown.user_id.name,
                "requester_name": shown.requester_id.name,
                "service_kind_label": shown._octowatch_service_kind_label(),
                "documents": self._octowatch_request_documents(shown),
                "page_name": "channel_request",
                **record_pager(
                    REQUESTS_HISTORY, channel_request, "/my/channel-requests/%s"
                ),
            }
        )
        return request.render("octowatch_channel.portal_channel_request_page", values)

    def _octowatch_request_documents(self, shown):
        """``[{label, name, url, status}]``: the quotation of the request and its
        issued invoices, when they are the user's company's own documents. A draft
        quotation is not shown on the portal yet: it is named, without a link."""
        commercial = self._octowatch_commercial_partner()
        order = shown.sale_order_id
        if not order or order.partner_id.commercial_partner_id != commercial:
            return []
        env = request.env
        states = dict(order._fields["state"]._description_selection(env))
        documents = [
            {
                "label": env._("Sales Order")
                if order.state == "sale"
                else env._("Quotation"),
                "name": order.name,
                "url": order.get_portal_url() if order.state != "draft" else False,
                "status": env._("Being prepared")
                if order.state == "draft"
                else states[order.state],
            }
        ]
        Move = env["account.move"]
        payment_states = dict(Move._fields["payment_state"]._description_selection(env))
        for move in order.invoice_ids.filtered(lambda m: m.state == "posted"):
            documents.append(
                {
                    "label": env._("Invoice")
                    if move.move_type == "out_invoice"
                    else env._("Credit Note"),
                    "name": move.name,
                    "url": move.get_portal_url(),
                    "status": payment_states.get(move.payment_state, ""),
                }
            )
        return documents

    def _octowatch_read_form(self, form_type, post):
        """``(vals, errors, form)``: the request values, field -> error and the posted
        text to fill the form again."""
        form = {
            key: (post.get(key) or "").strip()
            for key in (
                *channel_request_types.REQUEST_TYPES[form_type].form_fields,
                "description",
            )
        }
        errors = {}
        vals = {
            "request_type": form_type,
            "requester_id": request.env.user.partner_id.id,
            "company_id": request.env.company.id,
            "description": form["description"] or False,
        }
        # Portal users only read requests: the request is created as sudo with the
        # requester and company fixed above to the user's own, after the form checks.
        Request = request.env["octowatch.channel.request"].sudo()
        for key in (
            "account_email",
            "tin",
            "company_name",
            "contact_name",
            "contact_email",
            "contact_phone",
        ):
            if key in form:
                vals[key] = form[key] or False
        if form.get("account_email"):
            vals["account_email"] = (
                normalize_account_email(form["account_email"]) or form["account_email"]
            )
        if form.get("product_id"):
            product = self._octowatch_sellable_licenses().filtered(
                lambda p: str(p.id) == form["product_id"]
            )
            if product:
                vals["product_id"] = product.id
            else:
                errors["product_id"] = request.env._("Choose the OctoWatch version.")
        if form.get("license_qty"):
            quantity, problem = Request._octowatch_read_license_qty(form["license_qty"])
            if problem:
                errors["license_qty"] = problem
            else:
                # Out of range or over the maximum: the model's checks say so.
                vals["license_qty"] = quantity
        if form.get("resale_price_unit"):
            price, problem = Request._octowatch_read_price(form["resale_price_unit"])
            if problem:
                errors["resale_price_unit"] = problem
            else:
                vals["resale_price_unit"] = price
        # An invoice is for one of the Partner's clients or for a new client.
        optional_client = form_type == "invoice" and not form.get("end_customer_id")
        if "end_customer_id" in form and not optional_client:
            client_ids = {
                str(client_id) for client_id, _name in self._octowatch_own_clients()
            }
            if form["end_customer_id"] in client_ids:
                vals["end_customer_id"] = int(form["end_customer_id"])
            else:
                errors["end_customer_id"] = request.env._("Choose one of your clients.")
        choices = {
            "service_kind": request.env._("Choose a service."),
            "payment_method": request.env._("Choose a payment method."),
        }
        for field, message in choices.items():
            if field not in form:
                continue
            if form[field] in dict(Request._fields[field].selection):
                vals[field] = form[field]
            else:
                errors[field] = message
        # The same checks as staff and the email gateway apply: one rule set. What
        # staff can't confirm without, the form asks for at once.
        new_request = Request.new(vals)
        problems = new_request._get_problems()
        problems.update(new_request._octowatch_confirm_problems())
        for field, message in problems.items():
            errors.setdefault(field, message)
        return vals, errors, form
