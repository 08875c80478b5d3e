# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from ..models.res_partner import normalize_tin
from .common import TIN_NEW_2, DealCommon, load_migration

# The INN of the issue, valid; no other test nor demo record uses it.
TIN = "7710476397"
TIN_2 = "7700123459"


def full_width(text):
    """``text`` with its ASCII digits and letters written full-width (U+FF10...)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@tagged("post_install", "-at_install")
class TestTinNormalization(DealCommon):
    """One TIN is one TIN, whichever way it is typed (case 9)."""

    def _ru_company(self, vat, **vals):
        return self.env["res.partner"].create(
            {
                "name": "Typed Co",
                "is_company": True,
                "country_id": self.russia.id,
                "vat": vat,
                **vals,
            }
        )

    def test_normalize_tin(self):
        for typed in (
            full_width(TIN),
            f" {full_width('RU')} {TIN[:4]}\u00a0{TIN[4:7]}\u2013{TIN[7:]} ",
            f"{TIN[:4]}\u3000{TIN[4:]}",
            f"ru{TIN[:5]}\u200b{TIN[5:]}",
            f"{TIN[:2]}.{TIN[2:5]}/{TIN[5:]}",
        ):
            with self.subTest(typed=typed):
                self.assertEqual(normalize_tin(typed), TIN)
        self.assertFalse(normalize_tin(""))
        self.assertFalse(normalize_tin(None))

    def test_partner_vat_stored_as_ascii_digits(self):
        partner = self._ru_company(full_width(TIN))
        self.assertEqual(partner.vat, TIN)
        partner.vat = f"RU {full_width(TIN_2)}"
        self.assertEqual(partner.vat, TIN_2)

    def test_other_digits_are_no_tin(self):
        """``"٧".isdigit()`` is True: digits of other scripts are refused all the
        same, on a partner, a deal and a request."""
        arabic = TIN.translate(ARABIC_INDIC)
        for value in (arabic, TIN[:5] + arabic[5:], TIN[:9] + "\u0667"):
            with (
                self.subTest(value=value),
                self.assertRaisesRegex(ValidationError, "has only digits"),
            ):
                self._ru_company(value)
            with self.assertRaisesRegex(ValidationError, "has only digits"):
                self._register_deal(tin=value)
            request = self.env["octowatch.channel.request"].create(
                {"request_type": "deal", "requester_id": self.agent_contact.id}
            )
            request.tin = value
            self.assertIn("has only digits", request._get_problems()["tin"])

    def test_two_live_deals_impossible_in_either_order(self):
        for first_tin, second_tin in (
            (full_width(TIN), TIN),
            (TIN_2, full_width(TIN_2)),
        ):
            with self.subTest(first=first_tin):
                first = self._register_deal(tin=first_tin, name="First Co")
                second = self._register_deal(
                    agent=self.agent_2, tin=second_tin, name="Second Co"
                )
                self.assertEqual(first.state, "registered")
                self.assertEqual(second.state, "rejected")
                self.assertIn("Already registered", second.rejection_reason)
                self.assertEqual({first.tin, second.tin}, {normalize_tin(first_tin)})
                customers = self.env["res.partner"].search(
                    [("vat", "=", normalize_tin(first_tin)), ("parent_id", "=", False)]
                )
                self.assertEqual(customers, first.end_customer_id, "one customer")

    def test_existing_customer_found_whatever_the_form(self):
        customer = self._own_customer()
        deal = self._register_deal(tin=full_width(TIN_NEW_2), name="")
        self.assertEqual(deal.state, "registered")
        self.assertEqual(deal.end_customer_id, customer)

    def test_email_path_normalises_and_registers(self):
        body = (
            f"ИНН: {full_width(TIN[:4])} {full_width(TIN[4:])}\n"
            "Компания: Full Width LLC\nВерсия: TSTD\nЛицензий: 5\n"
        )
        request = self.process_email(body, email_from="contact@agent.example.com")
        self.assertEqual(request.tin, TIN)
        self.assertEqual(request.deal_id.state, "registered")
        self.assertEqual(request.deal_id.tin, TIN)
        again = self.process_email(
            f"TIN: {TIN}\nCompany: Again LLC\nVersion: TSTD\nLicenses: 5\n",
            email_from="contact@agent2.example.com",
        )
        self.assertEqual(again.state, "rejected")
        self.assertIn("Already registered", again.rejection_reason)

    def test_staff_wizard_normalises(self):
        wizard = (
            self.env["octowatch.deal.register"]
            .with_user(self.user_channel)
            .create(
                {
                    "agent_id": self.agent.id,
                    "tin": full_width(TIN),
                    "company_name": "Wizard Co",
                    "product_id": self.product_std.id,
                    "license_qty": 3,
                }
            )
        )
        action = wizard.action_register()
        deal = self.Deal.browse(action["res_id"])
        self.assertEqual((deal.state, deal.tin), ("registered", TIN))

    def test_searches_find_a_tin_typed_another_way(self):
        deal = self._register_deal(tin=TIN, name="Searched Co")
        customer = deal.end_customer_id
        request = self.env["octowatch.channel.request"].create(
            {"request_type": "deal", "requester_id": self.agent_contact.id, "tin": TIN}
        )
        Partner = self.env["res.partner"].with_user(self.user_channel)
        Deal = self.Deal.with_user(self.user_channel)
        Request = self.env["octowatch.channel.request"].with_user(self.user_channel)
        for typed in (
            full_width(TIN),
            f"RU {TIN[:4]} {TIN[4:]}",
            f"{TIN[:4]}-{TIN[4:]}",
        ):
            with self.subTest(typed=typed):
                self.assertIn(customer, Partner.search([("vat", "=", typed)]))
                self.assertIn(customer, Partner.search([("vat", "ilike", typed[:-1])]))
                self.assertIn(
                    customer, Partner.search([("display_name", "ilike", typed)])
                )
                self.assertEqual(Deal.search([("tin", "=", typed)]), deal)
                self.assertEqual(Deal.search([("display_name", "ilike", typed)]), deal)
                self.assertEqual(Deal.search([("tin", "in", [typed])]), deal)
                self.assertEqual(Request.search([("tin", "ilike", typed)]), request)
        # What was typed is searched too: a foreign tax number stays as typed.
        kazakh = self.env["res.partner"].create(
            {
                "name": "Kazakh Co",
                "country_id": self.env.ref("base.kz").id,
                "vat": "1234 5678 9012",
            }
        )
        self.assertEqual(kazakh.vat, "1234 5678 9012")
        self.assertIn(kazakh, Partner.search([("vat", "=", "1234 5678 9012")]))
        self.assertNotIn(customer, Partner.search([("vat", "!=", full_width(TIN))]))


@tagged("post_install", "-at_install")
class TestTinNormalizationPortal(DealCommon, HttpCase):
    """The portal forms and searches read a TIN the same way (case 9)."""

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def test_deal_form_then_request_form(self):
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        response = self.url_open(
            "/my/deals/new",
            data={
                "csrf_token": self._csrf("/my/deals/new"),
                "tin": full_width(TIN),
                "company_name": "Portal Full Width",
                "product_id": str(self.product_std.id),
                "license_qty": full_width("12"),
            },
        )
        self.assertEqual(response.status_code, 200)
        deal = self.Deal.search([("agent_id", "=", self.agent.id), ("tin", "=", TIN)])
        self.assertEqual((deal.state, deal.license_qty), ("registered", 12))

        self.authenticate("ow_portal_agent_2", "ow_portal_agent_2")
        response = self.url_open(
            "/my/deals/new",
            data={
                "csrf_token": self._csrf("/my/deals/new"),
                "tin": f"RU {TIN[:3]} {TIN[3:]}",
                "company_name": "Same Company",
                "product_id": str(self.product_std.id),
                "license_qty": "4",
            },
        )
        self.assertEqual(response.status_code, 200)
        request = self._requests_of(self.agent_2)
        self.assertEqual(request.tin, TIN)
        self.assertEqual(request.state, "rejected")
        self.assertIn("Already registered", request.rejection_reason)

    def test_portal_search_by_tin(self):
        deal = self._register_deal(tin=TIN, name="Searched Portal Co")
        request = self.env["octowatch.channel.request"].create(
            {"request_type": "deal", "requester_id": self.agent_contact.id, "tin": TIN}
        )
        self.authenticate("ow_portal_agent", "ow_portal_agent")
        page = self.url_open(f"/my/deals?search={full_width(TIN)}&search_in=tin").text
        self.assertIn(f'href="/my/deals/{deal.id}"', page)
        page = self.url_open(
            f"/my/channel-requests?search={full_width(TIN[:6])}&search_in=customer"
        ).text
        self.assertIn(f"/my/channel-requests/{request.id}", page)


@tagged("post_install", "-at_install")
class TestTinMigration(DealCommon):
    """The 19.0.1.1.0 migration rewrites the TINs stored before it (case 9)."""

    @classmethod
    def _migration(cls):
        return load_migration("19.0.1.1.0", "post-migrate-normalize-tin.py")

    def _store_as_typed(self, records, column, value):
        """Write ``value`` as the old code stored it, past today's normalisation."""
        self.env.flush_all()
        self.env.cr.execute(
            f'UPDATE "{records._table}" SET "{column}" = %s WHERE id IN %s',
            [value, tuple(records.ids)],
        )
        records.invalidate_recordset([column])

    def test_migration_normalises_and_first_come_keeps_the_tin(self):
        first = self._register_deal(tin=TIN, name="Earlier Co")
        # The old code let a full-width TIN through: a second live deal, its own
        # customer, and a request, all with the TIN as typed.
        later = self._register_deal(agent=self.agent_2, tin=TIN_2, name="Later Co")
        later_customer = later.end_customer_id
        self._store_as_typed(later, "tin", full_width(TIN))
        self._store_as_typed(later_customer, "vat", full_width(TIN))
        request = self.env["octowatch.channel.request"].create(
            {"request_type": "deal", "requester_id": self.agent_contact.id}
        )
        self._store_as_typed(request, "tin", f"{full_width(TIN[:5])} {TIN[5:]}")
        untouched = self._ru_partner_with_foreign_digits()
        self.assertEqual(later.state, "registered", "two live deals for one TIN")

        self._migration().migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()

        self.assertRecordValues(
            first + later,
            [
                {"tin": TIN, "state": "registered"},
                {"tin": TIN, "state": "rejected"},
            ],
        )
        self.assertIn("Already registered", later.rejection_reason)
        self.assertIn(first.name, later.message_ids[0].body)
        self.assertTrue(later.message_ids[0].subtype_id.internal)
        self.assertEqual(later_customer.vat, TIN)
        self.assertFalse(later_customer.octowatch_owner_id, "released")
        self.assertEqual(first.end_customer_id.octowatch_owner_id, self.agent)
        self.assertEqual(request.tin, TIN)
        self.assertEqual(untouched.vat, "٧٧١٠٤٧٦٣٩٧", "no TIN: left for staff")
        # The second run finds nothing more to do.
        self._migration().migrate(self.env.cr, "19.0.1.0.0")
        self.assertEqual(later.state, "rejected")

    def _ru_partner_with_foreign_digits(self):
        partner = self.env["res.partner"].create(
            {"name": "Legacy Co", "is_company": True}
        )
        self._store_as_typed(partner, "vat", "٧٧١٠٤٧٦٣٩٧")
        self._store_as_typed(partner, "country_id", self.russia.id)
        return partner
