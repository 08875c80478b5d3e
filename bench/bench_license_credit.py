# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One batch payment for many licence invoices, against the same for plain invoices.

Run by `make bench` inside `odoo shell` (``env`` is given). Both sides post N invoices
of one line for one customer (licence product or plain service, same price) and register
one grouped payment for all of them; crediting happens inside the licence side's
payment.
Promises: time ratio <= 1.5, and the queries crediting costs per invoice do not grow
with N (the ORM inserts and updates by batches of rows, never one invoice at a time).
"""

import os
import time

from odoo import Command

N = int(os.environ.get("BENCH_INVOICES", "1000"))
PROMISED_RATIO = 1.5

company = env.company  # noqa: F821 - given by odoo shell
company.octowatch_provisioning_url = False
customer = env["res.partner"].create({"name": "Bench Customer"})  # noqa: F821
Product = env["product.product"]  # noqa: F821
license_product = Product.create(
    {
        "name": "Bench OctoWatch",
        "type": "service",
        "octowatch_is_license": True,
        "octowatch_version_code": "BENCHLIC",
        "list_price": 100.0,
        "taxes_id": [Command.clear()],
    }
)
plain_product = Product.create(
    {
        "name": "Bench service",
        "type": "service",
        "list_price": 100.0,
        "taxes_id": [Command.clear()],
    }
)
company.octowatch_published_pricelist_id = False  # no floor: only crediting is measured


def posted_invoices(product, count):
    moves = env["account.move"].create(  # noqa: F821
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2026-05-04",
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": 3, "price_unit": 100.0}
                    )
                ],
            }
            for _ in range(count)
        ]
    )
    moves.action_post()
    return moves


def pay(moves):
    env.flush_all()  # noqa: F821
    env.invalidate_all()  # noqa: F821
    queries = env.cr.sql_log_count  # noqa: F821
    t0 = time.perf_counter()
    env["account.payment.register"].with_context(  # noqa: F821
        active_model="account.move", active_ids=moves.ids
    ).create({"group_payment": True, "payment_date": "2026-05-05"})._create_payments()
    env.flush_all()  # noqa: F821
    return time.perf_counter() - t0, env.cr.sql_log_count - queries  # noqa: F821


def credit_queries(count):
    moves = posted_invoices(license_product, count)
    pay(moves)
    moves.octowatch_license_ids.unlink()
    env.flush_all()  # noqa: F821
    env.invalidate_all()  # noqa: F821
    queries = env.cr.sql_log_count  # noqa: F821
    moves._octowatch_credit_licenses()
    env.flush_all()  # noqa: F821
    return env.cr.sql_log_count - queries  # noqa: F821


plain_time, plain_queries = pay(posted_invoices(plain_product, N))
license_moves = posted_invoices(license_product, N)
license_time, license_queries = pay(license_moves)
credited = sum(license_moves.octowatch_license_ids.mapped("quantity"))
SMALL = max(N // 10, 1)
small, large = credit_queries(SMALL), credit_queries(N)
env.cr.rollback()  # noqa: F821

ratio = license_time / plain_time
print(f"one grouped payment for {N} invoices of one line")
for label, seconds, queries in (
    ("plain service invoices", plain_time, plain_queries),
    ("licence invoices", license_time, license_queries),
):
    print(f"  {label:23} {seconds:8.2f} s  {queries / N:6.1f} queries each")
print(f"  licences credited:      {credited} (expected {3 * N})")
print(f"  ratio licence/plain:    {ratio:8.2f}  (promised <= {PROMISED_RATIO})")
print(
    f"  crediting queries:      {small} for {SMALL} invoices "
    f"({small / SMALL:.3f} each), {large} for {N} ({large / N:.3f} each)"
)
ok = ratio <= PROMISED_RATIO and large / N <= small / SMALL and credited == 3 * N
print(f"  RESULT {'OK' if ok else 'OVER PROMISE'}")
