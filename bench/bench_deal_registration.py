# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One deal registration with 100 and with 10,000 deals already registered.

Run by `make bench` inside `odoo shell` (``env`` is given). The existing deals are
built in batches (each with its own end customer and a distinct valid TIN), then single
registrations of new TINs go through ``_register_deal`` as the inbox and the portal
call it. Promise: time ratio 10,000/100 <= 1.5, and the same query count at both sizes.
"""

import statistics
import time

from stdnum.ru import inn

SMALL = 100
LARGE = 10_000
BATCH = 1_000
SAMPLES = 30
PROMISED_RATIO = 1.5

quiet = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
Deal = env["octowatch.deal.registration"]  # noqa: F821 - given by odoo shell
Partner = env["res.partner"]  # noqa: F821


def tins(start, count):
    for i in range(start, start + count):
        base = f"78{i:07d}"
        yield base + inn.calc_company_check_digit(base)


agent = Partner.create(
    {
        "name": "Bench Agent LLC",
        "is_company": True,
        "country_id": env.ref("base.ru").id,  # noqa: F821
        "vat": "7712345671",
        "octowatch_role": "agent",
        "octowatch_legal_form": "legal_entity",
    }
)
product = (
    env["product.template"]  # noqa: F821
    .create(
        {
            "name": "OctoWatch Bench",
            "type": "service",
            "octowatch_is_license": True,
            "octowatch_version_code": "BENCH",
        }
    )
    .product_variant_id
)
existing = 0


def fill_to(total):
    """Register deals (with their customers) in batches until ``total`` exist."""
    global existing
    while existing < total:
        count = min(BATCH, total - existing)
        batch_tins = list(tins(existing, count))
        customers = Partner.with_context(**quiet).create(
            [
                {
                    "name": f"Customer {tin}",
                    "is_company": True,
                    "country_id": env.ref("base.ru").id,  # noqa: F821
                    "vat": tin,
                    "octowatch_legal_form": "legal_entity",
                    "octowatch_owner_id": agent.id,
                }
                for tin in batch_tins
            ]
        )
        Deal.with_context(**quiet).create(
            [
                {
                    "agent_id": agent.id,
                    "tin": tin,
                    "company_name": customer.name,
                    "end_customer_id": customer.id,
                    "product_id": product.id,
                    "license_qty": 10,
                }
                for tin, customer in zip(batch_tins, customers, strict=True)
            ]
        )
        env.flush_all()  # noqa: F821
        existing += count
    # A live database's autovacuum analyses the tables after such a bulk load.
    env.cr.execute("ANALYZE res_partner, octowatch_deal_registration")  # noqa: F821


def measure(first_tin):
    """Median time and query count of single registrations of new TINs."""
    times, queries = [], set()
    for tin in tins(first_tin, SAMPLES):
        env.invalidate_all()  # noqa: F821
        q0 = env.cr.sql_log_count  # noqa: F821
        t0 = time.perf_counter()
        deal = Deal._register_deal(agent, tin, f"New {tin}", product, 5)
        env.flush_all()  # noqa: F821
        times.append(time.perf_counter() - t0)
        queries.add(env.cr.sql_log_count - q0)  # noqa: F821
        assert deal.state == "registered", deal.rejection_reason
    return statistics.median(times), queries


fill_to(SMALL)
measure(900_000)  # warm-up: caches, sequence, templates
t_small, q_small = measure(910_000)
t0 = time.perf_counter()
fill_to(LARGE)
build = time.perf_counter() - t0
t_large, q_large = measure(920_000)
env.cr.rollback()  # noqa: F821

ratio = t_large / t_small
constant = q_small == q_large and len(q_small) == 1
print(f"deal registration, median of {SAMPLES} single registrations")
print(f"  built {LARGE - SMALL} more deals with customers in {build:.1f} s")
print(f"  with {SMALL:>6} deals: {t_small * 1000:8.2f} ms  queries {sorted(q_small)}")
print(f"  with {LARGE:>6} deals: {t_large * 1000:8.2f} ms  queries {sorted(q_large)}")
print(f"  ratio {LARGE}/{SMALL}:  {ratio:8.2f}  (promised <= {PROMISED_RATIO})")
print(f"  query count constant: {constant}")
print(f"  RESULT {'OK' if ratio <= PROMISED_RATIO and constant else 'OVER PROMISE'}")
