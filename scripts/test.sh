#!/usr/bin/env bash
# Run the addon's tests on a throw-away database and end with "N passed, N failed".
#   TEST_TAGS  Odoo --test-tags (default: every test of the addon)
#   TEST_PORT  the HTTP port of the test server (default 8169, so `make run` can keep 8069)
set -uo pipefail
source "$(dirname "$0")/env.sh"
TEST_TAGS="${TEST_TAGS:-/octowatch_channel}"
TEST_PORT="${TEST_PORT:-8169}"
db="octowatch_test_$$"
log="$(mktemp -t octowatch_test.XXXXXX.log)"
cleanup() { drop_db "$db"; }
trap cleanup EXIT

echo "[test] database $db, log $log"
new_db "$db" || { echo "[test] could not create the test database"; echo "0 passed, 1 failed"; exit 1; }
# payment_demo beside the addon, as on `make run`: the tests pay with its Demo provider.
odoo -d "$db" -i octowatch_channel,payment_demo --with-demo --test-enable --test-tags="$TEST_TAGS" \
    --stop-after-init --http-port="$TEST_PORT" --log-level=info >"$log" 2>&1
odoo_rc=$?

# Everything at WARNING and above, and the per-test lines, go to the console.
grep -E ' (WARNING|ERROR|CRITICAL) |: (Starting|skipped) |^(FAIL|ERROR):|^Traceback|^  ' "$log" \
    | grep -vE 'is ignored: it is neither a file' || true

python3 - "$log" "$odoo_rc" <<'PY'
import re
import sys

log_path, odoo_rc = sys.argv[1], int(sys.argv[2])
text = open(log_path, encoding="utf-8", errors="replace").read()
reports = re.findall(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database", text)
skipped = len(re.findall(r" INFO \S+ odoo\.addons\.\S+: skipped ", text))
errors_outside = [
    line for line in text.splitlines()
    if (
        re.search(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", line)
        or "demo data failed to install" in line
    )
    and "when loading database" not in line
]
if not reports:
    print("[test] Odoo did not report a test result (see the log above)")
    failed, run = max(1, len(errors_outside)), 0
else:
    failures, errors, run = map(int, reports[-1])
    failed = failures + errors
    if run == 0:
        print("[test] no test ran")
        failed = max(failed, 1)
    if not failed and errors_outside:
        print(f"[test] {len(errors_outside)} error line(s) logged outside the tests:")
        print("\n".join(errors_outside))
        failed = len(errors_outside)
passed = max(0, run - skipped - (failures + errors if reports else 0))
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or (odoo_rc and not run) else 0)
PY
