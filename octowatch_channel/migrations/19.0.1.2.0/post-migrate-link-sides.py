# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Keep one stored side of each link that was stored on both sides.

Before 19.0.1.2.0 two pairs of Many2one fields mirrored each other and were written by
hand on both sides:

- a channel request's ``deal_id`` and its deal's ``request_id``: the deal's side stays;
- a deal's ``sale_order_id`` and its quotation's ``octowatch_deal_id``: the quotation's
  side stays.

The other side is now computed from the kept one. A record that only the dropped side
linked gets the link on the kept side, then the dropped column goes.
"""

from psycopg2 import sql

# (table, column dropped) -> (table, column kept): the kept column's record is the
# dropped column's target, and it points back.
LINKS = [
    (
        ("octowatch_channel_request", "deal_id"),
        ("octowatch_deal_registration", "request_id"),
    ),
    (
        ("octowatch_deal_registration", "sale_order_id"),
        ("sale_order", "octowatch_deal_id"),
    ),
]


def keep_one_side(cr, dropped, kept):
    """Copy the links of ``dropped`` (table, column) onto ``kept``, then drop it."""
    (source, link), (target, back) = dropped, kept
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = %s AND column_name = %s
        """,
        [source, link],
    )
    if not cr.rowcount:
        return
    cr.execute(
        sql.SQL(
            """
            UPDATE {target} kept
               SET {back} = dropped.id
              FROM {source} dropped
             WHERE dropped.{link} = kept.id
               AND kept.{back} IS NULL
            """
        ).format(
            target=sql.Identifier(target),
            back=sql.Identifier(back),
            source=sql.Identifier(source),
            link=sql.Identifier(link),
        )
    )
    cr.execute(
        sql.SQL("ALTER TABLE {} DROP COLUMN {}").format(
            sql.Identifier(source), sql.Identifier(link)
        )
    )


def migrate(cr, version):
    for dropped, kept in LINKS:
        keep_one_side(cr, dropped, kept)
