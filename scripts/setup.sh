#!/usr/bin/env bash
# Idempotent set-up: Odoo 19.0 Community and its virtualenv in a cache folder outside the
# checkout, a PostgreSQL that answers, and Chromium for the browser tests.
#
# Environment:
#   ODOO_REPO   where to clone Odoo from (a URL, a local repository or a bare git directory)
#   ODOO_REF    the branch, tag or commit to check out
#   OCTOWATCH_CACHE  the cache folder (default ~/.cache/octowatch_channel)
#
# With the cache already filled it checks PostgreSQL and Chromium and exits: seconds.
set -euo pipefail

ODOO_REPO="${ODOO_REPO:-https://github.com/odoo/odoo.git}"
ODOO_REF="${ODOO_REF:-06fb412d240cda87de5bb9b835fca1e725b1add8}"
CACHE="${OCTOWATCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/octowatch_channel}"
ODOO_DIR="$CACHE/odoo"
VENV="$CACHE/venv"
PYTHON="${PYTHON:-python3}"

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$CACHE"

# --- Odoo source -------------------------------------------------------------------------
if [ ! -f "$ODOO_DIR/odoo-bin" ]; then
    say "fetching Odoo from $ODOO_REPO at $ODOO_REF into $ODOO_DIR"
    rm -rf "$ODOO_DIR.partial"
    git init -q "$ODOO_DIR.partial"
    # A shallow fetch of just the wanted ref keeps a clone of upstream small; a source that
    # refuses to serve a commit by its id falls back to a full fetch.
    if ! git -C "$ODOO_DIR.partial" fetch -q --depth 1 "$ODOO_REPO" "$ODOO_REF" 2>/dev/null; then
        git -C "$ODOO_DIR.partial" fetch -q "$ODOO_REPO" "+refs/heads/*:refs/remotes/origin/*" \
            || die "cannot fetch Odoo from $ODOO_REPO"
        git -C "$ODOO_DIR.partial" rev-parse -q --verify "$ODOO_REF^{commit}" >/dev/null \
            || git -C "$ODOO_DIR.partial" rev-parse -q --verify "origin/$ODOO_REF^{commit}" >/dev/null \
            || die "Odoo source $ODOO_REPO has no ref $ODOO_REF"
        ref="$ODOO_REF"
        git -C "$ODOO_DIR.partial" rev-parse -q --verify "$ref^{commit}" >/dev/null || ref="origin/$ODOO_REF"
        git -C "$ODOO_DIR.partial" checkout -q "$ref"
    else
        git -C "$ODOO_DIR.partial" checkout -q FETCH_HEAD
    fi
    [ -f "$ODOO_DIR.partial/odoo-bin" ] || die "$ODOO_REPO at $ODOO_REF is not an Odoo source tree (no odoo-bin)"
    mv "$ODOO_DIR.partial" "$ODOO_DIR"
fi

# --- virtualenv --------------------------------------------------------------------------
if [ ! -f "$VENV/.requirements-installed" ]; then
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found: install Python 3.10 to 3.13"
    "$PYTHON" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13)))' \
        || die "Odoo 19.0 needs Python 3.10 to 3.13, $PYTHON is $("$PYTHON" --version 2>&1)"
    say "building the virtualenv in $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip wheel "setuptools<81"
    # python-ldap needs the LDAP headers to build and no flow of this addon uses it.
    grep -viE '^\s*python-ldap' "$ODOO_DIR/requirements.txt" >"$CACHE/requirements.txt"
    "$VENV/bin/pip" install -q -r "$CACHE/requirements.txt" \
        || die "installing Odoo's requirements failed (a C compiler, Python headers and libpq-dev are needed)"
    touch "$VENV/.requirements-installed"
