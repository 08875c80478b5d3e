# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Keep one stored side of the link between a channel request and its deal.

Before 19.0.1.2.0 both sides were stored and written by hand: the request's
``deal_id`` and the deal's ``request_id``. The deal's ``request_id`` stays; the
request's ``deal_id`` is now computed from it. A deal that the request names but that
does not name its request back gets the request, and the request's column goes.
"""


def migrate(cr, version):
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'octowatch_channel_request' AND column_name = 'deal_id'
        """
    )
    if not cr.rowcount:
        return
    cr.execute(
        """
        UPDATE octowatch_deal_registration deal
           SET request_id = request.id
          FROM octowatch_channel_request request
         WHERE request.deal_id = deal.id
           AND deal.request_id IS NULL
        """
    )
    cr.execute("ALTER TABLE octowatch_channel_request DROP COLUMN deal_id")
