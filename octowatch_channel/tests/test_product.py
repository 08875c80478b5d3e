# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import OctowatchChannelCommon


@tagged("post_install", "-at_install")
class TestLicenseProduct(OctowatchChannelCommon):
    def _license(self, code, **vals):
        return self.env["product.template"].create(
            {
                "name": f"OctoWatch {code}",
                "type": "service",
                "octowatch_is_license": True,
                "octowatch_version_code": code,
            }
            | vals
        )

    def test_version_code_unique_case_insensitive(self):
        with self.assertRaisesRegex(ValidationError, "already used by"):
            self._license("tstd")
        with self.assertRaisesRegex(ValidationError, "already used by"):
            self._license(" TENT ")

    def test_version_code_unique_per_company(self):
        first = self._license("KZ1", company_id=self.company_2.id)
        second = self._license("kz1", company_id=self.company.id)
        self.assertEqual(first.octowatch_version_code, "KZ1")
        self.assertEqual(second.octowatch_version_code, "kz1")

    def test_license_needs_version_code(self):
        with self.assertRaisesRegex(ValidationError, "set its Version Code"):
            self._license(False)

    def test_version_code_is_stripped(self):
        self.assertEqual(self._license("  PRO  ").octowatch_version_code, "PRO")
