# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from email.utils import make_msgid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from ..models import channel_request_parser as parser
from ..models import channel_request_types
from ..models.channel_request_reader import ChannelRequestReader
from .common import OctowatchChannelCommon

LABEL_WORDS = [
    "Account email",
    "Email аккаунта",
    "E-mail",
    "Version",
    "Версия",
    "Licenses",
    "Кол-во",
    "TIN",
    "ИНН",
    "Company",
    "Payment method",
    "From",
    "Sent",
    "> Version",
    "--",
    "-----Original Message-----",
]
# Text shaped like a request more often than pure noise, so that the labels, the
# quotes and the markers meet odd values.
request_like = st.lists(
    st.one_of(
        st.text(max_size=60),
        st.builds(
            "{}: {}".format,
            st.sampled_from(LABEL_WORDS),
            st.one_of(
                st.text(max_size=30),
                st.integers().map(str),
                st.emails(),
                st.sampled_from(["TSTD", "tent", "7860493715", "-5", "1 000"]),
            ),
        ),
        st.sampled_from(["<br/>", "<blockquote>", "</div>", "<p>", "&gt;", "\x00"]),
    ),
    max_size=15,
).map("\n".join)


@tagged("post_install", "-at_install")
class TestChannelRequestParser(OctowatchChannelCommon):
    def test_request_types_table_matches_the_model(self):
        """Every kind of request in the table is a value of ``request_type`` with
        its label, a confirm handler and fields that exist, and the email reader
        defaults each role to the kind only that role makes."""
        Request = self.env["octowatch.channel.request"]
        self.assertEqual(
            Request._fields["request_type"].selection, channel_request_types.SELECTION
        )
        roles = dict(self.env["res.partner"]._fields["octowatch_role"].selection)
        for code, rules in channel_request_types.REQUEST_TYPES.items():
            with self.subTest(request_type=code):
                self.assertTrue(callable(getattr(Request, rules.confirm, None)))
                for field in (
                    *rules.required,
                    *rules.required_one_of,
                    *(rules.form_fields or ()),
                ):
                    self.assertIn(field, Request._fields)
                self.assertTrue(rules.roles)
                self.assertLessEqual(set(rules.roles), set(roles))
        self.assertEqual(channel_request_types.email_default("agent"), "deal")
        self.assertEqual(channel_request_types.email_default("partner"), "invoice")
        self.assertIsNone(channel_request_types.email_default(False))
        self.assertIsNone(channel_request_types.portal_form("attribution"))

    def test_labels_in_both_languages(self):
        parsed = parser.parse_body(
            "",
            "<pre>Компания: «Ромашка»\nИНН: 7760 913 902\nКол-во лицензий - 7\n"
            "Edition: Enterprise\nE-mail: a@b.example</pre>",
        )
        self.assertEqual(
            parsed["fields"],
            {
                "company_name": "Ромашка",
                "tin": "7760 913 902",
                "license_qty": "7",
                "version": "Enterprise",
                "account_email": "a@b.example",
            },
        )

    def test_quotes_inside_a_name_are_kept(self):
        for typed, name in (
            ("ООО «Гамма Плюс»", "ООО «Гамма Плюс»"),
            ("«Ромашка»", "Ромашка"),
            ('"Vector LLC"', "Vector LLC"),
            ("**ООО «Альфа»**", "ООО «Альфа»"),
            ("«Альфа» и «Бета»", "«Альфа» и «Бета»"),
        ):
            with self.subTest(typed=typed):
                parsed = parser.parse_body("", f"Компания: {typed}\nИНН: 7760913902")
                self.assertEqual(parsed["fields"]["company_name"], name)

    def test_label_on_its_own_line(self):
        parsed = parser.parse_body("", "<p>Version:</p><p>TSTD</p><p>Licenses:</p>")
        self.assertEqual(parsed["fields"], {"version": "TSTD"})

    def test_specific_label_beats_generic_one(self):
        parsed = parser.parse_body(
            "",
            "<pre>E-mail: me@reseller.example\nAccount email: it@client.example</pre>",
        )
        self.assertEqual(parsed["fields"]["account_email"], "it@client.example")

    def test_quantities(self):
        cases = {
            "25": (25, None),
            "1 000": (1000, None),
            "1,000": (1000, None),
            "10 шт.": (10, None),
            "3.0": (3, None),
            "-5": (-5, None),
            "2.5": (None, "not_whole"),
            "many": (None, "not_a_number"),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parser.parse_quantity(text), expected)

    def test_payment_methods(self):
        for text, code in {
            "Bank transfer": "bank_transfer",
            "безналичный расчёт": "bank_transfer",
            "по счёту": "bank_transfer",
            "карта": "card",
            "Visa card": "card",
            "СБП": "online",
            "barter": False,
        }.items():
            with self.subTest(text=text):
                self.assertEqual(parser.parse_payment_method(text), code)

    def test_version_by_code_or_name(self):
        reader = ChannelRequestReader(self.env, self.env.company)
        for text, product in {
            "tstd": self.product_std,
            "TENT": self.product_ent,
            "octowatch enterprise": self.product_ent,
            "TSTD edition": self.product_std,
            "OctoWatch": self.env["product.product"],
            "Gold": self.env["product.product"],
        }.items():
            with self.subTest(text=text):
                self.assertEqual(reader.match_version(text), product)

    @settings(
        max_examples=100,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        email_from=st.text(max_size=80),
        subject=st.text(max_size=80),
        body=st.one_of(st.text(), request_like),
    )
    def test_reader_reads_any_email(self, email_from, subject, body):
        """The reader answers for any sender, subject and body: values the request
        can hold and the problems of its own fields, never an error."""
        Request = self.env["octowatch.channel.request"]
        vals, problems = ChannelRequestReader(self.env, self.env.company).read_email(
            {"email_from": email_from, "subject": subject, "body": body}
        )
        self.assertLessEqual(set(vals) | set(problems), set(Request._fields))
        self.assertIn(vals["request_type"], channel_request_types.REQUEST_TYPES)
        self.assertEqual(vals["company_id"], self.env.company.id)
        self.assertEqual(not vals["requester_id"], "requester_id" in problems)

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(subject=st.text(max_size=80), body=st.one_of(st.text(), request_like))
    def test_any_body_makes_a_request(self, subject, body):
        parsed = parser.parse_body(subject, body)
        self.assertEqual(set(parsed["fields"]) - set(parser.FIELDS), set())
        request = self.env["octowatch.channel.request"].message_new(
            {
                "subject": subject,
                "body": body,
                "email_from": "contact@reseller.example.com",
                "message_id": make_msgid(),
            }
        )
        self.assertEqual(len(request), 1)
        self.assertIn(request.state, ("new", "needs_review"))
        self.assertEqual(request.state == "needs_review", bool(request.review_notes))
