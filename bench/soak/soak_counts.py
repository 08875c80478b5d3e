# ruff: noqa: F821 - run in `odoo shell`, which provides env
"""Rows per table of the addon's models and of the tables its flows write, one
``table count`` line each, to compare before and after an upgrade."""

env.cr.execute(
    """SELECT tablename FROM pg_tables WHERE schemaname = 'public'
       AND (tablename LIKE 'octowatch%%' OR tablename = ANY(%s)) ORDER BY tablename""",
    [
        [
            "res_partner",
            "res_users",
            "sale_order",
            "sale_order_line",
            "account_move",
            "account_move_line",
            "account_partial_reconcile",
            "account_payment",
            "mail_message",
            "mail_alias",
            "product_template",
            "product_pricelist_item",
        ]
    ],
)
for (table,) in env.cr.fetchall():
    env.cr.execute(f'SELECT count(*) FROM "{table}"')  # table names from pg_tables
    print(f"{table} {env.cr.fetchone()[0]}")
