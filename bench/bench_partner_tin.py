# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Creating channel partners with TIN (INN) validation vs. plain partners.

Run by `make bench` inside `odoo shell` (``env`` is given). Both sides create the same
number of companies in one batch; the channel side has a Russian country, a TIN to
normalise and validate, a role and a legal form. Promise: ratio <= 1.5.
"""

import time

from stdnum.ru import inn

N = 500
ROUNDS = 5
PROMISED_RATIO = 1.5


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
belgium = env.ref("base.be")  # noqa: F821
baseline, channel = [], []
for round_ in range(ROUNDS):
    plain = [
        {"name": f"Plain {round_}-{i}", "is_company": True, "country_id": belgium.id}
        for i in range(N)
    ]
    with_tin = [
        {
            "name": f"Channel {round_}-{i}",
            "is_company": True,
            "country_id": russia.id,
            "vat": f"{tin[:4]} {tin[4:7]}-{tin[7:]}",
            "octowatch_role": "partner" if i % 2 else "agent",
            "octowatch_legal_form": "legal_entity",
        }
        for i, tin in enumerate(tins(round_ * N, N))
    ]
    baseline.append(run(plain))
    channel.append(run(with_tin))
env.cr.rollback()  # noqa: F821

best_base = min(t for t, _ in baseline)
best_channel = min(t for t, _ in channel)
ratio = best_channel / best_base
print(f"partner create, {N} companies in one batch, best of {ROUNDS}")
print(f"  plain, no TIN check:  {best_base * 1000:8.1f} ms  {baseline[0][1]} queries")
print(f"  channel, INN checked: {best_channel * 1000:8.1f} ms  {channel[0][1]} queries")
print(f"  ratio channel/plain:  {ratio:8.2f}  (promised <= {PROMISED_RATIO})")
print(f"  RESULT {'OK' if ratio <= PROMISED_RATIO else 'OVER PROMISE'}")
