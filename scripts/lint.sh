#!/usr/bin/env bash
# The project's checks, as pre-commit runs them: ruff, ruff-format, pylint-odoo (OCA
# mandatory checks for 19.0), the OCA module checks, prettier with its XML plugin and XML
# well-formedness. With no argument, all of them; otherwise the named ones
# (ruff, ruff-format, pylint, oca, prettier, xml).
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
checks=("$@")
[ ${#checks[@]} -gt 0 ] || checks=(ruff ruff-format pylint oca prettier xml)
PRETTIER="$CACHE/node/node_modules/.bin/prettier"
rc=0
for check in "${checks[@]}"; do
    echo "[lint] $check"
    case "$check" in
    ruff) ruff check --no-fix . || rc=1 ;;
    ruff-format) ruff format --check . || rc=1 ;;
    pylint) pylint --rcfile=.pylintrc-mandatory octowatch_channel || rc=1 ;;
    oca) oca-checks-odoo-module octowatch_channel || rc=1 ;;
    prettier)
        if [ -x "$PRETTIER" ]; then
            git ls-files --cached --others --exclude-standard -- \
                '*.xml' '*.md' '*.yml' '*.yaml' ':!octowatch_channel/README.rst' \
                | xargs -r "$PRETTIER" --check --log-level warn \
                    --plugin "$CACHE/node/node_modules/@prettier/plugin-xml/src/plugin.js" \
                || rc=1
        else
            echo "prettier is not installed: run scripts/setup.sh with npm available"
            rc=1
        fi
        ;;
    xml)
        python3 - <<'PY' || rc=1
import subprocess
import sys
from xml.etree import ElementTree

files = subprocess.run(
    ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.xml"],
    capture_output=True, text=True, check=True,
).stdout.split()
bad = 0
for path in files:
    try:
        ElementTree.parse(path)
    except ElementTree.ParseError as exc:
        print(f"{path}: {exc}")
        bad += 1
sys.exit(1 if bad else 0)
PY
        ;;
    *) echo "unknown check $check"; rc=2 ;;
    esac
done
[ $rc -eq 0 ] && echo "[lint] clean" || echo "[lint] FAILED"
exit $rc
