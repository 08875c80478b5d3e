# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.tests import Form, tagged

from .common import TIN_NEW, OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestMailTemplates(OctowatchChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_russian()

    def test_every_template_is_branded_and_in_the_recipient_language(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "octowatch_channel"), ("model", "=", "mail.template")]
        )
        templates = self.env["mail.template"].browse(data.mapped("res_id"))
        # A deal registration is answered by its request's two templates.
        self.assertGreaterEqual(len(templates), 9)
        for template in templates:
            self.assertEqual(
                template.email_layout_xmlid, "mail.mail_notification_light", template
            )
            self.assertTrue(template.lang, template.name)
            self.assertIn("company_id", template.email_from, template.name)
            self.assertIn("object.company_id.name", template.body_html, template.name)

    def test_russian_requester_gets_the_service_planned_in_russian(self):
        self.agent_contact.lang = "ru_RU"
        request = self._service_request(reply_lang="ru")
        request._octowatch_plan_service(datetime(2026, 6, 10, 9, 0), self.user_channel)
        mail = request.message_ids.filtered(
            lambda m: m.subject == f"{request.name}: ваша услуга запланирована"
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("Здравствуйте", mail.body)
        self.assertIn("Вебинар", mail.body)
        self.assertNotIn("Hello", mail.body)

    def test_english_requester_gets_english(self):
        self.agent_contact.lang = "en_US"
        request = self._service_request()
        request.action_confirm()
        request.action_service_done()
        mail = request.message_ids.filtered(
            lambda m: m.subject == f"{request.name}: your service is done"
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("Webinar", mail.body)

    def test_staff_registration_tells_the_agent(self):
        wizard = Form(self.env["octowatch.deal.register"])
        wizard.agent_id = self.agent
        wizard.tin = TIN_NEW
        wizard.company_name = "New Client LLC"
        wizard.product_id = self.product_std
        wizard.license_qty = 5
        action = wizard.save().action_register()
        deal = self.env["octowatch.deal.registration"].browse(action["res_id"])
        self.assertEqual(deal.state, "registered")
        request = deal.request_id
        self.assertEqual(request.source, "manual")
        mail = request.message_ids.filtered(
            lambda m: m.subject == f"Request {request.name} received"
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.partner_ids, self.agent)
        self.assertIn(deal.name, mail.body)
        self.assertIn("New Client LLC", mail.body)

    def test_russian_agent_is_told_of_its_deal_in_russian(self):
        self.agent_contact.lang = "ru_RU"
        request = self.env["octowatch.channel.request"].create(
            {
                "request_type": "deal",
                "requester_id": self.agent_contact.id,
                "reply_lang": "ru",
                "tin": TIN_NEW,
                "company_name": "Новый Клиент",
                "product_id": self.product_std.id,
                "license_qty": 5,
            }
        )
        request._octowatch_process_received()
        self.assertEqual(request.deal_id.state, "registered")
        mail = request.message_ids.filtered(
            lambda m: self.agent_contact in m.partner_ids
        )
        self.assertEqual(len(mail), 1)
        body = " ".join(mail.body.split())
        self.assertIn(
            f"Сделка <strong>{request.deal_id.name}</strong> с Новый Клиент", body
        )
        self.assertIn("зарегистрирована за вами", body)
        self.assertNotIn("registered to you", body)

    def test_agent_reports_each_tell_their_own_agent_in_its_language(self):
        self.agent.lang = "ru_RU"
        self.agent_2.lang = "en_US"
        agreement_2 = self.env["octowatch.agency.agreement"].create(
            {
                "agent_id": self.agent_2.id,
                "date_start": "2020-01-01",
                "commission_rate": 5,
            }
        )
        invoice = self._create_invoice_for(
            self.customer_beta, [(self.product_std, 1, 100.0)]
        )
        lines = (
            self.env["octowatch.commission.line"]
            .sudo()
            .create(
                [
                    {
                        "agent_id": agreement.agent_id.id,
                        "agreement_id": agreement.id,
                        "move_id": invoice.id,
                        "payment_date": "2026-03-15",
                        "base_amount": amount * 10,
                        "rate": 10.0,
                        "amount": amount,
                        "currency_id": self.company.currency_id.id,
                        "company_id": self.company.id,
                    }
                    for agreement, amount in ((self.agreement, 150), (agreement_2, 275))
                ]
            )
        )
        reports = lines.sudo(False)._settle(datetime(2026, 3, 31).date())
        for report, agent, greeting, amount in zip(
            reports.sorted(lambda r: r.agent_id != self.agent),
            (self.agent, self.agent_2),
            ("Здравствуйте", "Hello"),
            ("150,00", "275.00"),  # each in its language's number format
            strict=True,
        ):
            mail = report.message_ids.filtered(lambda m: m.partner_ids)
            self.assertEqual(len(mail), 1, report.agent_id.name)
            self.assertEqual(mail.partner_ids, agent, "only the report's own agent")
            self.assertIn(greeting, mail.body)
            self.assertIn(amount, mail.body)
            self.assertIn("/my/commissions", mail.body)
