# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from email.utils import make_msgid

from odoo.tests import tagged

from ..models.channel_request_reader import ChannelRequestReader
from .common import TIN_ALFA, TIN_SPARE, OctowatchChannelCommon

INVOICE_EN = """Hello,

please issue an invoice for our client.

Account email: it@alfa.example.com
Version: TSTD
Licenses: 25
Payment method: bank transfer

Best regards,
Reseller Contact
E-mail: contact@reseller.example.com
"""

INVOICE_RU = """Добрый день!

Прошу выставить счёт.

Email аккаунта: it@alfa.example.com
Версия: Tent
Количество лицензий: 1 200
Способ оплаты: безналичный расчёт

С уважением,
Иван
"""


@tagged("post_install", "-at_install")
class TestChannelRequestGateway(OctowatchChannelCommon):
    def assertReadInvoice(self, request, product, qty, payment="bank_transfer"):
        self.assertEqual(request.source, "email")
        self.assertEqual(request.request_type, "invoice")
        self.assertEqual(request.requester_id, self.channel_partner_contact)
        self.assertEqual(request.channel_partner_id, self.channel_partner)
        self.assertEqual(request.account_email, "it@alfa.example.com")
        self.assertEqual(request.product_id, product)
        self.assertEqual(request.license_qty, qty)
        self.assertEqual(request.payment_method, payment)
        self.assertEqual(request.state, "new", request.review_notes)
        self.assertFalse(request.review_notes)

    def test_alias_routes_to_requests(self):
        self.assertEqual(
            self.inbox_alias.alias_model_id.model, "octowatch.channel.request"
        )
        self.assertEqual(self.inbox_email, f"partners@{self.alias_domain.name}")
        request = self.process_email(INVOICE_EN, subject="Invoice for Alfa")
        self.assertTrue(request.name.startswith("REQ/"))
        self.assertEqual(request.subject, "Invoice for Alfa")

    def test_alias_name_from_settings(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.octowatch_alias_name, "partners")
        self.assertEqual(settings.octowatch_alias_domain_id, self.alias_domain)
        settings.octowatch_alias_name = "channel"
        settings.execute()
        self.assertEqual(
            self.inbox_alias.alias_full_name, f"channel@{self.alias_domain.name}"
        )
        request = self.process_email(INVOICE_EN, to=f"channel@{self.alias_domain.name}")
        self.assertEqual(request.request_type, "invoice")

    def test_queries_per_email_do_not_grow(self):
        def queries_for_one_email(index):
            raw = self.build_email(
                f"Account email: c{index}@alfa.example.com\nVersion: TSTD\n"
                "Licenses: 5\nPayment method: card"
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["mail.thread"].message_process(False, raw)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        queries_for_one_email(0)  # warm the caches
        few = queries_for_one_email(1)
        self.env["octowatch.channel.request"].create(
            [
                {
                    "requester_id": self.channel_partner_contact.id,
                    "account_email": f"old{i}@alfa.example.com",
                    "product_id": self.product_std.id,
                    "license_qty": 1,
                }
                for i in range(300)
            ]
        )
        many = queries_for_one_email(2)
        self.assertGreater(few, 10)
        self.assertLessEqual(many, few + 2)

    def test_plain_utf8_english(self):
        request = self.process_email(INVOICE_EN, cte="base64")
        self.assertReadInvoice(request, self.product_std, 25)
        # The signature's E-mail line does not replace the account email.
        self.assertEqual(request.reply_lang, "en")

    def _process_raw(self, raw):
        request_id = self.env["mail.thread"].message_process(False, raw)
        return self.env["octowatch.channel.request"].browse(request_id)

    def test_windows_1251_quoted_printable(self):
        raw = self.build_email(
            INVOICE_RU,
            subject="Счёт для клиента",
            charset="windows-1251",
            cte="quoted-printable",
        )
        self.assertIn(b'charset="windows-1251"', raw)
        self.assertIn(b"Content-Transfer-Encoding: quoted-printable", raw)
        self.assertIn("Версия".encode("cp1251").hex("=").upper()[:8], raw.decode())
        request = self._process_raw(raw)
        self.assertReadInvoice(request, self.product_ent, 1200)
        self.assertEqual(request.subject, "Счёт для клиента")
        self.assertEqual(request.reply_lang, "ru")

    def test_koi8_r_base64(self):
        raw = self.build_email(
            INVOICE_RU, subject="Заявка", charset="koi8-r", cte="base64"
        )
        self.assertIn(b'charset="koi8-r"', raw)
        self.assertIn(b"=?koi8-r?", raw)
        request = self._process_raw(raw)
        self.assertReadInvoice(request, self.product_ent, 1200)
        self.assertEqual(request.subject, "Заявка")
        self.assertIn("Количество лицензий: 1 200", request.description)

    def test_html_body(self):
        html = """<html><body>
            <div>Hello,</div>
            <table>
              <tr><td><b>Account email:</b></td>
                  <td><a href="mailto:it@alfa.example.com">it@alfa.example.com</a>
                  </td></tr>
              <tr><td><b>Version:</b></td><td>OctoWatch Standard</td></tr>
              <tr><td><b>Licences:</b></td><td>40</td></tr>
              <tr><td><b>Payment method:</b></td><td>Card</td></tr>
            </table>
            <div>Best regards</div>
            <blockquote>Version: TENT<br/>Licences: 999</blockquote>
        </body></html>"""
        request = self.process_email(html, subtype="html", charset="utf-8")
        self.assertReadInvoice(request, self.product_std, 40, payment="card")

    def test_quoted_reply_and_signature_ignored(self):
        body = """Licences: 30
Version: tstd
Account email: it@alfa.example.com
Payment method: card

--
Reseller Contact
Version: TENT

On Mon, 3 Nov 2026 at 10:00, Kolibri <partners@octowatchdlp.com> wrote:
> Version: TENT
> Licences: 5
"""
        request = self.process_email(body, subject="Re: Request REQ/2026/00001")
        self.assertReadInvoice(request, self.product_std, 30, payment="card")

    def test_outlook_reply_header_not_read_as_labels(self):
        body = """Account email: it@alfa.example.com
Version: TSTD
Licenses: 12
Payment method: bank transfer

From: Kolibri Sales <partners@octowatchdlp.com>
Sent: Monday, November 3, 2026 10:00
To: Reseller Contact <contact@reseller.example.com>
Subject: Your request
Licenses: 99
"""
        request = self.process_email(body)
        self.assertReadInvoice(request, self.product_std, 12)

    def test_forwarded_message_fills_missing_fields(self):
        body = """Please register this one for us, 10 Standard licences.
Version: TSTD
Licenses: 10
Payment method: bank transfer

---------- Forwarded message ---------
From: Alfa IT <it@alfa.example.com>
Date: Mon, 3 Nov 2026 09:00
Subject: OctoWatch
To: contact@reseller.example.com

Account email: it@alfa.example.com
Licenses: 500
"""
        request = self.process_email(body, subject="Fwd: OctoWatch")
        # The sender's own licence count wins over the forwarded one.
        self.assertReadInvoice(request, self.product_std, 10)

    def test_attachments_and_email_stay_on_chatter(self):
        request = self.process_email(
            INVOICE_EN,
            attachments=[("order.pdf", b"%PDF-1.4 order", "application/pdf")],
        )
        incoming = request.message_ids.filtered(
            lambda m: (
                m.message_type == "email"
                and m.author_id == self.channel_partner_contact
            )
        )
        self.assertEqual(len(incoming), 1)
        self.assertIn("Account email", incoming.body)
        self.assertEqual(incoming.attachment_ids.mapped("name"), ["order.pdf"])

    def test_duplicate_message_id_makes_one_request(self):
        message_id = make_msgid(domain="reseller.example.com")
        raw = self.build_email(INVOICE_EN, message_id=message_id)
        Thread = self.env["mail.thread"]
        first = Thread.message_process(False, raw)
        second = Thread.message_process(False, raw)
        self.assertTrue(first)
        self.assertFalse(second)
        requests = self.env["octowatch.channel.request"].search(
            [("source_message_id", "=", message_id)]
        )
        self.assertEqual(requests.ids, [first])

    def test_reply_to_acknowledgement_joins_the_request(self):
        request = self.process_email(INVOICE_EN)
        ack = request.message_ids.filtered(
            lambda m: m.subject and "received" in m.subject
        )
        raw = self.build_email(
            "Licenses: 30, sorry for the typo.", subject=f"Re: {ack.subject}"
        )
        raw = raw.replace(
            b"Message-Id:", f"In-Reply-To: {ack.message_id}\nMessage-Id:".encode(), 1
        )
        thread_id = self.env["mail.thread"].message_process(False, raw)
        self.assertEqual(thread_id, request.id)
        self.assertIn("sorry for the typo", request.message_ids[0].body)
        self.assertEqual(
            self.env["octowatch.channel.request"].search_count(
                [("subject", "=", f"Re: {ack.subject}")]
            ),
            0,
        )

    def test_acknowledgement_lists_reference(self):
        request = self.process_email(INVOICE_EN)
        ack = request.message_ids.filtered(
            lambda m: m.subject == f"Request {request.name} received"
        )
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.partner_ids, self.channel_partner_contact)
        self.assertIn("Our team will process it shortly", ack.body)
        self.assertEqual(ack.author_id, self.company.partner_id)

    def _install_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["octowatch_channel"], ["ru_RU"], overwrite=True
        )

    def test_acknowledgement_in_russian_for_russian_speaker(self):
        self._install_russian()
        self.channel_partner_contact.lang = "ru_RU"
        request = self.process_email(INVOICE_EN)
        self.assertEqual(request.reply_lang, "ru")
        ack = request.message_ids.filtered(
            lambda m: m.subject == f"Заявка {request.name} получена"
        )
        self.assertEqual(len(ack), 1)
        self.assertIn("Заявка принята в работу", ack.body)
        self.assertIn("Здравствуйте", ack.body)

    def test_acknowledgement_in_russian_for_russian_text(self):
        self._install_russian()
        request = self.process_email(INVOICE_RU)
        self.assertEqual(request.reply_lang, "ru")
        self.assertTrue(
            request.message_ids.filtered(
                lambda m: m.subject == f"Заявка {request.name} получена"
            )
        )

    def test_acknowledgement_in_english_without_russian_installed(self):
        request = self.process_email(INVOICE_RU)
        self.assertEqual(request.reply_lang, "ru")
        self.assertTrue(
            request.message_ids.filtered(
                lambda m: m.subject == f"Request {request.name} received"
            ),
            "the English text when Russian is not installed",
        )

    def test_unknown_sender_kept_for_review_and_answered(self):
        request = self.process_email(
            INVOICE_EN, email_from="Stranger <stranger@nowhere.example>"
        )
        self.assertEqual(request.state, "needs_review")
        self.assertFalse(request.requester_id)
        self.assertEqual(request.requester_email, "stranger@nowhere.example")
        self.assertIn("Unknown sender stranger@nowhere.example", request.review_notes)
        # What could be read is kept for staff.
        self.assertEqual(request.product_id, self.product_std)
        ack = request.message_ids.filtered(
            lambda m: m.subject and "received" in m.subject
        )
        self.assertEqual(ack.outgoing_email_to, "stranger@nowhere.example")
        self.assertIn("Unknown sender", ack.body)
        self.assertFalse(
            self.env["res.partner"].search(
                [("email_normalized", "=", "stranger@nowhere.example")]
            ),
            "an unknown sender is not made a contact",
        )

    def test_every_invalid_case_listed(self):
        known = ChannelRequestReader(self.env, self.env.company).known_versions()
        cases = {
            "unknown version": (
                "Account email: it@alfa.example.com\nVersion: Platinum\nLicenses: 5",
                [(f'Version "Platinum" is not an OctoWatch version (known: {known}).')],
            ),
            "missing count": (
                "Account email: it@alfa.example.com\nVersion: TSTD",
                ["Licences is missing."],
            ),
            "zero count": (
                "Account email: it@alfa.example.com\nVersion: TSTD\nLicenses: 0",
                ["Licences must be a positive number, not 0."],
            ),
            "negative count": (
                "Account email: it@alfa.example.com\nVersion: TSTD\nLicenses: -5",
                ["Licences must be a positive number, not -5."],
            ),
            "absurd count": (
                "Account email: it@alfa.example.com\nVersion: TSTD\nLicenses: 50000",
                ["Licences 50000 is over the maximum of 10000 per request."],
            ),
            "count beyond any integer": (
                (
                    "Account email: it@alfa.example.com\nVersion: TSTD\n"
                    "Licenses: 99999999999999"
                ),
                ["Licences 99999999999999 is over the maximum of 10000 per request."],
            ),
            "count not a number": (
                "Account email: it@alfa.example.com\nVersion: TSTD\nLicenses: many",
                ['Licences "many" is not a whole number.'],
            ),
            "invalid email": (
                "Account email: it(at)alfa\nVersion: TSTD\nLicenses: 5",
                ['Account Email "it(at)alfa" is not a valid email address.'],
            ),
            "nothing at all": (
                "Hi, call me.",
                [
                    "Account Email is missing.",
                    "Version is missing.",
                    "Licences is missing.",
                ],
            ),
        }
        for case, (body, expected) in cases.items():
            with self.subTest(case=case):
                request = self.process_email(body)
                self.assertEqual(request.state, "needs_review")
                self.assertEqual(request.review_notes.splitlines(), expected)
                ack = request.message_ids.filtered(
                    lambda m: m.subject and "received" in m.subject
                )
                self.assertIn(expected[0].split('"')[0], ack.body)

    def test_configurable_maximum(self):
        self.company.octowatch_max_license_qty = 100
        request = self.process_email(
            "Account email: it@alfa.example.com\nVersion: TSTD\nLicenses: 101"
        )
        self.assertEqual(
            request.review_notes,
            "Licences 101 is over the maximum of 100 per request.",
        )

    def test_agent_email_is_a_deal_registration(self):
        body = f"ИНН: {TIN_SPARE}\nКомпания: ООО Гамма\nВерсия: TSTD\nКол-во: 15"
        request = self.process_email(body, email_from="contact@agent.example.com")
        self.assertEqual(request.request_type, "deal")
        self.assertEqual(request.requester_id, self.agent_contact)
        self.assertEqual(request.tin, TIN_SPARE)
        self.assertEqual(request.company_name, "ООО Гамма")
        self.assertEqual(request.license_qty, 15)
        if "octowatch.deal.registration" not in self.env:
            # Without deal registration, the valid request waits for staff.
            self.assertEqual(request.state, "needs_review")
            self.assertEqual(
                request.review_notes, "Deal registration is not available."
            )

    def test_deal_with_invalid_tin(self):
        request = self.process_email(
            "TIN: 7707083894\nCompany: Gamma\nVersion: TSTD\nLicenses: 15",
            email_from="contact@agent.example.com",
        )
        self.assertEqual(request.state, "needs_review")
        self.assertEqual(request.tin, "7707083894")
        self.assertIn("TIN 7707083894 is invalid", request.review_notes)

    def test_attribution_and_service_keywords(self):
        attribution = self.process_email(
            f"Прошу закрепить клиента за нами.\nИНН: {TIN_ALFA}",
            subject="Закрепление клиента",
        )
        self.assertEqual(attribution.request_type, "attribution")
        self.assertEqual(attribution.tin, TIN_ALFA)
        self.assertEqual(attribution.state, "new", attribution.review_notes)
        service = self.process_email(
            "Our client Alfa would like a webinar next month.",
            subject="Webinar for Alfa",
            email_from="contact@agent.example.com",
        )
        self.assertEqual(service.request_type, "service")
        self.assertEqual(service.service_kind, "webinar")
        self.assertEqual(service.state, "new", service.review_notes)

    def test_agent_can_not_request_an_invoice_by_email(self):
        request = self.process_email(INVOICE_EN, email_from="contact@agent.example.com")
        self.assertEqual(request.request_type, "deal")
        request.request_type = "invoice"
        self.assertIn(
            "Test Agent LLC is an OctoWatch Agent and can't make this kind of "
            "request (Invoice request)",
            "\n".join(request._get_problems().values()),
        )
