#!/usr/bin/env bash
# make mailflow: the partners@ door end to end with real mail servers on 127.0.0.1.
#
#   dovecot (IMAP, its own unprivileged instance in a temp folder) holds the partners@
#   mailbox with the client fixtures of octowatch_channel/tests/mail/clients/;
#   Odoo's incoming mail server (fetchmail.server) fetches them over IMAP;
#   Odoo's own odoo-mailgate.py pipes one more email in over XML-RPC;
#   the acknowledgements leave through an SMTP server on 127.0.0.1 (aiosmtpd) that
#   keeps them as files; the agent's one-time confirmation link is followed over HTTP;
#   the check reads the emails back and compares every request and every answer with
#   what it must be. Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/env.sh"

FIXTURES="$REPO_ROOT/octowatch_channel/tests/mail/clients"
MAILGATE_FIXTURE="apple_mail_utf-8_alternative_forward.eml"
DB="octowatch_mailflow_$$"
WORK="$(mktemp -d /tmp/octowatch_mailflow.XXXXXX)"
IMAP_USER="partners@octowatchdlp.com"
IMAP_PASSWORD="mailflow-$$"
say() { echo "[mailflow] $*"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
IMAP_PORT="${MAILFLOW_IMAP_PORT:-$(free_port)}"
SMTP_PORT="${MAILFLOW_SMTP_PORT:-$(free_port)}"
HTTP_PORT="${MAILFLOW_HTTP_PORT:-$(free_port)}"

# --- what it needs: dovecot (Debian), aiosmtpd (the dev requirements) ------------------
if ! command -v dovecot >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing dovecot-imapd"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
    else
        echo "dovecot is not installed: apt-get install dovecot-imapd" >&2
        exit 2
    fi
fi
"$VENV/bin/python" -c "import aiosmtpd" 2>/dev/null || "$VENV/bin/pip" install -q aiosmtpd

PIDS=()
cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$WORK/run/master.pid" ] && kill "$(cat "$WORK/run/master.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
    dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    rm -rf "${FILESTORE:?}/$DB"
    if [ "$status" = 0 ]; then rm -rf "$WORK"; else say "logs kept in $WORK"; fi
    exit "$status"
}
trap cleanup EXIT

# --- the SMTP sink ---------------------------------------------------------------------
mkdir -p "$WORK/outbox"
"$VENV/bin/python" "$REPO_ROOT/scripts/mailflow_smtp.py" "$SMTP_PORT" "$WORK/outbox" \
    >"$WORK/smtp.log" 2>&1 &
PIDS+=($!)

# --- dovecot: its own instance, config and Maildir in $WORK -----------------------------
mkdir -p "$WORK/run" "$WORK/state" "$WORK/mail"
if [ "$(id -u)" = 0 ]; then
    # Dovecot's own users read the temp folder and its password file.
    # and the mailbox belongs to dovecot's user: mail is never handled as root.
    login_user=dovenull internal_user=dovecot
    mail_uid="$(id -u dovecot)" mail_gid="$(id -g dovecot)"
    chmod 755 "$WORK"
    chown dovecot: "$WORK/mail"
else
    login_user="$(id -un)" internal_user="$(id -un)"
    mail_uid="$(id -u)" mail_gid="$(id -g)"
fi
echo "$IMAP_USER:{PLAIN}$IMAP_PASSWORD" >"$WORK/passwd"
chmod 644 "$WORK/passwd"
cat >"$WORK/dovecot.conf" <<CONF
base_dir = $WORK/run
state_dir = $WORK/state
log_path = $WORK/dovecot.log
instance_name = octowatch_mailflow_$$
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = $login_user
default_internal_user = $internal_user
mail_location = maildir:$WORK/mail/%n
first_valid_uid = $mail_uid
last_valid_uid = $mail_uid
passdb {
  driver = passwd-file
  args = scheme=PLAIN $WORK/passwd
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$WORK/mail/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
CONF
dovecot -c "$WORK/dovecot.conf"
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $IMAP_PORT), 1)" 2>/dev/null && break
    sleep 0.2
done
say "dovecot $(dovecot --version | cut -d' ' -f1) on 127.0.0.1:$IMAP_PORT, SMTP sink on 127.0.0.1:$SMTP_PORT"

# --- the mailbox: every client fixture but the one for the mailgate ---------------------
imap_fixtures=()
for f in "$FIXTURES"/*.eml; do
    [ "$(basename "$f")" = "$MAILGATE_FIXTURE" ] || imap_fixtures+=("$f")
done
"$VENV/bin/python" "$REPO_ROOT/scripts/mailflow_imap.py" "$IMAP_PORT" "$IMAP_USER" \
    "$IMAP_PASSWORD" "${imap_fixtures[@]}"

# --- Odoo: a database with the addon and its demo data ---------------------------------
say "creating database $DB (about a minute)"
new_db "$DB"
odoo -d "$DB" -i octowatch_channel --with-demo --stop-after-init --http-port="$HTTP_PORT" \
    --log-level=warn >"$WORK/odoo_install.log" 2>&1 \
    || { tail -30 "$WORK/odoo_install.log"; exit 1; }

export MAILFLOW_IMAP_PORT="$IMAP_PORT" MAILFLOW_SMTP_PORT="$SMTP_PORT" MAILFLOW_HTTP_PORT="$HTTP_PORT"
export MAILFLOW_IMAP_USER="$IMAP_USER" MAILFLOW_IMAP_PASSWORD="$IMAP_PASSWORD"
export MAILFLOW_FIXTURES="$FIXTURES" MAILFLOW_OUTBOX="$WORK/outbox"
step() { MAILFLOW_STEP="$1" odoo_shell "$DB" "$REPO_ROOT/scripts/mailflow_odoo.py"; }

step configure
step fetch

# --- odoo-mailgate.py pipes one more email in, over XML-RPC to a running Odoo -----------
MAILGATE="$(find "$CACHE/odoo" -path '*mail/static/scripts/odoo-mailgate.py' | head -1)"
"$VENV/bin/python" "$ODOO_BIN" --addons-path="$ADDONS_PATH" -d "$DB" --db-filter="^$DB\$" \
    --http-interface=127.0.0.1 --http-port="$HTTP_PORT" --max-cron-threads=0 \
    --log-level=warn >"$WORK/odoo_http.log" 2>&1 &
HTTP_PID=$!
PIDS+=("$HTTP_PID")
for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$HTTP_PORT/web/health" >/dev/null 2>&1 && break
    sleep 0.5
done
admin_id=$(psql -d "$DB" -tAc "select id from res_users where login='admin'")
say "piping $MAILGATE_FIXTURE through $(basename "$MAILGATE")"
"$VENV/bin/python" "$MAILGATE" --host 127.0.0.1 --port "$HTTP_PORT" -d "$DB" \
    -u "$admin_id" -p admin <"$FIXTURES/$MAILGATE_FIXTURE"

# --- the acknowledgements leave by SMTP; the agent follows its confirmation link --------
step send
sleep 1
"$VENV/bin/python" "$REPO_ROOT/scripts/mailflow_link.py" "$WORK/outbox"
step send
kill "$HTTP_PID" 2>/dev/null || true
wait "$HTTP_PID" 2>/dev/null || true
sleep 1

step check | tee "$WORK/check.log"
grep -q "^\[check\] every email became the right request" "$WORK/check.log"
