# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The commission workload shared by the three databases of bench_commission.py.

A agents with one end customer each, N one-line invoices of 1,000 untaxed spread
over three months, paid by one batch payment per month (the register-payment wizard on
that month's invoices, one payment per customer), dated on the month's last day. The
agents charge VAT at 22 % on their commission.
"""

import json
import os
import time
from datetime import date

from stdnum.ru import inn

from odoo import Command

A = int(os.environ.get("BENCH_AGENTS", "20"))
N = int(os.environ.get("BENCH_INVOICES", "2000"))
C = A  # one end customer per agent: a batch payment makes one payment each
RATE = 10.0
MONTHS = (date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1))
MONTH_ENDS = (date(2026, 6, 30), date(2026, 7, 31), date(2026, 8, 31))
SETTLE_TO = date(2026, 8, 31)
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


def tin(number):
    """A valid INN (Russian company TIN) numbered ``number``, for the agents and
    their customers of bench_commission.py and limit_side.py."""
    base = f"52{number:07d}"
    return base + inn.calc_company_check_digit(base)


class Workload:
    def __init__(self, env):
        self.env = env
        self.company = env.company
        self.service = env["product.product"].create(
            {
                "name": "Bench OctoWatch deployment",
                "type": "service",
                "list_price": 1000.0,
                "taxes_id": [Command.clear()],
            }
        )
        # The agents charge VAT at 22 % on their commission, added on top: OCA's bills
        # take it from the commission product, this addon's from the agreements.
        self.commission_vat = env["account.tax"].create(
            {
                "name": "Bench agent VAT 22%",
                "amount": 22.0,
                "type_tax_use": "purchase",
                "company_id": self.company.id,
            }
        )
        self.commission_product = env["product.product"].create(
            {
                "name": "Bench agent commission",
                "type": "service",
                "purchase_ok": True,
                "supplier_taxes_id": [Command.set(self.commission_vat.ids)],
            }
        )
        self.purchase_journal = env["account.journal"].search(
            [("type", "=", "purchase"), ("company_id", "=", self.company.id)], limit=1
        )

    def measure(self, function):
        """Run ``function``; return its result, the seconds and the queries it took."""
        env = self.env
        env.flush_all()
        env.invalidate_all()
        queries = env.cr.sql_log_count
        start = time.perf_counter()
        result = function()
        env.flush_all()
        return result, time.perf_counter() - start, env.cr.sql_log_count - queries

    def create_and_post(self, vals_list):
        """Odoo creating and posting these vendor bills directly (the limit): the
        bills, then the seconds and queries of the creation, then of the posting."""
        bills, create_seconds, create_queries = self.measure(
            lambda: self.env["account.move"].create(vals_list)
        )
        _res, post_seconds, post_queries = self.measure(bills.action_post)
        return bills, create_seconds, create_queries, post_seconds, post_queries

    def create_orders(self, customers, order_vals=None):
        """One sales order per customer, that its invoices come from."""
        return (
            self.env["sale.order"]
            .with_context(**QUIET)
            .create(
                [
                    {
                        "partner_id": customer.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": self.service.id,
                                    "price_unit": 1000.0,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                        **(order_vals(index) if order_vals else {}),
                    }
                    for index, customer in enumerate(customers)
                ]
            )
        )

    def create_invoices(self, customers, orders):
        """N posted invoices: invoice i to customers[i % C] in month i % 3, its line
        invoicing the line of orders[i % C]."""
        vals_list = []
        for index in range(N):
            line = {
                "product_id": self.service.id,
                "quantity": 1,
                "price_unit": 1000.0,
                "tax_ids": [Command.clear()],
                "sale_line_ids": [Command.set(orders[index % C].order_line.ids)],
            }
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": customers[index % C].id,
                    "invoice_date": MONTHS[index % 3].replace(day=1 + index % 28),
                    "invoice_line_ids": [Command.create(line)],
                }
            )
        Move = self.env["account.move"].with_context(**QUIET)
        invoices = Move.browse()
        for start in range(0, N, 500):
            invoices |= Move.create(vals_list[start : start + 500])
        invoices.action_post()
        return invoices

    def pay_monthly(self, invoices):
        """One batch payment per month; the seconds and queries of the three."""
        seconds = queries = 0
        for month, month_end in zip(MONTHS, MONTH_ENDS, strict=True):
            batch = invoices.filtered(
                lambda move, m=month, e=month_end: m <= move.invoice_date <= e
            )
            wizard = (
                self.env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=batch.ids)
                .create({"group_payment": True, "payment_date": month_end})
            )
            _payments, spent, count = self.measure(wizard._create_payments)
            seconds += spent
            queries += count
        paid = invoices.filtered(lambda m: m.payment_state in ("paid", "in_payment"))
        if len(paid) != N:
            raise AssertionError(f"{len(paid)} of {N} invoices paid")
        return seconds, queries


def bill_figures(bills):
    """What the sides are compared on: the same bills, lines, taxes and totals."""
    return {
        "bills": len(bills),
        "bill_lines": len(bills.invoice_line_ids),
        "tax": sum(bills.mapped("amount_tax")),
        "total": sum(bills.mapped("amount_total")),
    }


def commit_workload(env):
    """Commit the workload, then refresh the planner's statistics, as a live database
    is when a settlement runs: its invoices, payments and commission lines were
    committed long before, and autovacuum has analysed them. In the one transaction
    that made them, PostgreSQL checks every foreign key of every row that an UPDATE
    touches, changed or not (the row is its own transaction's), and plans every
    query as if the tables were empty. Each side runs on its own database of the run,
    dropped at its end."""
    env.flush_all()
    env.cr.commit()
    env.cr.execute("ANALYZE")


def save(name, figures):
    with open(os.path.join(os.environ["OCTOWATCH_BENCH_DIR"], name), "w") as out:
        json.dump(figures, out)


def load(name):
    path = os.path.join(os.environ.get("OCTOWATCH_BENCH_DIR", ""), name)
    if not os.path.exists(path):
        return None
    with open(path) as src:
        return json.load(src)
