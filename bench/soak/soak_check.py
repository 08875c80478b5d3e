# ruff: noqa: F821 - run in `odoo shell`, which provides env
"""The invariants of ``make soak``, checked on the database after the load.

Reads the driver's result (SOAK_WORK/result.json) for what it sent. Prints one line
per invariant and a closing ``SOAK-INVARIANTS: N violations`` line.
"""

import json
import os

with open(os.path.join(os.environ["SOAK_WORK"], "result.json")) as result_file:
    result = json.load(result_file)
cr = env.cr
rows = []


def check(name, checked, violations, detail=()):
    rows.append((name, checked, len(violations)))
    for item in list(violations)[:5]:
        print(f"  violation of '{name}': {item}")


# 1. Never two active (registered or invoiced) deals for one TIN.
cr.execute(
    """SELECT company_id, tin, count(*) FROM octowatch_deal_registration
       WHERE state IN ('registered', 'invoiced')
       GROUP BY company_id, tin HAVING count(*) > 1"""
)
doubles = cr.fetchall()
cr.execute("SELECT count(DISTINCT (company_id, tin)) FROM octowatch_deal_registration")
check("never two active deals for one TIN", cr.fetchone()[0], doubles)

# 2. Every paid licence line credited exactly once (and every credit note line of a
#    credited invoice debited once).
Move = env["account.move"]
paid = Move.search(
    [
        ("move_type", "=", "out_invoice"),
        ("state", "=", "posted"),
        ("payment_state", "in", ("paid", "in_payment")),
    ]
)
lines = paid.invoice_line_ids.filtered(
    lambda line: (
        line.product_id.octowatch_is_license and line._octowatch_ledger_quantity() > 0
    )
)
License = env["octowatch.license"].with_context(active_test=False)
entries = License.search([("move_line_id", "in", lines.ids)]).grouped("move_line_id")
bad = []
for line in lines:
    found = entries.get(line, License)
    if (
        len(found) != 1
        or found.quantity != line._octowatch_ledger_quantity()
        or found.state != "active"
        or found.product_id != line.product_id
    ):
        bad.append(
            f"{line.move_id.name} line {line.id}: {len(found)} entries "
            f"{found.mapped('quantity')} {found.mapped('state')} for {line.quantity}"
        )
cr.execute(
    """SELECT move_line_id FROM octowatch_license
       GROUP BY move_line_id HAVING count(*) > 1"""
)
bad += [f"move line {r[0]} has several ledger entries" for r in cr.fetchall()]
refunds = Move.search(
    [
        ("move_type", "=", "out_refund"),
        ("state", "=", "posted"),
        ("reversed_entry_id", "in", paid.ids),
    ]
)
refund_lines = refunds.invoice_line_ids.filtered(
    lambda line: (
        line.product_id.octowatch_is_license and line._octowatch_ledger_quantity()
    )
)
debits = License.search([("move_line_id", "in", refund_lines.ids)]).grouped(
    "move_line_id"
)
for line in refund_lines:
    found = debits.get(line, License)
    if len(found) != 1 or found.quantity != -abs(line._octowatch_ledger_quantity()):
        bad.append(
            f"{line.move_id.name} line {line.id}: debited {found.mapped('quantity')} "
            f"for {line.quantity}"
        )
check(
    "every paid licence line credited exactly once",
    len(lines) + len(refund_lines),
    bad,
)

# 2b. The licence balances are the ledger summed up, whatever ran at the same time.
cr.execute(
    """SELECT end_customer_id, product_id, channel_partner_id, company_id, state,
              SUM(quantity), COUNT(*)
         FROM octowatch_license
        GROUP BY end_customer_id, product_id, channel_partner_id, company_id, state
       EXCEPT
       SELECT end_customer_id, product_id, channel_partner_id, company_id, state,
              quantity, entry_count
         FROM octowatch_license_balance"""
)
missing = cr.fetchall()
cr.execute(
    """SELECT b.id FROM octowatch_license_balance b
        WHERE b.entry_count <> (
              SELECT COUNT(*) FROM octowatch_license l
               WHERE l.end_customer_id = b.end_customer_id
                 AND l.product_id = b.product_id
                 AND l.channel_partner_id IS NOT DISTINCT FROM b.channel_partner_id
                 AND l.company_id = b.company_id AND l.state = b.state)"""
)
stale = cr.fetchall()
cr.execute("SELECT count(*) FROM octowatch_license_balance")
check(
    "the licence balances are the ledger summed up",
    cr.fetchone()[0],
    [f"ledger sums without their balance: {row}" for row in missing]
    + [f"balance {row[0]} counts other entries than the ledger" for row in stale],
)

