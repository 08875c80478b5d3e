# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""bench_commission.py, the limit of settling on a bare database: Odoo creating and
posting the same vendor bills directly, on a database without octowatch_channel (the
kind plain_side.py runs on, its invoices and payments rolled back), with partners,
lines and taxes like ours and no commission logic at all. Run by scripts/bench.sh
inside `odoo shell` (``env`` is given) after plain_side.py. Measured twice, the first
run with the process's caches cold, then the same bills again; the first is kept as
``cold_*``. bench_commission.py measures the limit itself on its own database (the
same bills beside the invoices they come from) and prints these beside: the bills
beside no invoice at all, and the first run of a process, which OCA/limit reads."""

import os
import sys

sys.path.insert(0, os.environ["OCTOWATCH_BENCH_ROOT"])
from workload import (
    MONTHS,
    QUIET,
    RATE,
    SETTLE_TO,
    A,
    N,
    Workload,
    bill_figures,
    commit_workload,
    save,
    tin,
)

from odoo import Command

work = Workload(env)  # noqa: F821 - given by odoo shell
russia = env.ref("base.ru")  # noqa: F821


# The agents as bench_commission.py makes them, less the addon's fields.
agents = (
    env["res.partner"]  # noqa: F821
    .with_context(**QUIET)
    .create(
        [
            {
                "name": f"Bench Agent {index}",
                "is_company": True,
                "country_id": russia.id,
                "vat": tin(index),
            }
            for index in range(A)
        ]
    )
)


def bill_values(agent_index, agent):
    """The bill the settlement makes for this agent: a line per month of its
    invoices' payments, the commission untaxed, the agent's VAT on top."""
    lines = []
    for month_index, month in enumerate(MONTHS):
        count = sum(
            1 for i in range(N) if i % A == agent_index and i % 3 == month_index
        )
        if not count:
            continue
        lines.append(
            Command.create(
                {
                    "product_id": work.commission_product.id,
                    "name": f"Commission AG-{agent_index}, {month:%Y-%m}"
                    f" ({count} payments)",
                    "quantity": 1,
                    "price_unit": count * 1000.0 * RATE / 100,
                    "tax_ids": [Command.set(work.commission_vat.ids)],
                }
            )
        )
    return {
        "move_type": "in_invoice",
        "partner_id": agent.id,
        "journal_id": work.purchase_journal.id,
        "invoice_date": SETTLE_TO,
        "ref": f"OctoWatch commission to {SETTLE_TO}",
        "invoice_line_ids": lines,
    }


vals_list = [bill_values(index, agent) for index, agent in enumerate(agents)]

# Twice: the first run of the process also builds Odoo's caches (the ORM's trigger
# trees of the move lines' fields, defaults, xmlids); the second, on the same data,
# is the work alone, as a long-lived worker does it.
commit_workload(env)  # noqa: F821 - as bench_commission.py before settling
env.cr.execute("SAVEPOINT limit_bills")  # noqa: F821
_bills, *cold = work.create_and_post(vals_list)
env.cr.execute("ROLLBACK TO SAVEPOINT limit_bills")  # noqa: F821
env.invalidate_all()  # noqa: F821
bills, create_seconds, create_queries, post_seconds, post_queries = (
    work.create_and_post(vals_list)
)
save(
    "limit.json",
    {
        "create_seconds": create_seconds,
        "create_queries": create_queries,
        "post_seconds": post_seconds,
        "post_queries": post_queries,
        "cold_seconds": cold[0] + cold[2],
        "cold_queries": cold[1] + cold[3],
        **bill_figures(bills),
    },
)
env.cr.rollback()  # noqa: F821
