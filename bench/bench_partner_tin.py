# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Creating channel partners with TIN (INN) validation vs. plain partners.

Run by `make bench` inside `odoo shell` (``env`` is given). Both sides create the same
number of companies in one batch; the channel side has a Russian country, a TIN to
normalise and validate, a role and a legal form; the channel Partners get the
company's partner pricelist, as in production. Promises: ratio <= 1.5, and no query per
company: from N / 10 to N companies, the channel side's queries grow no more than the
plain side's (Odoo inserts and updates by the hundred), give or take two.
"""

import time

from stdnum.ru import inn

N = 500
SMALL = 50
ROUNDS = 5
PROMISED_RATIO = 1.5
PROMISED_EXTRA_QUERIES = 2  # growth from N / 10 to N companies, beyond plain's


def tins(start, count):
    for i in range(start, start + count):
        base = f"77{i:07d}"
        yield base + inn.calc_company_check_digit(base)


def run(vals_list):
    env.invalidate_all()  # noqa: F821 - given by odoo shell
    t0 = time.perf_counter()
    queries0 = env.cr.sql_log_count  # noqa: F821
    env["res.partner"].create(vals_list)  # noqa: F821
    env.flush_all()  # noqa: F821
    return time.perf_counter() - t0, env.cr.sql_log_count - queries0  # noqa: F821


russia = env.ref("base.ru")  # noqa: F821
company = env.company  # noqa: F821
if not company.octowatch_partner_pricelist_id:
    company.octowatch_partner_pricelist_id = env["product.pricelist"].create(  # noqa: F821
        {
            "name": "Bench partner prices",
            "octowatch_is_partner_pricelist": True,
            "company_id": company.id,
            "currency_id": company.currency_id.id,
        }
    )


def channel_vals(prefix, start, count):
    return [
        {
            "name": f"Channel {prefix}-{i}",
            "is_company": True,
            "country_id": russia.id,
            "vat": f"{tin[:4]} {tin[4:7]}-{tin[7:]}",
            "octowatch_role": "partner" if i % 2 else "agent",
            "octowatch_legal_form": "legal_entity",
        }
        for i, tin in enumerate(tins(start, count))
    ]


belgium = env.ref("base.be")  # noqa: F821


def plain_vals(prefix, count):
    return [
        {"name": f"Plain {prefix}-{i}", "is_company": True, "country_id": belgium.id}
        for i in range(count)
    ]


baseline, channel = [], []
for round_ in range(ROUNDS):
    baseline.append(run(plain_vals(round_, N)))
    channel.append(run(channel_vals(round_, round_ * N, N)))
_seconds, small_plain = run(plain_vals("small", SMALL))
_seconds, small_queries = run(channel_vals("small", ROUNDS * N, SMALL))
env.cr.rollback()  # noqa: F821

best_base = min(t for t, _ in baseline)
best_channel = min(t for t, _ in channel)
ratio = best_channel / best_base
print(f"partner create, {N} companies in one batch, best of {ROUNDS}")
print(f"  plain, no TIN check:  {best_base * 1000:8.1f} ms  {baseline[-1][1]} queries")
print(
    f"  channel, INN checked: {best_channel * 1000:8.1f} ms  {channel[-1][1]} queries"
)
print(
    f"  {SMALL} companies:         plain {small_plain} queries,"
    f" channel {small_queries} queries"
)
print(f"  ratio channel/plain:  {ratio:8.2f}  (promised <= {PROMISED_RATIO})")
# Both with warm caches (the last round).
extra = (channel[-1][1] - small_queries) - (baseline[-1][1] - small_plain)
print(
    f"  queries from {SMALL} to {N} companies: channel"
    f" {channel[-1][1] - small_queries:+d}, plain {baseline[-1][1] - small_plain:+d},"
    f" difference {extra:+d} (promised <= +{PROMISED_EXTRA_QUERIES}: none per company)"
)
ok = ratio <= PROMISED_RATIO and extra <= PROMISED_EXTRA_QUERIES
print(f"  RESULT {'OK' if ok else 'MISSED'}")
