# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Cross-tenant matrix: every portal route and every model of the addon, read by
another tenant, by URL and by RPC, refused with nothing of the owner in the answer.

A new route or model fails ``test_matrix_lists_every_route_and_model`` until it is
listed in ``ROUTES`` or ``MODELS`` below.
"""

import inspect
import json
from urllib.parse import urlsplit

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.octowatch_channel import controllers

from .common import (
    TIN_GAMMA,
    TIN_NEW,
    TIN_NEW_2,
    TIN_PERSON_NEW,
    TIN_PERSON_SPARE,
    TIN_SPARE,
)
from .test_commission import CommissionCase

# route -> (URL to open, {record}); "{record}" is the id of the owner's record of
# the kind given second, None for pages that take no id.
ROUTES = {
    "/my/deals": ("/my/deals", None),
    "/my/deals/page/<int:page>": ("/my/deals/page/1", None),
    "/my/deals/<int:deal_id>": ("/my/deals/{record}", "deal"),
    "/my/deals/<int:deal_id>/request_invoice": (
        "/my/deals/{record}/request_invoice",
        "deal",
    ),
    "/my/deals/new": ("/my/deals/new", None),
    "/my/commissions": ("/my/commissions", None),
    "/my/commissions/page/<int:page>": ("/my/commissions/page/1", None),
    "/my/commissions/reports/<int:report_id>": (
        "/my/commissions/reports/{record}",
        "report",
    ),
    "/my/commissions/reports/<int:report_id>/accept": (
        "/my/commissions/reports/{record}/accept",
        "report",
    ),
    "/my/commissions/reports/<int:report_id>/object": (
        "/my/commissions/reports/{record}/object",
        "report",
    ),
    "/my/licenses": ("/my/licenses", None),
    "/my/licenses/page/<int:page>": ("/my/licenses/page/1", None),
    "/my/clients": ("/my/clients", None),
    "/my/clients/page/<int:page>": ("/my/clients/page/1", None),
    "/my/prices": ("/my/prices", None),
    "/octowatch/prices": ("/octowatch/prices", None),
    "/my/channel-requests": ("/my/channel-requests", None),
    "/my/channel-requests/page/<int:page>": ("/my/channel-requests/page/1", None),
    "/my/channel-requests/new": ("/my/channel-requests/new", None),
    "/my/channel-requests/<int:request_id>": (
        "/my/channel-requests/{record}",
        "request",
    ),
    # Anyone with the one-time link (the token is the credential).
    "/channel-requests/confirm/<string:token>": (
        "/channel-requests/confirm/not-a-token",
        None,
    ),
}

# route -> the roles whose pages (lists) or forms they are: another role's user is
# sent home from a page and forbidden a form (403). "" is an end customer.
ROLE_PAGES = {
    "/my/deals": ("agent",),
    "/my/deals/page/<int:page>": ("agent",),
    "/my/commissions": ("agent",),
    "/my/commissions/page/<int:page>": ("agent",),
    "/my/clients": ("partner",),
    "/my/clients/page/<int:page>": ("partner",),
    "/my/channel-requests": ("partner", "agent"),
    "/my/channel-requests/page/<int:page>": ("partner", "agent"),
}
ROLE_FORMS = {
    "/my/deals/new": ("agent",),
    # Its default form is the invoice request.
    "/my/channel-requests/new": ("partner",),
}

# model -> the record kind each tenant owns, or why there is none to read.
MODELS = {
    "octowatch.agency.agreement": "agreement",
    "octowatch.deal.registration": "deal",
    "octowatch.channel.request": "request",
    "octowatch.license": "license",
    "octowatch.license.balance": "balance",
    "octowatch.commission.line": "commission",
    "octowatch.agent.report": "report",
    # Back office only: portal users have no access at all.
    "octowatch.license.event": "back_office",
    # Abstract: no table, nothing to read.
    "mail.thread": "abstract",
    "octowatch.reference.mixin": "abstract",
    "octowatch.input.mixin": "abstract",
    "octowatch.notify.mixin": "abstract",
    "octowatch.price.floor.line": "abstract",
    "ir.qweb": "abstract",
    # Back-office wizards: portal users have no access at all.
    "octowatch.deal.register": "wizard",
    "octowatch.deal.extend": "wizard",
    "octowatch.deal.lose": "wizard",
    "octowatch.partner.attribute": "wizard",
    "octowatch.channel.request.reject": "wizard",
    "octowatch.channel.request.plan": "wizard",
    "octowatch.commission.settle": "wizard",
    "octowatch.price.floor.approve": "wizard",
    # Odoo models the addon extends, read through Odoo's own rules: the tenant's
    # company, its bills and its quotations are checked; the other extended models
    # hold no tenant data a portal user can reach.
    "res.partner": "partner",
    "account.move": "bill",
    "sale.order": "order",
    "account.move.line": "extended",
    "account.partial.reconcile": "extended",
    "product.pricelist": "extended",
    "product.product": "extended",
    "product.template": "extended",
    "res.company": "extended",
    "res.config.settings": "extended",
    "res.lang": "extended",
    "sale.order.line": "extended",
}


@tagged("post_install", "-at_install")
class TestCrossTenantMatrix(CommissionCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.partner_b = Partner.create(
            {
                "name": "Other Reseller LLC",
                "is_company": True,
                "country_id": cls.russia.id,
                "vat": TIN_SPARE,
                "email": "reseller-b@example.com",
                "octowatch_role": "partner",
                "octowatch_legal_form": "legal_entity",
            }
        )
        cls.partner_b_contact = Partner.create(
            {
                "name": "Other Reseller Contact",
                "parent_id": cls.partner_b.id,
                "email": "contact@reseller-b.example.com",
            }
        )
        cls.customer_delta = Partner.create(
            {
                "name": "Delta Client PJSC",
                "is_company": True,
                "country_id": cls.russia.id,
                "vat": TIN_NEW,
                "email": "it@delta.example.com",
                "octowatch_legal_form": "legal_entity",
                "octowatch_owner_id": cls.partner_b.id,
            }
        )
        cls.customer_delta_contact = Partner.create(
            {
                "name": "Delta Contact",
                "parent_id": cls.customer_delta.id,
                "email": "contact@delta.example.com",
            }
        )
        cls.portal_partner_b = cls._create_portal_user(
            cls.partner_b_contact, "ow_portal_partner_b"
        )
        cls.portal_client_b = cls._create_portal_user(
            cls.customer_delta_contact, "ow_portal_client_b"
        )
        agent_2_bank = cls.env["res.partner.bank"].create(
            {"partner_id": cls.agent_2.id, "acc_number": "40702810000000000002"}
        )
        agreement_2 = cls.env["octowatch.agency.agreement"].create(
            {
                "agent_id": cls.agent_2.id,
                "bank_account_id": agent_2_bank.id,
                "date_start": "2020-01-01",
                "commission_rate": 12.0,
            }
        )
        agreement_2.action_activate()

        # A tenant: its portal user, the strings that identify it and its records.
        cls.tenants = {}
        for key, user, family in (
            ("partner_a", cls.portal_partner, "partner_a"),
            ("customer_a", cls.portal_client, "partner_a"),
            ("partner_b", cls.portal_partner_b, "partner_b"),
            ("customer_b", cls.portal_client_b, "partner_b"),
            ("agent_a", cls.portal_agent, "agent_a"),
            ("agent_b", cls.portal_agent_2, "agent_b"),
        ):
            commercial = user.partner_id.commercial_partner_id
            cls.tenants[key] = {
                "user": user,
                # A partner rightly sees its own clients: tenants of one family
                # are not checked against each other.
                "family": family,
                "secrets": {commercial.name, commercial.vat, commercial.email},
                "records": {"partner": commercial},
            }
        for key, agent, agreement in (
            ("agent_a", cls.agent, cls.agreement),
            ("agent_b", cls.agent_2, agreement_2),
        ):
            tin, name, request_tin = {
                "agent_a": (TIN_GAMMA, "Matrix Prospect A LLC", TIN_PERSON_NEW),
                "agent_b": (TIN_NEW_2, "Matrix Prospect B LLC", TIN_PERSON_SPARE),
            }[key]
            deal, invoice = cls._deal_invoice(tin=tin, agent=agent, name=name)
            cls._register_payment(invoice, payment_date="2026-03-15")
            line = cls.Line.search([("move_id", "=", invoice.id)])
            wizard = cls.env["octowatch.commission.settle"].create(
                {"date_to": "2026-03-31", "agent_ids": [Command.set(agent.ids)]}
            )
            report = cls.Report.search(wizard.action_settle()["domain"])
            report._octowatch_accept()
            bill = report.bill_id
            request = cls._portal_request(
                cls.agent_contact if key == "agent_a" else cls.agent_2_contact,
                "deal",
                tin=request_tin,
                company_name=f"Requested by {key}",
            )
            cls.tenants[key]["records"].update(
                agreement=agreement,
                deal=deal,
                commission=line,
                report=report,
                bill=bill,
                order=deal.sale_order_id,
                request=request,
            )
            cls.tenants[key]["secrets"] |= {
                agreement.name,
                deal.name,
                deal.tin,
                deal.company_name,
                invoice.name,
                bill.name,
                report.name,
                request.name,
                request.company_name,
            }
        for key, contact, customer, email in (
            (
                "partner_a",
                cls.channel_partner_contact,
                cls.customer_alfa,
                "it@alfa.example.com",
            ),
            (
                "partner_b",
                cls.partner_b_contact,
                cls.customer_delta,
                "it@delta.example.com",
            ),
        ):
            invoice = cls._create_invoice_for(customer, [(cls.product_std, 3, 100.0)])
            invoice.action_post()
            cls._register_payment(invoice)
            licence = cls.env["octowatch.license"].search(
                [("end_customer_id", "=", customer.id)]
            )
            request = cls._portal_request(
                contact, "invoice", account_email=email, payment_method="card"
            )
            customer_key = key.replace("partner", "customer")
            balance = cls.env["octowatch.license.balance"].search(
                [("end_customer_id", "=", customer.id)]
            )
            cls.tenants[key]["records"].update(
                request=request, license=licence, balance=balance
            )
            cls.tenants[customer_key]["records"].update(
                license=licence, balance=balance
            )
            cls.tenants[key]["secrets"] |= {request.name, email}
            cls.tenants[customer_key]["secrets"] |= {
                customer.name,
                customer.vat,
                invoice.name,
            }

    @classmethod
    def _portal_request(cls, contact, request_type, **vals):
        return cls.env["octowatch.channel.request"].create(
            {
                "request_type": request_type,
                "source": "portal",
                "requester_id": contact.id,
                "product_id": cls.product_std.id,
                "license_qty": 5,
                **vals,
            }
        )

    def _pairs(self):
        """(viewer, owner) tenants of different families."""
        for viewer in self.tenants.values():
            for owner_key, owner in self.tenants.items():
                if viewer["family"] != owner["family"]:
                    yield viewer, owner_key, owner

    def _assert_nothing_of(self, owner_key, owner, text, where):
        for secret in filter(None, owner["secrets"]):
            self.assertNotIn(secret, text, f"{owner_key}'s {secret!r} in {where}")

    def test_tenants_have_their_records(self):
        """The matrix compares something: each tenant reads its own records."""
        for key, tenant in self.tenants.items():
            for kind, record in tenant["records"].items():
                if kind in ("bill", "partner", "order"):
                    continue
                with self.subTest(tenant=key, kind=kind):
                    self.assertTrue(record)
                    if kind == "agreement":
                        # Agreements are internal: not even the agent reads them.
                        self.assertFalse(
                            record.with_user(tenant["user"]).has_access("read")
                        )
                    else:
                        own = record.with_user(tenant["user"]).search(
                            [("id", "in", record.ids)]
                        )
                        self.assertEqual(own, record)

    def test_matrix_lists_every_route_and_model(self):
        routes = set()
        for _name, module in inspect.getmembers(controllers, inspect.ismodule):
            for _cls_name, cls in inspect.getmembers(module, inspect.isclass):
                if not cls.__module__.startswith(controllers.__name__):
                    continue
                for method in vars(cls).values():
                    routing = getattr(method, "original_routing", None)
                    if routing:
                        routes.update(routing["routes"])
        self.assertEqual(routes, set(ROUTES), "list new routes in ROUTES")
        # Every model the addon defines or extends has an ir.model xmlid of it.
        models = set(
            self.env["ir.model.data"]
            .search([("module", "=", "octowatch_channel"), ("model", "=", "ir.model")])
            .mapped(lambda data: self.env["ir.model"].browse(data.res_id).model)
        )
        self.assertEqual(models, set(MODELS), "list new models in MODELS")
        for model, kind in MODELS.items():
            Model = self.env[model]
            if kind == "abstract":
                self.assertTrue(Model._abstract, model)
            elif kind == "wizard":
                self.assertTrue(Model._transient, model)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_routes_refuse_other_tenants(self):
        for viewer, owner_key, owner in self._pairs():
            self.authenticate(viewer["user"].login, viewer["user"].login)
            for route, (url, kind) in ROUTES.items():
                if kind:
                    if kind not in owner["records"]:
                        continue
                    url = url.format(record=owner["records"][kind].id)
                where = f"{url} as {viewer['user'].login}"
                with self.subTest(
                    route=route, viewer=viewer["user"].login, owner=owner_key
                ):
                    if route.endswith(("request_invoice", "/accept", "/object")):
                        response = self.url_open(
                            url,
                            data={"csrf_token": self._csrf_token()},
                            allow_redirects=False,
                        )
                    else:
                        response = self.url_open(url, allow_redirects=False)
                    # One policy: another's record sends home, a page of another
                    # role too (or to its public twin), a form of another role is
                    # forbidden.
                    if kind:
                        self.assertEqual(response.status_code, 303, where)
                    else:
                        self.assertIn(response.status_code, (200, 303, 403), where)
                    if response.status_code == 303:
                        self.assertIn(
                            urlsplit(response.headers["Location"]).path,
                            ("/my", "/octowatch/prices") if not kind else ("/my",),
                            where,
                        )
                    self._assert_nothing_of(owner_key, owner, response.text, where)

    def test_routes_follow_one_policy_by_role(self):
        for key in ("partner_a", "customer_a", "agent_a"):
            tenant = self.tenants[key]
            user = tenant["user"]
            role = tenant["records"]["partner"].octowatch_role or ""
            self.authenticate(user.login, user.login)
            for route, roles in {**ROLE_PAGES, **ROLE_FORMS}.items():
                with self.subTest(route=route, viewer=user.login):
                    response = self.url_open(ROUTES[route][0], allow_redirects=False)
                    if role in roles:
                        self.assertEqual(response.status_code, 200)
                    elif route in ROLE_FORMS:
                        self.assertEqual(response.status_code, 403)
                    else:
                        self.assertEqual(response.status_code, 303)
                        self.assertEqual(
                            urlsplit(response.headers["Location"]).path, "/my"
                        )

    def _csrf_token(self):
        page = self.url_open("/my")
        return page.text.split('csrf_token: "', 1)[-1].split('"', 1)[0]

    def _call_kw(self, model, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json(), response.text

    @mute_logger(
        "odoo.http",
        "odoo.addons.base.models.ir_rule",
        "odoo.addons.base.models.ir_model",
    )
    def test_rpc_refuses_other_tenants(self):
        for viewer, owner_key, owner in self._pairs():
            self.authenticate(viewer["user"].login, viewer["user"].login)
            for model, kind in MODELS.items():
                if kind in ("abstract", "wizard", "extended"):
                    continue
                record = owner["records"].get(kind)
                if not record:
                    continue
                where = f"{model} #{record.id} as {viewer['user'].login}"
                with self.subTest(
                    model=model, viewer=viewer["user"].login, owner=owner_key
                ):
                    result, text = self._call_kw(
                        model,
                        "search_read",
                        [[("id", "in", record.ids)]],
                        {"fields": []},
                    )
                    self.assertFalse(result.get("result"), where)
                    self._assert_nothing_of(owner_key, owner, text, where)
                    result, text = self._call_kw(
                        model, "read", [record.ids], {"fields": []}
                    )
                    self.assertIn(
                        "AccessError",
                        result.get("error", {}).get("data", {}).get("name", ""),
                        where,
                    )
                    self._assert_nothing_of(owner_key, owner, text, where)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_model")
    def test_rpc_refuses_wizards_to_portal_users(self):
        """Wizards and back-office models: refused to every portal user."""
        for tenant in self.tenants.values():
            self.authenticate(tenant["user"].login, tenant["user"].login)
            for model, kind in MODELS.items():
                if kind not in ("wizard", "back_office"):
                    continue
                with self.subTest(model=model, viewer=tenant["user"].login):
                    result, _text = self._call_kw(
                        model, "search_read", [[]], {"fields": []}
                    )
                    self.assertIn(
                        "AccessError",
                        result.get("error", {}).get("data", {}).get("name", ""),
                        model,
                    )
