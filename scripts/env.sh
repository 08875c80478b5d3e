# Sourced by the other scripts: where the set-up put Odoo, and how to call it.
CACHE="${OCTOWATCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/octowatch_channel}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$CACHE/venv"
ODOO_BIN="$CACHE/odoo/odoo-bin"
ADDONS_PATH="$(cat "$CACHE/addons_path"),$REPO_ROOT"
export PATH="$VENV/bin:$PATH"
odoo() { "$VENV/bin/python" "$ODOO_BIN" --addons-path="$ADDONS_PATH" --http-interface="${HTTP_INTERFACE:-127.0.0.1}" "$@"; }

# odoo_shell DB SCRIPT [ADDONS_PATH]: run a Python script in `odoo shell` on DB, without
# Odoo's start-up noise; the exit status is Odoo's.
odoo_shell() {
    "$VENV/bin/python" "$ODOO_BIN" shell --addons-path="${3:-$ADDONS_PATH}" -d "$1" \
        --log-level=warn --no-http <"$2" 2>&1 \
        | grep -vE "^(Running as user|.* WARNING .*http_interface)"
    return "${PIPESTATUS[0]}"
}

FILESTORE="${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}/filestore"

# A database with the addon's dependencies and their demo data, built once per Odoo
# commit and dependency list, copied (with its filestore) for every test run.
template_db() {
    local deps key name
    deps=$(python3 -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" \
        "$REPO_ROOT/octowatch_channel/__manifest__.py")
    # Odoo's Demo payment provider, so that a Partner's invoice can be paid on the
    # portal in tests and on `make run`: installed here, not a dependency of the addon.
    deps="$deps,payment_demo"
    key=$( { echo "$deps"; git -C "$CACHE/odoo" rev-parse HEAD; } | sha1sum | cut -c1-10)
    name="octowatch_tmpl_$key"
    # Ready means built to the end and with its filestore: a copy without the files
    # (images, PDFs) that the database names would answer 500 for them.
    if [ "$(psql -d postgres -tAc "select shobj_description(oid, 'pg_database') from pg_database where datname='$name'")" != "ready" ] \
        || [ ! -d "$FILESTORE/$name" ]; then
        echo "[db] building template $name with $deps (once, about two minutes)" >&2
        dropdb --if-exists "$name" >/dev/null 2>&1
        rm -rf "${FILESTORE:?}/$name"
        odoo -d "$name" -i "$deps" --with-demo --stop-after-init --log-level=warn \
            --http-port="${TEST_PORT:-8169}" >&2 || return 1
        psql -q -d postgres -c "COMMENT ON DATABASE \"$name\" IS 'ready'" || return 1
    fi
    echo "$name"
}

# new_db NAME: a fresh copy of the template database.
new_db() {
    local tmpl
    tmpl=$(template_db) || return 1
    # PostgreSQL refuses to copy a template that another copy is reading: wait for it.
    local try
    for try in $(seq 1 10); do
        createdb -T "$tmpl" "$1" && break
        [ "$try" = 10 ] && return 1
        sleep 3
    done
    if [ -d "$FILESTORE/$tmpl" ]; then
        mkdir -p "$FILESTORE" && cp -a "$FILESTORE/$tmpl" "$FILESTORE/$1"
    fi
}

drop_db() {
    dropdb --if-exists "$1" >/dev/null 2>&1
    rm -rf "${FILESTORE:?}/$1"
}
