# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.2.0: the addon's emails go to the recipients their templates name.

The templates are ``noupdate`` data: the databases installed before keep Odoo's
default "Default Recipients" (``use_default_to``), which ignores the templates'
``partner_to``. Every automatic email now goes through the notification mixin,
which posts one template a record: its ``partner_to`` must be used.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    data = env["ir.model.data"].search(
        [("module", "=", "octowatch_channel"), ("model", "=", "mail.template")]
    )
    env["mail.template"].browse(data.mapped("res_id")).exists().use_default_to = False
