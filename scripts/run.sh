#!/usr/bin/env bash
# Create database $DB once (with the addon and its demo data) and serve it on $PORT.
set -euo pipefail
source "$(dirname "$0")/env.sh"
DB="${DB:-octowatch}"
PORT="${PORT:-8069}"

installed=$(psql -d "$DB" -tAc "select state from ir_module_module where name='octowatch_channel'" 2>/dev/null || true)
if [ "$installed" != "installed" ]; then
    echo "[run] creating database $DB with octowatch_channel and its demo data (about a minute)"
    psql -d postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1 || new_db "$DB"
    odoo -d "$DB" -i octowatch_channel,payment_demo --with-demo --stop-after-init \
        --http-port="$PORT" --log-level=warn
    # The Demo provider, in test mode, in every company: a Partner pays its invoice on
    # the portal with it. A real deployment enables its own provider instead (README).
    odoo_shell "$DB" "$(dirname "$0")/enable_demo_payment.py"
fi
cat <<MSG

  OctoWatch Channel is served on http://localhost:$PORT   (database $DB)

  Back office  admin / admin
  Portal       partner: partner@demo.octowatch.example / partner
               agent:   agent@demo.octowatch.example / agent
               client:  client@demo.octowatch.example / client

  Stop with Ctrl-C.
MSG
exec "$VENV/bin/python" "$ODOO_BIN" --addons-path="$ADDONS_PATH" -d "$DB" --db-filter="^$DB\$" \
    --http-interface="${HTTP_INTERFACE:-127.0.0.1}" \
    --http-port="$PORT" --log-level=info
