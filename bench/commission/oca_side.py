# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""bench_commission.py, the OCA baseline: OCA's commission_oca + account_commission_oca
19.0 on their own database, the same workload, settled in their payment-based mode and
invoiced grouped (one vendor bill per agent). Run by scripts/bench.sh inside
`odoo shell` (``env`` is given)."""

import os
import sys
from datetime import timedelta

sys.path.insert(0, os.environ["OCTOWATCH_BENCH_ROOT"])
from workload import (
    RATE,
    SETTLE_TO,
    A,
    C,
    N,
    Workload,
    bill_figures,
    commit_workload,
    save,
)

work = Workload(env)  # noqa: F821 - given by odoo shell
Partner = env["res.partner"]  # noqa: F821
commission = env["commission"].create(  # noqa: F821
    {
        "name": f"Bench {RATE}%",
        "commission_type": "fixed",
        "fix_qty": RATE,
        "amount_base_type": "net_amount",
        "invoice_state": "paid",  # payment based, as this addon accrues
    }
)
agents = Partner.create(
    [
        {
            "name": f"Bench Agent {index}",
            "is_company": True,
            "agent": True,
            "commission_id": commission.id,
            "settlement": "monthly",
        }
        for index in range(A)
    ]
)
customers = Partner.create(
    [
        {
            "name": f"Bench Customer {index}",
            "is_company": True,
            "commission_agent_ids": [(6, 0, agents[index % A].ids)],
        }
        for index in range(C)
    ]
)
invoices = work.create_invoices(customers, work.create_orders(customers))
agent_lines = env["account.invoice.line.agent"].search_count(  # noqa: F821
    [("invoice_id", "in", invoices.ids)]
)
if agent_lines != N:
    raise AssertionError(f"OCA made {agent_lines} agent lines for {N} invoices")
work.pay_monthly(invoices)

commit_workload(env)  # noqa: F821 - as bench_commission.py before settling
settle_wizard = env["commission.make.settle"].create(  # noqa: F821
    {"date_to": SETTLE_TO + timedelta(days=1), "settlement_type": "sale_invoice"}
)
_action, settle_seconds, settle_queries = work.measure(settle_wizard.action_settle)
settlements = env["commission.settlement"].search([("state", "=", "settled")])  # noqa: F821
invoice_wizard = env["commission.make.invoice"].create(  # noqa: F821
    {
        "journal_id": work.purchase_journal.id,
        "product_id": work.commission_product.id,
        "date": SETTLE_TO,
        "grouped": True,
        "settlement_ids": [(6, 0, settlements.ids)],
    }
)
action, bill_seconds, bill_queries = work.measure(invoice_wizard.button_create)
bills = env["account.move"].search(action["domain"])  # noqa: F821
_res, post_seconds, post_queries = work.measure(bills.action_post)
save(
    "oca.json",
    {
        "settle_seconds": settle_seconds,
        "settle_queries": settle_queries,
        "bill_seconds": bill_seconds,
        "bill_queries": bill_queries,
        "post_seconds": post_seconds,
        "post_queries": post_queries,
        "settlements": len(settlements),
        **bill_figures(bills),
        "posted": all(bill.state == "posted" for bill in bills),
    },
)
env.cr.rollback()  # noqa: F821
