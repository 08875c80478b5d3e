# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where an email's queries and time go: through the channel's door and through Odoo's
bare gateway (the baseline of ``bench_channel_inbox.py``).

Not run by ``make bench`` (its name is no ``bench_*.py``): run it by hand on a database
with the addon installed, e.g.::

    source scripts/env.sh && odoo_shell DB bench/profile_inbox.py

It sends a few warm-up emails of each side, then profiles ``PROFILED`` more: the SQL
queries grouped by table and by the innermost caller in the addon (or else in Odoo's
``mail``), and cProfile's top cumulative entries.
"""
# ruff: noqa: F821 - the names of bench_channel_inbox.py, run by exec below

import collections
import cProfile
import io
import os
import pstats
import re
import traceback

import odoo.sql_db

PROFILED = int(os.environ.get("PROFILED", "30"))
SIDES = os.environ.get("SIDES", "door,bare").split(",")

# The benchmark's set-up and email builder, run here as make bench runs them (up to
# its measures): its names (env, email, contact, SENDERS, bare_alias, ...) are ours.
with open(os.path.join(os.getcwd(), "bench", "bench_channel_inbox.py")) as source:
    setup = source.read().split('\nenv.flush_all()\nenv.cr.execute("SAVEPOINT')[0]
exec(setup)  # noqa: S102 - our own benchmark's code

_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE|JOIN)\s+"?([a-z_0-9]+)"?', re.IGNORECASE)
stats = {
    "tables": collections.Counter(),
    "callers": collections.Counter(),
    "dumped": [],
}
# DUMP=text prints the SQL of the queries whose caller names it (to see what they are).
DUMP = os.environ.get("DUMP")
recording = [False]
ADDON = os.path.join(os.getcwd(), "octowatch_channel") + os.sep
original_execute = odoo.sql_db.Cursor.execute


def _caller():
    ours = mail = None
    for frame in reversed(traceback.extract_stack(limit=80)[:-2]):
        name = frame.filename
        if ours is None and name.startswith(ADDON):
            ours = f"{name[len(ADDON) :]}:{frame.lineno} {frame.name}"
        if mail is None and "/odoo/addons/" in name:
            mail = f"{name.split('/odoo/addons/')[-1]}:{frame.lineno} {frame.name}"
        if ours and mail:
            break
    return f"{ours or '-'} < {mail or '?'}"


def execute(self, query, params=None, log_exceptions=True):
    if recording[0]:
        text = str(getattr(query, "code", query))
        match = _TABLE.search(text)
        verb = text.split(None, 1)[0].upper() if text.strip() else "?"
        stats["tables"][f"{verb} {match.group(1) if match else '?'}"] += 1
        caller = _caller()
        stats["callers"][caller] += 1
        if DUMP and DUMP in caller and len(stats["dumped"]) < 200:
            stats["dumped"].append(f"{caller}\n      {text[:300]}")
    return original_execute(self, query, params, log_exceptions)


odoo.sql_db.Cursor.execute = execute
env["mail.gateway.allowed"].create([{"email": s} for s in set(SENDERS)])


def side(name):
    if name == "bare":
        one = bare_gateway_one  # the benchmark's own baseline, per email
        to = bare_alias.alias_full_name
    else:

        def one(i, raw):
            env["mail.thread"].message_process(False, raw)

        to = None
    for i in range(6):
        one(i, email(f"warm-{name}", i, to=to))
    env.flush_all()
    env.invalidate_all()
    raws = [email(f"prof-{name}", i, to=to) for i in range(PROFILED)]
    stats["tables"].clear()
    stats["callers"].clear()
    profiler = cProfile.Profile()
    recording[0] = True
    profiler.enable()
    for i, raw in enumerate(raws):
        one(i, raw)
    env.flush_all()
    profiler.disable()
    recording[0] = False
    total = sum(stats["tables"].values())
    print(f"===== {name}: {total / PROFILED:.1f} queries/email over {PROFILED} emails")
    print("--- by table (per email)")
    for key, count in stats["tables"].most_common(40):
        print(f"  {count / PROFILED:6.2f}  {key}")
    print("--- by caller (per email)")
    for key, count in stats["callers"].most_common(45):
        print(f"  {count / PROFILED:6.2f}  {key}")
    for line in stats["dumped"][:60]:
        print("  SQL", line)
    stats["dumped"].clear()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    print("--- cProfile, cumulative")
    print("\n".join(out.getvalue().splitlines()[:80]))


for name in SIDES:
    side(name)
env.cr.rollback()
