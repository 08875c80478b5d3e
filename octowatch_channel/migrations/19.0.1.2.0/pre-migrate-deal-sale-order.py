# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Keep one stored side of the deal ↔ quotation link.

Before 19.0.1.2.0 the deal stored ``sale_order_id`` and its quotation stored
``octowatch_deal_id``, each written by hand. The quotation's side stays; the deal reads
its quotation from it. A quotation that only the deal pointed at gets the link, then the
deal's column goes.
"""


def migrate(cr, version):
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'octowatch_deal_registration'
           AND column_name = 'sale_order_id'
        """
    )
    if not cr.fetchone():
        return
    cr.execute(
        """
        UPDATE sale_order so
           SET octowatch_deal_id = deal.id
          FROM octowatch_deal_registration deal
         WHERE deal.sale_order_id = so.id
           AND so.octowatch_deal_id IS NULL
        """
    )
    cr.execute("ALTER TABLE octowatch_deal_registration DROP COLUMN sale_order_id")