fi
# Lint and test tools (scripts/requirements-dev.txt), reinstalled when that file changes.
dev_requirements="$(cd "$(dirname "$0")" && pwd)/requirements-dev.txt"
dev_stamp="$VENV/.dev-requirements-$(sha1sum "$dev_requirements" | cut -c1-12)"
if [ ! -f "$dev_stamp" ]; then
    say "installing the lint and test tools of $dev_requirements"
    "$VENV/bin/pip" install -q -r "$dev_requirements" || die "installing $dev_requirements failed"
    rm -f "$VENV"/.dev-requirements-* && touch "$dev_stamp"
fi

# --- prettier with its XML plugin, for `make lint` ----------------------------------------
if [ ! -x "$CACHE/node/node_modules/.bin/prettier" ]; then
    if command -v npm >/dev/null; then
        say "installing prettier and its XML plugin into $CACHE/node"
        mkdir -p "$CACHE/node"
        npm install --silent --no-audit --no-fund --prefix "$CACHE/node" \
            prettier@3.6.2 @prettier/plugin-xml@3.4.2 >/dev/null \
            || say "WARNING: installing prettier failed; make lint will say so"
    else
        say "WARNING: npm is absent: install Node.js 18+ so that make lint can run prettier"
    fi
fi

# --- PostgreSQL --------------------------------------------------------------------------
pg_answers() { pg_isready -q -h "${PGHOST:-localhost}" >/dev/null 2>&1 || pg_isready -q >/dev/null 2>&1; }
if ! command -v pg_isready >/dev/null; then
    die "PostgreSQL is not installed: install PostgreSQL 13 or newer (Debian: apt-get install postgresql postgresql-client libpq-dev)"
fi
if ! pg_answers; then
    if command -v pg_lsclusters >/dev/null && command -v pg_ctlcluster >/dev/null; then
        cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}')
        [ -n "$cluster" ] || die "no PostgreSQL cluster exists: create one with pg_createcluster"
        say "starting PostgreSQL cluster $cluster"
        # shellcheck disable=SC2086
        pg_ctlcluster $cluster start || die "could not start PostgreSQL cluster $cluster"
        for _ in $(seq 1 30); do pg_answers && break; sleep 0.5; done
    fi
    pg_answers || die "PostgreSQL does not answer: start it, or install PostgreSQL 13 or newer"
fi
me=$(id -un)
if ! psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
        say "creating PostgreSQL superuser role $me"
        runuser -u postgres -- psql -q -d postgres -c "CREATE ROLE \"$me\" LOGIN SUPERUSER" \
            || die "could not create the PostgreSQL role $me"
    elif command -v sudo >/dev/null; then
        say "creating PostgreSQL superuser role $me (sudo)"
        sudo -u postgres psql -q -d postgres -c "CREATE ROLE \"$me\" LOGIN SUPERUSER" \
            || die "could not create the PostgreSQL role $me"
    fi
    psql -d postgres -tAc 'select 1' >/dev/null 2>&1 \
        || die "PostgreSQL refuses role $me: run  sudo -u postgres createuser -s $me"
fi

# --- Chromium for HttpCase browser tests, wkhtmltopdf for PDF reports --------------------
missing=()
command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
    || command -v google-chrome >/dev/null || missing+=(chromium)
command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
command -v dovecot >/dev/null || missing+=(dovecot-imapd)  # make mailflow
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing ${missing[*]} (browser tests, PDF reports)"
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
            say "WARNING: installing ${missing[*]} failed; browser tours or PDF reports will not work"
        fi
    else
        say "WARNING: ${missing[*]} absent and apt-get is not usable here: install them for the browser tours and PDF reports"
    fi
fi

# --- addons path: both the git layout (addons/ + odoo/addons/) and the packaged one -------
paths=()
for d in "$ODOO_DIR/addons" "$ODOO_DIR/odoo/addons"; do
    if compgen -G "$d/*/__manifest__.py" >/dev/null; then paths+=("$d"); fi
done
[ ${#paths[@]} -gt 0 ] || die "no Odoo addons found under $ODOO_DIR"
(IFS=,; printf '%s\n' "${paths[*]}") >"$CACHE/addons_path"
exit 0
