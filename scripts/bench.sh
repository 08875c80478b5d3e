#!/usr/bin/env bash
# Run every benchmark of bench/ in `odoo shell` on a throw-away database with the addon
# installed (no demo data of its own needed). Each prints its figures and its ratios.
#   BENCH  run only the benchmarks whose file name contains this string
set -uo pipefail
source "$(dirname "$0")/env.sh"
db="octowatch_bench_$$"
export OCTOWATCH_BENCH_DIR="$(mktemp -d -t octowatch_bench.XXXXXX)"
export OCTOWATCH_BENCH_ROOT="$REPO_ROOT/bench/commission"
trap 'drop_db "$db"; drop_db "${db}_plain"; drop_db "${db}_oca"; drop_db "${db}_ours"; rm -rf "$OCTOWATCH_BENCH_DIR"' EXIT
selected() { case "$1" in *"${BENCH:-}"*) return 0 ;; esac; return 1; }

# The commission benchmark compares with OCA's commission modules, installed from PyPI
# into the virtualenv, and with a plain Odoo (its payments, and the limit: the same
# vendor bills created and posted directly): each on its own database of this run.
OCA_WHEELS=("odoo-addon-commission-oca==19.0.2.0.0.10" "odoo-addon-account-commission-oca==19.0.1.0.1.4")
if selected bench_commission.py; then
    "$VENV/bin/pip" install -q --no-deps "${OCA_WHEELS[@]}" || exit 1
    site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    echo "== bench_commission.py baselines: a plain Odoo, then OCA (about three minutes)"
    new_db "${db}_plain" || exit 1
    odoo_shell "${db}_plain" "$OCTOWATCH_BENCH_ROOT/plain_side.py" || exit 1
    odoo_shell "${db}_plain" "$OCTOWATCH_BENCH_ROOT/limit_side.py" || exit 1
    new_db "${db}_oca" || exit 1
    odoo -d "${db}_oca" --addons-path="$ADDONS_PATH,$site/odoo/addons" -i account_commission_oca \
        --stop-after-init --log-level=warn --http-port="${TEST_PORT:-8169}" || exit 1
    odoo_shell "${db}_oca" "$OCTOWATCH_BENCH_ROOT/oca_side.py" "$ADDONS_PATH,$site/odoo/addons" || exit 1
fi

# addon_db NAME: a fresh database with the addon installed (no demo data).
addon_db() {
    new_db "$1" && odoo -d "$1" -i octowatch_channel --stop-after-init \
        --log-level=warn --http-port="${TEST_PORT:-8169}"
}

addon_db "$db" || exit 1
rc=0
for bench in "$REPO_ROOT"/bench/bench_*.py; do
    selected "$(basename "$bench")" || continue
    echo "== $(basename "$bench")"
    if [ "$(basename "$bench")" = bench_commission.py ]; then
        # It commits its workload before settling, as the baselines do theirs
        # (bench/commission/workload.py): a database of its own.
        addon_db "${db}_ours" || exit 1
        odoo_shell "${db}_ours" "$bench" || rc=1
        continue
    fi
    odoo_shell "$db" "$bench" || rc=1
done
exit $rc
