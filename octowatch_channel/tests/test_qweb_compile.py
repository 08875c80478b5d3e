# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from unittest.mock import patch

from lxml import etree, html

from odoo import SUPERUSER_ID
from odoo.tests import tagged

from odoo.addons.base.models.ir_qweb import IrQweb

from .common import OctowatchChannelCommon

ACK = "octowatch_channel.mail_template_channel_request_ack"
REJECTED = "octowatch_channel.mail_template_channel_request_rejected"


@tagged("post_install", "-at_install")
class TestQwebCompile(OctowatchChannelCommon):
    """A batch of notices compiles each template body once a language, and each
    record still gets the body that Odoo renders for it alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_russian()
        cls.agent_contact.lang = "ru_RU"
        cls.channel_partner_contact.lang = "en_US"
        cls.subtype_id = cls.env.ref("mail.mt_comment").id

    @contextmanager
    def _compiled_bodies(self):
        """The inline bodies that Odoo compiles meanwhile, one item a compilation
        (views, compiled by their id, are left out)."""
        compiled = []
        generate_code = IrQweb._generate_code_uncached

        def count(qweb, template):
            if isinstance(template, etree._Element):
                compiled.append(etree.tostring(template))
            return generate_code(qweb, template)

        with patch.object(
            IrQweb, "_generate_code_uncached", autospec=True, side_effect=count
        ):
            yield compiled

    def _template(self, xmlid):
        # As _octowatch_notify renders: as the system, which may run the
        # templates' code.
        return self.env.ref(xmlid).with_user(SUPERUSER_ID)

    def _bodies(self, template, records):
        """Record id -> the body of ``template``; as Odoo renders it, one
        compilation a record, unless the template's context holds a dict."""
        return {
            res_id: values["body_html"]
            for res_id, values in template._generate_template(
                records.ids, ("body_html",)
            ).items()
        }

    def _requests(self, count, **vals):
        return self.env["octowatch.channel.request"].concat(
            *(self._service_request(**vals) for _i in range(count))
        )

    def test_a_batch_compiles_its_body_once(self):
        requests = self._requests(3)
        template = self._template(ACK)
        with self._compiled_bodies() as compiled:
            values = requests.with_user(SUPERUSER_ID)._octowatch_rendered_values(
                template, self.subtype_id
            )
        self.assertEqual(len(compiled), 1)
        with self._compiled_bodies() as compiled:
            odoo_bodies = self._bodies(template, requests)
        self.assertEqual(len(compiled), len(requests))
        for request in requests:
            body = values[request.id]["body"]
            self.assertEqual(body, odoo_bodies[request.id], request.name)
            self.assertIn(request.name, body)
        self.assertEqual(
            len({values[request.id]["body"] for request in requests}), len(requests)
        )

    def test_each_language_its_own_body(self):
        russian = self._requests(2)
        english = self.env["octowatch.channel.request"].concat(
            self._invoice_request(), self._invoice_request()
        )
        requests = russian | english
        template = self._template(ACK)
        with self._compiled_bodies() as compiled:
            values = requests.with_user(SUPERUSER_ID)._octowatch_rendered_values(
                template, self.subtype_id
            )
        # One compilation a language: the English body, its Russian translation.
        self.assertEqual(len(compiled), 2)
        odoo_bodies = self._bodies(template, requests)
        for records, greeting, other in (
            (russian, "Здравствуйте", "Hello"),
            (english, "Hello", "Здравствуйте"),
        ):
            for request in records:
                body = values[request.id]["body"]
                self.assertEqual(body, odoo_bodies[request.id], request.name)
                self.assertIn(greeting, body, request.name)
                self.assertNotIn(other, body, request.name)
                self.assertIn(request.name, body)

    def test_two_templates_share_the_dict_not_their_bodies(self):
        requests = self._requests(2)
        ack, rejected = self._template(ACK), self._template(REJECTED)
        batch = {}
        with self._compiled_bodies() as compiled:
            bodies = {
                template: self._bodies(
                    template.with_context(octowatch_qweb_compiled=batch), requests
                )
                for template in (ack, rejected, ack)
            }
        # The acknowledgement, then the rejection; the acknowledgement again
        # finds its own body.
        self.assertEqual(len(compiled), 2)
        self.assertNotEqual(compiled[0], compiled[1])
        for template in (ack, rejected):
            odoo_bodies = self._bodies(template, requests)
            for request in requests:
                self.assertEqual(
                    bodies[template][request.id], odoo_bodies[request.id], template
                )
        self.assertNotEqual(
            bodies[ack][requests[0].id], bodies[rejected][requests[0].id]
        )

    def test_the_context_keys_of_odoos_cache_part_the_bodies(self):
        """One source under two languages is compiled twice, as Odoo's template
        cache keys it by language too."""
        source = '<p>Hello <t t-out="name"/></p>'
        batch = {}
        qweb = self.env["ir.qweb"].with_context(octowatch_qweb_compiled=batch)
        with self._compiled_bodies() as compiled:
            for lang, name in (("en_US", "Ann"), ("ru_RU", "Bob"), ("en_US", "Eve")):
                element = html.fragment_fromstring(source, create_parent="div")
                self.assertEqual(
                    qweb.with_context(lang=lang)._render(element, {"name": name}),
                    f"<div><p>Hello {name}</p></div>",
                )
        self.assertEqual(len(compiled), 2)
        self.assertEqual(len(batch), 2)
