#!/usr/bin/env bash
# Run every benchmark of bench/ in `odoo shell` on a throw-away database with the addon
# installed (no demo data of its own needed). Each prints its figures and its ratios.
#   BENCH  run only the benchmarks whose file name contains this string
set -uo pipefail
source "$(dirname "$0")/env.sh"
db="octowatch_bench_$$"
trap 'drop_db "$db"' EXIT
new_db "$db" || exit 1
odoo -d "$db" -i octowatch_channel --stop-after-init --log-level=warn \
    --http-port="${TEST_PORT:-8169}" || exit 1
rc=0
for bench in "$REPO_ROOT"/bench/bench_*.py; do
    case "$(basename "$bench")" in *"${BENCH:-}"*) ;; *) continue ;; esac
    echo "== $(basename "$bench")"
    "$VENV/bin/python" "$ODOO_BIN" shell --addons-path="$ADDONS_PATH" -d "$db" \
        --log-level=warn --no-http <"$bench" 2>&1 \
        | grep -vE "^(Running as user|.* WARNING .*http_interface)" || rc=1
done
exit $rc
