# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

# What a balance is kept per: the ledger's fields that its record rules and the
# portal's pages filter and group on. The portal rule of the ledger reads the end
# customer and the channel Partner; the company rule reads the company.
BALANCE_KEY = ("end_customer_id", "product_id", "channel_partner_id", "company_id")


class OctowatchLicenseBalance(models.Model):
    """The ledger summed up: the licences and the entries per personal account,
    version, channel Partner, company and state.

    The pages that show balances and counts (the portal's counters, ledger and
    clients, the partners' smart buttons) read these rows instead of summing and
    counting every ledger entry on each view: a few rows per account, whatever the
    number of entries. They are written by the ledger itself, in SQL, as its entries
    are created, change state or are deleted (``octowatch.license``
    ``_octowatch_update_balances``), as ``stock.quant`` sums the stock moves; nobody
    writes them by hand.
    """

    _name = "octowatch.license.balance"
    _description = "OctoWatch Licence Balance"
    _order = "end_customer_id, product_id, state"
    _check_company_auto = True

    end_customer_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Version",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    channel_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner / Agent",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, ondelete="cascade"
    )
    state = fields.Selection(
        selection=[("active", "Active"), ("suspended", "Suspended")],
        required=True,
        readonly=True,
    )
    quantity = fields.Integer(
        string="Licences",
        readonly=True,
        aggregator="sum",
        help="The licences of these entries: credits less debits.",
    )
    entry_count = fields.Integer(
        string="Entries",
        readonly=True,
        aggregator="sum",
        help="The ledger entries summed up in this balance.",
    )

    _key_unique = models.UniqueIndex(
        "(end_customer_id, product_id, COALESCE(channel_partner_id, 0), company_id,"
        " state)",
        lambda env, diag: env._("A licence balance is kept once per key."),
    )

    @api.depends("end_customer_id", "product_id", "quantity")
    def _compute_display_name(self):
        for balance in self:
            balance.display_name = self.env._(
                "%(qty)s × %(version)s for %(customer)s",
                qty=balance.quantity,
                version=balance.product_id.octowatch_version_code
                or balance.product_id.name,
                customer=balance.end_customer_id.display_name,
            )

    @api.model
    def _octowatch_entry_count(self, domain=None):
        """How many ledger entries the user may read (the balances' record rules
        are the ledger's) in ``domain``, a domain on the fields the balances share
        with the ledger: one grouped sum, whatever the number of entries."""
        if not self.has_access("read"):
            return 0
        [(count,)] = self._read_group(
            Domain(domain or Domain.TRUE), [], ["entry_count:sum"]
        )
        return count or 0

    @api.model
    def _octowatch_active(self, domain=None):
        """``[(end customer, version, licences)]``: the active licences per
        personal account and version that the user may read, in ``domain``."""
        return [
            (customer, product, quantity)
            for customer, product, quantity, entries in self._read_group(
                Domain("state", "=", "active") & Domain(domain or Domain.TRUE),
                ["end_customer_id", "product_id"],
                ["quantity:sum", "entry_count:sum"],
            )
            if entries
        ]

    @api.model
    def _octowatch_apply(self, entry_ids, sign):
        """Add (``sign`` 1) or take away (-1) the ledger entries ``entry_ids``, as
        they are stored now, from their balances: one upsert for the lot, which
        locks the rows it changes, so two payments crediting one account at the
        same instant add up (or the later one is retried by Odoo), never overwrite
        each other. A balance left with no entry is deleted."""
        if not entry_ids:
            return
        key = SQL(", ").join(SQL.identifier(name) for name in BALANCE_KEY)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO octowatch_license_balance AS balance
                       (%(key)s, state, quantity, entry_count,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(key)s, state, %(sign)s * SUM(quantity), %(sign)s * COUNT(*),
                       %(uid)s, NOW() AT TIME ZONE 'UTC',
                       %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM octowatch_license
                 WHERE id = ANY(%(ids)s)
                 GROUP BY %(key)s, state
                    ON CONFLICT (end_customer_id, product_id,
                                 (COALESCE(channel_partner_id, 0)), company_id, state)
                    DO UPDATE SET quantity = balance.quantity + EXCLUDED.quantity,
                                  entry_count = balance.entry_count
                                                + EXCLUDED.entry_count,
                                  write_uid = EXCLUDED.write_uid,
                                  write_date = EXCLUDED.write_date
                RETURNING id, entry_count
                """,
                key=key,
                sign=sign,
                uid=self.env.uid,
                ids=list(entry_ids),
            )
        )
        emptied = [
            balance_id for balance_id, count in self.env.cr.fetchall() if not count
        ]
        if emptied:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM octowatch_license_balance WHERE id = ANY(%s)",
                    emptied,
                )
            )
        self.invalidate_model()

    @api.model
    def _octowatch_rebuild(self):
        """Sum the whole ledger up again: for a database whose ledger was written
        without the balances (an upgrade from 19.0.1.2.0, rows copied in SQL)."""
        self.env["octowatch.license"].flush_model()
        self.env.cr.execute(SQL("DELETE FROM octowatch_license_balance"))
        self.env.cr.execute(SQL("SELECT id FROM octowatch_license"))
        self._octowatch_apply([entry_id for (entry_id,) in self.env.cr.fetchall()], 1)
