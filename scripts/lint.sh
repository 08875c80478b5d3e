#!/usr/bin/env bash
# The same checks as pre-commit: ruff, ruff-format, pylint-odoo (OCA mandatory checks for
# 19.0), the OCA module checks and XML well-formedness.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
rc=0
echo "[lint] ruff check";   ruff check --no-fix . || rc=1
echo "[lint] ruff format";  ruff format --check . || rc=1
echo "[lint] pylint-odoo";  pylint --rcfile=.pylintrc-mandatory octowatch_channel || rc=1
echo "[lint] oca-checks-odoo-module"
oca-checks-odoo-module --no-verbose octowatch_channel/__manifest__.py || rc=1
echo "[lint] prettier (xml, md, yaml)"
PRETTIER="$CACHE/node/node_modules/.bin/prettier"
if [ -x "$PRETTIER" ]; then
    git ls-files --cached --others --exclude-standard -- '*.xml' '*.md' '*.yml' '*.yaml' \
        | xargs -r "$PRETTIER" --check --log-level warn \
            --plugin "$CACHE/node/node_modules/@prettier/plugin-xml/src/plugin.js" || rc=1
else
    echo "prettier is not installed: run scripts/setup.sh with npm available"; rc=1
fi
echo "[lint] xml well-formed"
python3 - <<'PY' || rc=1
import pathlib
import sys
from xml.etree import ElementTree

bad = 0
for path in sorted(pathlib.Path(".").rglob("*.xml")):
    if ".git" in path.parts:
        continue
    try:
        ElementTree.parse(path)
    except ElementTree.ParseError as exc:
        print(f"{path}: {exc}")
        bad += 1
sys.exit(1 if bad else 0)
PY
[ $rc -eq 0 ] && echo "[lint] clean" || echo "[lint] FAILED"
exit $rc
