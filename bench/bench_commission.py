# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Commission settlement and accrual, against OCA's commission_oca and a plain Odoo.

Run by `make bench` inside `odoo shell` (``env`` is given), after scripts/bench.sh ran
the same workload (bench/commission/workload.py: A agents, N invoices over three months,
one batch payment per month) on two other databases of the same run:
- bench/commission/oca_side.py: OCA's commission_oca + account_commission_oca 19.0,
  installed from PyPI, payment-based, settled then invoiced grouped (a bill per agent);
- bench/commission/plain_side.py: the same payments without this addon.
Here every invoice comes from a deal of one of the agents, whose agreement charges its
VAT at 22 %; paying accrues the commission lines, the settle wizard turns them into one
agent's report per agent with its draft vendor bill (VAT on top) and emails the agents,
and accepting the reports posts the bills. Promises: settling (settlement, reports and
bills, posting by acceptance) at least 3x faster than OCA, at most 0.1 queries per
invoice line, and paying at most 1.3x the time without this addon.
"""

import os
import sys

from stdnum.ru import inn

sys.path.insert(0, os.environ["OCTOWATCH_BENCH_ROOT"])
from workload import MONTH_ENDS, QUIET, RATE, SETTLE_TO, A, C, N, Workload, load

PROMISED_SPEEDUP = 3.0
PROMISED_QUERIES = 0.1
PROMISED_ACCRUAL = 1.3

work = Workload(env)  # noqa: F821 - given by odoo shell
company = work.company
company.write(
    {
        "octowatch_commission_product_id": work.commission_product.id,
        "octowatch_commission_journal_id": work.purchase_journal.id,
        "octowatch_provisioning_url": False,
    }
)
Partner = env["res.partner"].with_context(**QUIET)  # noqa: F821
russia = env.ref("base.ru")  # noqa: F821


def tin(number):
    base = f"52{number:07d}"
    return base + inn.calc_company_check_digit(base)


agents = Partner.create(
    [
        {
            "name": f"Bench Agent {index}",
            "is_company": True,
            "country_id": russia.id,
            "vat": tin(index),
            "octowatch_role": "agent",
            "octowatch_legal_form": "legal_entity",
        }
        for index in range(A)
    ]
)
env["octowatch.agency.agreement"].create(  # noqa: F821
    [
        {
            "agent_id": agent.id,
            "date_start": "2026-01-01",
            "commission_rate": RATE,
            "tax_ids": [(6, 0, work.commission_vat.ids)],
        }
        for agent in agents
    ]
).action_activate()
customers = Partner.create(
    [
        {
            "name": f"Bench Customer {index}",
            "is_company": True,
            "country_id": russia.id,
            "vat": tin(1000 + index),
            "octowatch_legal_form": "legal_entity",
            "octowatch_owner_id": agents[index % A].id,
        }
        for index in range(C)
    ]
)
license_product = env["product.product"].create(  # noqa: F821
    {
        "name": "Bench OctoWatch",
        "type": "service",
        "octowatch_is_license": True,
        "octowatch_version_code": "BENCHCOM",
    }
)
deals = (
    env["octowatch.deal.registration"]  # noqa: F821
    .with_context(**QUIET)
    .create(
        [
            {
                "agent_id": agents[index % A].id,
                "tin": customer.vat,
                "company_name": customer.name,
                "end_customer_id": customer.id,
                "product_id": license_product.id,
                "license_qty": 10,
            }
            for index, customer in enumerate(customers)
        ]
    )
)
orders = work.create_orders(
    customers, lambda index: {"octowatch_deal_id": deals[index].id}
)
for deal, order in zip(deals, orders, strict=True):
    deal.write({"sale_order_id": order.id, "state": "invoiced"})
invoices = work.create_invoices(customers, orders)
pay_seconds, pay_queries = work.pay_monthly(invoices)
Line = env["octowatch.commission.line"]  # noqa: F821
accrued = Line.search([("move_id", "in", invoices.ids)])
if len(accrued) != N or sum(accrued.mapped("amount")) != N * 1000.0 * RATE / 100:
    raise AssertionError(f"{len(accrued)} commission lines accrued for {N} invoices")


def settle(date_to):
    wizard = env["octowatch.commission.settle"].create(  # noqa: F821
        {"date_to": date_to, "agent_ids": [(6, 0, agents.ids)]}
    )
    action, seconds, queries = work.measure(wizard.action_settle)
    reports = env["octowatch.agent.report"].search(action["domain"])  # noqa: F821
    return reports, seconds, queries


env.flush_all()  # noqa: F821
env.cr.execute("SAVEPOINT before_settling")  # noqa: F821
reports, settle_seconds, settle_queries = settle(SETTLE_TO)
# The agents accept their reports, which posts the bills (as the portal does).
_res, post_seconds, post_queries = work.measure(reports._octowatch_accept)
bills = reports.bill_id
if (
    len(reports) != A
    or len(bills) != A
    or any(bill.state != "posted" for bill in bills)
    or any(line.state != "settled" for line in accrued)
):
    raise AssertionError(
        f"{len(reports)} reports and {len(bills)} bills for {A} agents"
    )
ours = {
    "settle_seconds": settle_seconds,
    "settle_queries": settle_queries,
    "post_seconds": post_seconds,
    "post_queries": post_queries,
    "bills": len(bills),
    "bill_lines": len(bills.invoice_line_ids),
    "tax": sum(bills.mapped("amount_tax")),
    "total": sum(bills.mapped("amount_total")),
}
# The same settlement in two runs, the first month then the next two: each makes a
# bill per agent from a third, then two thirds of the lines.
env.cr.execute("ROLLBACK TO SAVEPOINT before_settling")  # noqa: F821
env.invalidate_all()  # noqa: F821
rounds = []
for date_to in (MONTH_ENDS[0], SETTLE_TO):
    round_reports, _seconds, queries = settle(date_to)
    rounds.append((len(round_reports.commission_line_ids), queries))
env.cr.rollback()  # noqa: F821

oca, plain = load("oca.json"), load("plain.json")
print(f"commission: {A} agents, {N} paid invoices over three months")
print(
    "  settling into agent's reports and vendor bills (one per agent, VAT 22 % on top),"
    " posted by accepting the reports"
)
ours_total = ours["settle_seconds"] + ours["post_seconds"]
ours_queries = ours["settle_queries"] + ours["post_queries"]
print(
    f"    this addon   settlement+bills {ours['settle_seconds']:6.2f} s"
    f"  acceptance+posting {ours['post_seconds']:6.2f} s  total {ours_total:6.2f} s"
    f"  {ours_queries / N:5.3f} queries/invoice line"
    f"  ({ours['bills']} reports and bills, {ours['bill_lines']} lines,"
    f" {ours['total']:,.2f} of which VAT {ours['tax']:,.2f})"
)
ok = ours_queries / N <= PROMISED_QUERIES
if oca:
    oca_total = oca["settle_seconds"] + oca["bill_seconds"] + oca["post_seconds"]
    oca_queries = oca["settle_queries"] + oca["bill_queries"] + oca["post_queries"]
    print(
        f"    OCA grouped  settlement {oca['settle_seconds']:6.2f} s"
        f"  bills {oca['bill_seconds']:6.2f} s  posting {oca['post_seconds']:6.2f} s"
        f"  total {oca_total:6.2f} s  {oca_queries / N:5.3f} queries/invoice line"
        f"  ({oca['settlements']} settlements, {oca['bills']} bills,"
        f" {oca['total']:,.2f})"
    )
    speedup = oca_total / ours_total
    print(f"    OCA/ours:    {speedup:6.2f}x  (promised >= {PROMISED_SPEEDUP}x)")
    ok = ok and speedup >= PROMISED_SPEEDUP and oca["total"] == ours["total"]
else:
    print("    OCA baseline missing (see scripts/bench.sh)")
    ok = False
print(
    f"    queries/invoice line: {ours_queries / N:.3f} (promised <= {PROMISED_QUERIES})"
)
print(
    "    settling in two runs: "
    + ", then ".join(
        f"{lines} lines in {queries} queries ({queries / A:.1f} per agent)"
        for lines, queries in rounds
    )
)
print("  paying the N invoices (one batch payment per month)")
print(
    f"    with this addon (accrual) {pay_seconds:6.2f} s  {pay_queries / N:5.1f} q/inv"
)
if plain:
    accrual = pay_seconds / plain["pay_seconds"]
    print(
        f"    without this addon        {plain['pay_seconds']:6.2f} s"
        f"  {plain['pay_queries'] / N:5.1f} q/inv"
    )
    print(
        f"    ratio:                    {accrual:6.2f}"
        f"  (promised <= {PROMISED_ACCRUAL})"
    )
    ok = ok and accrual <= PROMISED_ACCRUAL
else:
    print("    baseline without the addon missing (see scripts/bench.sh)")
    ok = False
print(f"  RESULT {'OK' if ok else 'OVER PROMISE'}")
