# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from .common import TIN_NEW, TIN_SPARE, DealCommon

NUL = "\x00"

# (form change, field, message): every bad input of the licence count.
BAD_COUNTS = [
    ("99999999999", "Licences 99999999999 is over the maximum of 10000 per request."),
    ("50000", "Licences 50000 is over the maximum of 10000 per request."),
    ("10001", "Licences 10001 is over the maximum of 10000 per request."),
    ("-5", "Licences must be a positive number, not -5."),
    ("many", "Licences &#34;many&#34; is not a whole number."),
    ("٥٠", "Licences &#34;٥٠&#34; is not a whole number."),
    ("9" * 5000, "is over the maximum of 10000 per request."),
]


@tagged("post_install", "-at_install")
class TestInputChecks(DealCommon):
    """The checks of the email path hold on every path (case 14): here
    ``_register_deal``, the staff wizard and the requests' own create and write."""

    def test_register_deal_refuses_every_bad_input(self):
        deals_before = self.Deal.search_count([])
        cases = [
            ({"tin": TIN_NEW + NUL}, "tin", "has only digits|control character"),
            ({"name": "Evil" + NUL + "Co"}, "company_name", "control character"),
            ({"name": "Bell\x07Co"}, "company_name", "control character"),
            ({"qty": 99_999_999_999}, "license_qty", "over the maximum of 10000"),
            ({"qty": 50_000}, "license_qty", "over the maximum of 10000"),
            ({"qty": 10_001}, "license_qty", "over the maximum of 10000"),
            ({"qty": -1}, "license_qty", "positive number"),
            ({"qty": "12"}, "license_qty", "not a whole number"),
            ({"qty": True}, "license_qty", "not a whole number"),
            ({"qty": 2.5}, "license_qty", "not a whole number"),
        ]
        for kwargs, field, message in cases:
            with (
                self.subTest(**{k: repr(v)[:30] for k, v in kwargs.items()}),
                self.assertRaisesRegex(ValidationError, message) as caught,
            ):
                self._register_deal(**kwargs)
            self.assertIn(field, caught.exception.problems)
        self.assertEqual(self.Deal.search_count([]), deals_before)
        # Every problem at once, each under its field.
        with self.assertRaises(ValidationError) as caught:
            self._register_deal(tin="12", name="X" + NUL, qty=0)
        self.assertEqual(
            set(caught.exception.problems), {"tin", "company_name", "license_qty"}
        )

    def test_maximum_follows_the_company(self):
        self.company.octowatch_max_license_qty = 100
        with self.assertRaisesRegex(ValidationError, "over the maximum of 100 "):
            self._register_deal(qty=101)
        self.assertEqual(self._register_deal(qty=100).state, "registered")

    def test_staff_wizard_refuses_every_bad_input(self):
        Wizard = self.env["octowatch.deal.register"].with_user(self.user_channel)
        base = {
            "agent_id": self.agent.id,
            "tin": TIN_NEW,
            "company_name": "Wizard Co",
            "product_id": self.product_std.id,
            "license_qty": 3,
        }
        # What the database could not even store is refused before it tries.
        for change, message in (
            ({"license_qty": 99_999_999_999}, "Licences 99999999999 is out of range"),
            ({"tin": TIN_NEW + NUL}, "TIN contains a control character"),
            ({"company_name": NUL}, "Company Name contains a control character"),
        ):
            with (
                self.subTest(change=repr(change)),
                self.assertRaisesRegex(ValidationError, message),
            ):
                Wizard.create({**base, **change})
        wizard = Wizard.create(base)
        with self.assertRaisesRegex(ValidationError, "out of range"):
            wizard.license_qty = -(2**40)
        for qty, message in ((50_000, "over the maximum"), (-2, "positive number")):
            wizard.license_qty = qty
            with (
                self.subTest(qty=qty),
                self.assertRaisesRegex(ValidationError, message),
            ):
                wizard.action_register()
        self.assertFalse(self.Deal.search([("tin", "=", TIN_NEW)]))

    def test_deal_and_request_records_refuse_what_can_not_be_stored(self):
        """Written directly (as over RPC), a deal and a request refuse a control
        character, an integer out of range and a count over the maximum."""
        deal = self._register_deal()
        Request = self.env["octowatch.channel.request"].with_user(self.user_channel)
        for record, vals, message in (
            (deal, {"license_qty": 2**40}, "out of range"),
            (deal, {"license_qty": 50_000}, "over the maximum"),
            (deal, {"company_name": "A" + NUL}, "control character"),
            (Request, {"description": "note" + NUL}, "control character"),
            (Request, {"license_qty": 99_999_999_999}, "out of range"),
        ):
            with (
                self.subTest(vals=repr(vals)),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                if record is Request:
                    Request.create({"request_type": "deal", **vals})
                else:
                    record.write(vals)
        self.assertEqual(deal.license_qty, 10)

    def test_email_with_absurd_count_or_foreign_digits(self):
        for count, problem in (
            ("9" * 5000, "over the maximum"),
            ("١٢", "is not a whole number"),
        ):
            with self.subTest(count=count[:10]):
                request = self.process_email(
                    f"TIN: {TIN_SPARE}\nCompany: Big LLC\nVersion: TSTD\n"
                    f"Licenses: {count}\n",
                    email_from="contact@agent.example.com",
                )
                self.assertEqual(request.state, "needs_review")
                self.assertIn(problem, request.review_notes)
                self.assertFalse(request.deal_id)


@tagged("post_install", "-at_install")
class TestInputChecksPortal(DealCommon, HttpCase):
    """Every bad input of a portal form is an error under its field, with the form
    again (HTTP 200), never a server error nor a registration (case 14)."""

    def _post(self, url, data):
        return self.url_open(
            url, data={**data, "csrf_token": http.Request.csrf_token(self)}
        )

    def assertErrorUnder(self, response, field, message):
        self.assertEqual(response.status_code, 200, f"{field}: {message}")
        self.assertRegex(response.text, rf'id="{field}"[^>]*class="[^"]*is-invalid')
        feedback = re.findall(
            r'<div class="invalid-feedback d-block">([^<]*)</div>', response.text
        )
        self.assertTrue(
            any(message in text for text in feedback),
            f"{message!r} is not under a field: {feedback}",
        )

    def test_deal_form(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        base = {
            "tin": TIN_NEW,
            "company_name": "Form Co",
            "product_id": str(self.product_std.id),
            "license_qty": "3",
        }
        cases = [
            ({"tin": TIN_NEW + NUL}, "tin", "TIN contains a control character"),
            ({"tin": "77" + NUL}, "tin", "TIN contains a control character"),
            ({"company_name": "Form" + NUL}, "company_name", "control character"),
            ({"tin": "٧٧٢٣٤٥٦٧٨٢"}, "tin", "has only digits"),
            ({"product_id": "1" + NUL}, "product_id", "Choose the OctoWatch version."),
            ({"product_id": "999999"}, "product_id", "Choose the OctoWatch version."),
            *(({"license_qty": qty}, "license_qty", msg) for qty, msg in BAD_COUNTS),
        ]
        for change, field, message in cases:
            with self.subTest(change=repr(change)[:40]):
                response = self._post("/my/deals/new", {**base, **change})
                self.assertErrorUnder(response, field, message)
                self.assertIn('action="/my/deals/new"', response.text)
        self.assertFalse(self.Deal.search([("agent_id", "=", self.agent.id)]))
        # Another company's version is none of this form's.
        foreign = (
            self.env["product.template"]
            .create(
                {
                    "name": "Kazakh Licence",
                    "type": "service",
                    "octowatch_is_license": True,
                    "octowatch_version_code": "TKZ",
                    "company_id": self.company_2.id,
                }
            )
            .product_variant_id
        )
        self.env.flush_all()
        self.assertNotIn("Kazakh Licence", self.url_open("/my/deals/new").text)
        response = self._post("/my/deals/new", {**base, "product_id": str(foreign.id)})
        self.assertErrorUnder(response, "product_id", "Choose the OctoWatch version.")
        self.assertFalse(self.Deal.search([("agent_id", "=", self.agent.id)]))

    def test_request_forms(self):
        deal_form = {
            "tin": TIN_NEW,
            "company_name": "Request Co",
            "product_id": str(self.product_std.id),
            "license_qty": "3",
        }
        invoice_form = {
            "type": "invoice",
            "account_email": "it@alfa.example.com",
            "product_id": str(self.product_std.id),
            "license_qty": "3",
            "payment_method": "card",
        }
        cases = [
            ("agent", deal_form, {"tin": NUL}, "tin", "TIN contains a control"),
            ("agent", deal_form, {"company_name": "A\x00B"}, "company_name", "control"),
            ("agent", deal_form, {"description": "x\x00"}, "description", "control"),
            (
                "partner",
                invoice_form,
                {"account_email": "a\x00@b.c"},
                "account_email",
                "control",
            ),
            *(
                ("agent", deal_form, {"license_qty": qty}, "license_qty", msg)
                for qty, msg in BAD_COUNTS
            ),
            *(
                ("partner", invoice_form, {"license_qty": qty}, "license_qty", msg)
                for qty, msg in BAD_COUNTS
            ),
        ]
        for who, form, change, field, message in cases:
            with self.subTest(who=who, change=repr(change)[:40]):
                login = f"ow_portal_{who}"
                self.authenticate(login, login)
                url = (
                    "/my/deals/new" if form is deal_form else "/my/channel-requests/new"
                )
                response = self._post(url, {**form, **change})
                self.assertErrorUnder(response, field, message)
        self.assertFalse(
            self._requests_of(self.agent) | self._requests_of(self.channel_partner)
        )
        self.assertFalse(self.Deal.search([("agent_id", "=", self.agent.id)]))

    def test_a_nul_byte_searched(self):
        for login, url in (
            ("ow_portal_agent", "/my/deals"),
            ("ow_portal_agent", "/my/channel-requests"),
            ("ow_portal_agent", "/my/commissions"),
            ("ow_portal_partner", "/my/clients"),
            ("ow_portal_client", "/my/licenses"),
        ):
            with self.subTest(url=url):
                self.authenticate(login, login)
                response = self.url_open(f"{url}?search=77%00&search_in=all")
                self.assertEqual(response.status_code, 200)
