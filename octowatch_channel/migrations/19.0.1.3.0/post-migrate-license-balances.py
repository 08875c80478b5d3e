# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sum the ledger up into the licence balances.

Before 19.0.1.3.0 the portal and the smart buttons summed and counted the ledger's
entries on each view. The balances (``octowatch.license.balance``) are new in this
version and kept by the ledger from now on; the entries written before it are summed
up here once.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["octowatch.license.balance"]._octowatch_rebuild()
