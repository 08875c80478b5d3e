#!/usr/bin/env bash
# Regenerate octowatch_channel/i18n/octowatch_channel.pot from the code, views and data
# (demo data included, so that the demo reads in Russian too), then merge it into ru.po: every term of the
# template keeps its Russian text, terms gone from the code are dropped.
set -euo pipefail
source "$(dirname "$0")/env.sh"
I18N="$REPO_ROOT/octowatch_channel/i18n"
db="octowatch_i18n_$$"
trap 'drop_db "$db"' EXIT
echo "[i18n] installing octowatch_channel with its demo data on $db"
new_db "$db"
odoo -d "$db" -i octowatch_channel --with-demo --stop-after-init --log-level=warn \
    --http-port="${TEST_PORT:-8179}"
"$VENV/bin/python" "$ODOO_BIN" --addons-path="$ADDONS_PATH" i18n export -d "$db" \
    -o "$I18N/octowatch_channel.pot" octowatch_channel
"$VENV/bin/python" - "$I18N/octowatch_channel.pot" "$I18N/ru.po" <<'PY'
import re
import sys

import polib

pot_path, po_path = sys.argv[1:]
pot = polib.pofile(pot_path, wrapwidth=78)
old = polib.pofile(po_path, wrapwidth=78)
known = {(e.msgctxt, e.msgid): e.msgstr for e in old if not e.obsolete}
po = polib.POFile(wrapwidth=78)
po.metadata = dict(old.metadata)
po.metadata["POT-Creation-Date"] = pot.metadata["POT-Creation-Date"]
po.header = old.header
missing = []
for entry in pot:
    entry.msgstr = known.get((entry.msgctxt, entry.msgid), "")
    if not entry.msgstr and re.search("[а-яё]", entry.msgid, re.I):
        # Demo data written in Russian already reads as it is.
        entry.msgstr = entry.msgid
    if not entry.msgstr:
        missing.append(entry.msgid)
    po.append(entry)
po.save(po_path)
print(f"[i18n] {len(pot)} terms, {len(pot) - len(missing)} translated into Russian")
for msgid in missing:
    print(f"[i18n] untranslated: {msgid[:100]!r}")
PY
msgfmt -c -o /dev/null "$I18N/ru.po"
