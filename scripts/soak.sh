#!/usr/bin/env bash
# make soak: a bounded load on a multi-worker Odoo, then the invariants, an upgrade and an
# uninstall, on a throw-away database. Exits non-zero on any violation.
#   SOAK_CLIENTS  concurrent clients (20)      SOAK_CHAINS  business chains (60)
#   SOAK_PORT     HTTP port (8272; gevent port + 1)
set -uo pipefail
source "$(dirname "$0")/env.sh"
db="soak_$$"
port="${SOAK_PORT:-8272}"
url="http://127.0.0.1:$port"
export SOAK_WORK="$(mktemp -d /tmp/soak.XXXXXX)"
work="$SOAK_WORK"
server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
        server_pid=""
    fi
}
cleanup() {
    stop_server
    drop_db "$db"
}
trap cleanup EXIT
start_server() { # start_server LOGFILE
    if curl -s -o /dev/null "$url/web/login"; then
        echo "[soak] something already answers on $url: set SOAK_PORT"
        return 1
    fi
    # exec: $! is then Odoo's own process, which stops its workers on SIGTERM.
    (exec "$VENV/bin/python" "$ODOO_BIN" --addons-path="$ADDONS_PATH" -d "$db" \
        --db-filter="^$db\$" --http-interface=127.0.0.1 --workers=2 \
        --max-cron-threads=1 --http-port="$port" --gevent-port="$((port + 1))" \
        --logfile="$1" --log-level=info) &
    server_pid=$!
    local i
    for i in $(seq 1 120); do
        curl -sf -o /dev/null "$url/web/login" && return 0
        sleep 1
    done
    echo "[soak] the server did not answer on $url"
    return 1
}
rc=0
fail() { echo "[soak] FAILED: $*"; rc=1; }

echo "[soak] database $db, work files in $work"
new_db "$db" || exit 1
odoo -d "$db" -i octowatch_channel --with-demo --stop-after-init --log-level=warn \
    --http-port="$port" || exit 1

echo "[soak] load: Odoo with --workers=2 and cron on $url"
start_server "$work/server.log" || exit 1
"$VENV/bin/python" "$REPO_ROOT/bench/soak/soak_driver.py" run --url "$url" --db "$db" \
    --clients "${SOAK_CLIENTS:-20}" --chains "${SOAK_CHAINS:-60}" \
    --out "$work/result.json" || fail "load driver"
stop_server
tracebacks=$(grep -c "Traceback" "$work/server.log")
echo "[soak] server log: $tracebacks tracebacks," \
    "$(grep -c "unique_live_tin" "$work/server.log") registrations refused by the unique index," \
    "$(grep -c "could not serialize" "$work/server.log") serialization failures," \
    "$(grep -c "tries left" "$work/server.log") requests retried by Odoo," \
    "$(grep -c "maximum number of tries" "$work/server.log") given up"
[ "$tracebacks" -eq 0 ] || fail "tracebacks in the server log"
grep -B2 -A25 "Traceback" "$work/server.log" | head -80

echo "[soak] invariants"
out=$(odoo_shell "$db" "$REPO_ROOT/bench/soak/soak_check.py") || fail "invariant check"
echo "$out"
echo "$out" | grep -q "^SOAK-INVARIANTS: 0 violations" || fail "invariants"

echo "[soak] upgrade: -u octowatch_channel keeps every record"
odoo_shell "$db" "$REPO_ROOT/bench/soak/soak_counts.py" >"$work/before.txt" \
    || fail "counting records before the upgrade"
odoo -d "$db" -u octowatch_channel --stop-after-init --log-level=warn \
    --http-port="$port" || fail "upgrade"
odoo_shell "$db" "$REPO_ROOT/bench/soak/soak_counts.py" >"$work/after.txt" \
    || fail "counting records after the upgrade"
echo "records counted in $(grep -c . "$work/before.txt") tables; $(awk '{s += $2} END {print s}' "$work/before.txt") rows"
if diff "$work/before.txt" "$work/after.txt"; then
    echo "upgrade: every table keeps its records"
else
    fail "upgrade changed record counts"
fi

echo "[soak] uninstall: Odoo keeps working"
# Odoo logs the demo records it keeps because other records still use them
# ("bad query: DELETE ..."): that is how an uninstall leaves shared data alone.
out=$(odoo_shell "$db" "$REPO_ROOT/bench/soak/soak_uninstall.py") || fail "uninstall script"
echo "$out" | grep -v "bad query" | grep -E "^(SOAK|module state)"
echo "records kept by the uninstall because others use them: $(echo "$out" | grep -c "bad query")"
echo "$out" | grep -q "^SOAK-UNINSTALL: uninstalled" || fail "uninstall"
start_server "$work/server2.log" || fail "restart after uninstall"
"$VENV/bin/python" "$REPO_ROOT/bench/soak/soak_driver.py" smoke --url "$url" --db "$db" \
    || fail "smoke after uninstall"
stop_server

[ $rc -eq 0 ] && echo "[soak] PASSED" || echo "[soak] FAILED"
exit $rc
