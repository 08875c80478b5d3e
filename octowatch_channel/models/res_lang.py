# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _octowatch_installed_code(self, iso_code):
        """The code of an installed language of ``iso_code`` (``"ru"``), the
        company's own first; ``""`` when none is installed."""
        if not iso_code:
            return ""
        codes = [
            code
            for code, _name in self.get_installed()
            if code == iso_code or code.startswith(f"{iso_code}_")
        ]
        own = self.env.company.partner_id.lang
        return own if own in codes else next(iter(codes), "")
