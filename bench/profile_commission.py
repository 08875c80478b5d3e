# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where the agents' emails of settling go: the queries of every ``_octowatch_notify``
of bench_commission.py, grouped by table and by the innermost caller in Odoo's
``mail``, then a cProfile of their time (the top 30 by cumulative time).

Not run by ``make bench``: run it by hand on a database with the addon installed::

    source scripts/env.sh && OCTOWATCH_BENCH_ROOT=bench/commission \\
        odoo_shell DB bench/profile_commission.py

(the baselines missing there, bench_commission.py prints its own figures only).
"""

import collections
import cProfile
import io
import os
import pstats
import re
import traceback

import odoo.sql_db

from odoo.addons.octowatch_channel.models.octowatch_notify_mixin import (
    OctowatchNotifyMixin,
)

_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE|JOIN)\s+"?([a-z_0-9]+)"?', re.IGNORECASE)
stats = {"tables": collections.Counter(), "callers": collections.Counter(), "n": 0}
depth = [0]
profile = cProfile.Profile()
original_execute = odoo.sql_db.Cursor.execute
original_notify = OctowatchNotifyMixin._octowatch_notify


def execute(self, query, params=None, log_exceptions=True):
    if depth[0]:
        text = str(getattr(query, "code", query))
        match = _TABLE.search(text)
        verb = text.split(None, 1)[0].upper() if text.strip() else "?"
        stats["tables"][f"{verb} {match.group(1) if match else '?'}"] += 1
        caller = "?"
        for frame in reversed(traceback.extract_stack(limit=80)[:-1]):
            if "/odoo/addons/" in frame.filename:
                caller = (
                    f"{frame.filename.split('/odoo/addons/')[-1]}:{frame.lineno}"
                    f" {frame.name}"
                )
                break
        stats["callers"][caller] += 1
    return original_execute(self, query, params, log_exceptions)


def notify(self, *args, **kwargs):
    depth[0] += 1
    try:
        if depth[0] > 1:
            return original_notify(self, *args, **kwargs)
        stats["n"] += len(self)
        return profile.runcall(original_notify, self, *args, **kwargs)
    finally:
        depth[0] -= 1


odoo.sql_db.Cursor.execute = execute
OctowatchNotifyMixin._octowatch_notify = notify
with open(os.path.join(os.getcwd(), "bench", "bench_commission.py")) as source:
    code = source.read()
exec(code)  # noqa: S102 - our own benchmark's code
total = sum(stats["tables"].values())
print(f"===== notifications: {total} queries for {stats['n']} emails (all runs)")
for key, count in stats["tables"].most_common(30):
    print(f"  {count:6d}  {key}")
for key, count in stats["callers"].most_common(40):
    print(f"  {count:6d}  {key}")
out = io.StringIO()
pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
print(out.getvalue())
