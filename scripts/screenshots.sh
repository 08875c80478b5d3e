#!/usr/bin/env bash
# `make screenshots`: the main portal pages and the back-office overview for the README,
# taken on a throw-away demo database served on port 8274 and saved under
# octowatch_channel/readme/screenshots/. The pages are listed in scripts/screenshots.py
# (PAGES).
set -euo pipefail
source "$(dirname "$0")/env.sh"
DB="${SHOTS_DB:-octowatch_shots}"
PORT="${SHOTS_PORT:-8274}"
OUT="$REPO_ROOT/octowatch_channel/readme/screenshots"

server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    drop_db "$DB"
}
trap cleanup EXIT

drop_db "$DB"
new_db "$DB"
echo "[shots] installing octowatch_channel with its demo data in $DB"
odoo -d "$DB" -i octowatch_channel,payment_demo --with-demo --stop-after-init --http-port="$PORT" \
    --log-level=warn
# The Demo provider, as on `make run`: the portal invoice shows its Pay Now button.
odoo_shell "$DB" "$(dirname "$0")/enable_demo_payment.py"
# The agent Vector reads Russian: its report is printed in its language.
echo "[shots] loading Russian for the agent's report"
odoo_shell "$DB" <(printf '%s\n' \
    'env["res.lang"]._activate_lang("ru_RU")' \
    'env["ir.module.module"].search([("state", "=", "installed")])._update_translations(["ru_RU"])' \
    'env.ref("octowatch_channel.agent_vector").lang = "ru_RU"' \
    'env.cr.commit()' \
    'print("[shots] Russian loaded; Vector reads it")')
# Odoo itself in the background, not the odoo() function: a function would run in a
# subshell whose end leaves the server running.
"$VENV/bin/python" "$ODOO_BIN" --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 \
    -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" --max-cron-threads=0 --log-level=warn &
server_pid=$!
for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$PORT/web/login" >/dev/null && break
    sleep 1
done
"$VENV/bin/python" "$(dirname "$0")/screenshots.py" "http://127.0.0.1:$PORT" "$DB" "$OUT"
