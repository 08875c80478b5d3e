# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""bench_commission.py, the baseline of the accrual cost: the same invoices and
payments on a database without octowatch_channel. Run by scripts/bench.sh inside
`odoo shell` (``env`` is given)."""

import os
import sys

sys.path.insert(0, os.environ["OCTOWATCH_BENCH_ROOT"])
from workload import C, Workload, save

work = Workload(env)  # noqa: F821 - given by odoo shell
customers = env["res.partner"].create(  # noqa: F821
    [{"name": f"Bench Customer {index}", "is_company": True} for index in range(C)]
)
invoices = work.create_invoices(customers, work.create_orders(customers))
pay_seconds, pay_queries = work.pay_monthly(invoices)
save("plain.json", {"pay_seconds": pay_seconds, "pay_queries": pay_queries})
env.cr.rollback()  # noqa: F821