# 3. Every commission line equal to rate x paid share, recomputed from the
#    reconciliation data; and every payment of a deal invoice accrued exactly once.
Line = env["octowatch.commission.line"]
Agreement = env["octowatch.agency.agreement"]
deal_moves = Move.search(
    [
        ("move_type", "in", ("out_invoice", "out_refund")),
        ("state", "=", "posted"),
    ]
).filtered(lambda m: m._octowatch_deal())
partials = (
    deal_moves.line_ids.matched_debit_ids | deal_moves.line_ids.matched_credit_ids
)
accrued = Line.search([("reversed_line_id", "=", False)])
by_partial = accrued.grouped("partial_reconcile_id")
bad = []
checked = 0
for partial in partials:
    for line, paid_amount, counterpart in (
        (partial.debit_move_id, partial.debit_amount_currency, partial.credit_move_id),
        (partial.credit_move_id, partial.credit_amount_currency, partial.debit_move_id),
    ):
        move = line.move_id
        if move not in deal_moves or counterpart.move_id.is_invoice(
            include_receipts=True
        ):
            continue
        checked += 1
        found = by_partial.get(partial, Line).filtered(lambda c, m=move: c.move_id == m)
        deal = move._octowatch_deal()
        payment_date = counterpart.date or partial.max_date
        agreement = Agreement._get_valid_agreement(
            deal.agent_id, move.company_id, payment_date
        )
        sign = -1 if move.move_type == "out_refund" else 1
        currency = move.currency_id
        base = currency.round(
            sign * move.amount_untaxed * paid_amount / move.amount_total
        )
        amount = currency.round(base * agreement.commission_rate / 100)
        if len(found) != 1:
            bad.append(f"{move.name} partial {partial.id}: {len(found)} lines")
            continue
        if (
            found.agent_id != deal.agent_id
            or found.rate != agreement.commission_rate
            or currency.compare_amounts(found.base_amount, base)
            or currency.compare_amounts(found.amount, amount)
        ):
            bad.append(
                f"{move.name} partial {partial.id}: line {found.amount} at "
                f"{found.rate}% on {found.base_amount}, expected {amount} at "
                f"{agreement.commission_rate}% on {base}"
            )
orphans = accrued.filtered(lambda c: not c.partial_reconcile_id)
bad += [f"commission line {c.id} without its payment matching" for c in orphans]
check("every commission line = rate x paid share", checked, bad)

# 4. Bills equal to their lines.
settled = Line.search([("bill_id", "!=", False)])
bad = []
bills = settled.bill_id
for bill, bill_lines in settled.grouped("bill_id").items():
    total = sum(bill_lines.mapped("amount"))
    untaxed = -bill.amount_untaxed_signed  # a vendor bill is negative in the books
    if bill.currency_id.compare_amounts(untaxed, total):
        bad.append(f"{bill.name or bill.id}: untaxed {untaxed}, lines {total}")
bad += [
    f"line {c.id} settled without a bill"
    for c in Line.search([("state", "=", "settled"), ("bill_id", "=", False)])
    if c.amount
]
check("bills equal to their lines", len(bills), bad)

# 5. No HTTP 500 and no server error shown to a user.
check(
    "no HTTP 500 / server error",
    result["operations"],
    [f"{result['http_500']} HTTP 5xx"] * bool(result["http_500"])
    + [e["op"] + ": " + e["detail"][:300] for e in result["server_errors"]],
)

# 6. No request lost: each email sent has its request.
cr.execute(
    """SELECT message_id FROM mail_message
       WHERE model = 'octowatch.channel.request' AND message_id = ANY(%s)""",
    [result["emails"]],
)
received = {r[0] for r in cr.fetchall()}
check(
    "no request lost (each email has a request)",
    len(result["emails"]),
    [m for m in result["emails"] if m not in received],
)

print(f"{'invariant':48} {'checked':>8} {'violations':>10}")
for name, checked, violations in rows:
    print(f"{name:48} {checked:8d} {violations:10d}")
total = sum(r[2] for r in rows)
print(f"SOAK-INVARIANTS: {total} violations")
