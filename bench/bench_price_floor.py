# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Confirming a sale order of licence lines with and without the published-price floor.

Run by `make bench` inside `odoo shell` (``env`` is given). Both sides confirm identical
orders of 200 licence lines for an end customer (four products with quantity breaks,
one line in three in Dozens, and a discount line that the floor spreads over the
others); the baseline runs with the floor check replaced by a no-op. Promises:
confirmation ratio <= 1.3, and the check's query count is the same for 20 and 200 lines,
on the order and on its invoice.
"""

import time

from odoo import Command

from odoo.addons.octowatch_channel.models.sale_order import SaleOrder

LINES = 200
ROUNDS = 5
PROMISED_RATIO = 1.3

company = env.company  # noqa: F821 - given by odoo shell
Product = env["product.product"]  # noqa: F821
products = Product.create(
    [
        {
            "name": f"Bench OctoWatch {code}",
            "type": "service",
            "octowatch_is_license": True,
            "octowatch_version_code": f"BENCH{code}",
            "list_price": 100.0 * (i + 1),
        }
        for i, code in enumerate(("A", "B", "C", "D"))
    ]
)
published = env["product.pricelist"].create(  # noqa: F821
    {
        "name": "Bench published",
        "currency_id": company.currency_id.id,
        "item_ids": [
            Command.create(
                {
                    "applied_on": "0_product_variant",
                    "product_id": product.id,
                    "min_quantity": qty,
                    "compute_price": "fixed",
                    "fixed_price": product.list_price - qty,
                }
            )
            for product in products
            for qty in (0, 10, 50)
        ],
    }
)
company.octowatch_published_pricelist_id = published
customer = env["res.partner"].create({"name": "Bench End Customer"})  # noqa: F821


dozen = env.ref("uom.product_uom_dozen")  # noqa: F821
discount_product = Product.create({"name": "Bench discount", "type": "service"})


def new_order(n_lines):
    return env["sale.order"].create(  # noqa: F821
        {
            "partner_id": customer.id,
            "pricelist_id": published.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": products[i % 4].id,
                        "product_uom_qty": 1 + i % 60,
                        "product_uom_id": (
                            dozen if i % 3 == 0 else products[i % 4].uom_id
                        ).id,
                        "price_unit": (products[i % 4].list_price + 1)
                        * (12 if i % 3 == 0 else 1),
                    }
                )
                for i in range(n_lines)
            ]
            + [
                Command.create(
                    {
                        "product_id": discount_product.id,
                        "product_uom_qty": 1,
                        "price_unit": -1.0,
                    }
                )
            ],
        }
    )


def confirm_time(order):
    env.flush_all()  # noqa: F821
    env.invalidate_all()  # noqa: F821
    t0 = time.perf_counter()
    order.action_confirm()
    env.flush_all()  # noqa: F821
    return time.perf_counter() - t0


def count(check):
    env.flush_all()  # noqa: F821
    env.invalidate_all()  # noqa: F821
    before = env.cr.sql_log_count  # noqa: F821
    check()
    return env.cr.sql_log_count - before  # noqa: F821


def check_queries(n_lines):
    """Queries of the check on an order, then on its invoice."""
    order = new_order(n_lines)
    on_order = count(order._octowatch_check_pricing)
    order.action_confirm()
    invoice = order._create_invoices()
    on_invoice = count(
        lambda: env["account.move.line"]._octowatch_floor_check(invoice)  # noqa: F821
    )
    return on_order, on_invoice


real_check = SaleOrder._octowatch_check_pricing
with_check, without_check = [], []
for _ in range(ROUNDS):
    with_check.append(confirm_time(new_order(LINES)))
    SaleOrder._octowatch_check_pricing = lambda self: None
    try:
        without_check.append(confirm_time(new_order(LINES)))
    finally:
        SaleOrder._octowatch_check_pricing = real_check

check_queries(2)  # warm the registry caches
queries_20, queries_200 = check_queries(20), check_queries(200)
env.cr.rollback()  # noqa: F821

best_with, best_without = min(with_check), min(without_check)
ratio = best_with / best_without
print(f"confirm a sale order of {LINES} licence lines, best of {ROUNDS}")
print(f"  without the floor check: {best_without * 1000:8.1f} ms")
print(f"  with the floor check:    {best_with * 1000:8.1f} ms")
print(f"  ratio with/without:      {ratio:8.2f}  (promised <= {PROMISED_RATIO})")
print(
    f"  queries of the check:    {queries_20[0]} for 20 lines, {queries_200[0]} for "
    "200 lines"
)
print(
    f"  on their invoice:        {queries_20[1]} for 20 lines, {queries_200[1]} for "
    "200 lines"
)
ok = ratio <= PROMISED_RATIO and queries_20 == queries_200
print(f"  RESULT {'OK' if ok else 'OVER PROMISE'}")
