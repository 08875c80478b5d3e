# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Put emails into an IMAP mailbox, as the MTA delivers them (unread, in INBOX).

python scripts/mailflow_imap.py PORT USER PASSWORD FILE.eml...
"""

import imaplib
import sys
from pathlib import Path


def main():
    port, user, password, *files = sys.argv[1:]
    imap = imaplib.IMAP4("127.0.0.1", int(port))
    imap.login(user, password)
    for name in files:
        raw = Path(name).read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        status, _data = imap.append("INBOX", None, None, raw)
        if status != "OK":
            raise SystemExit(f"IMAP APPEND of {name} failed: {status}")
        print(f"[imap] delivered {Path(name).name} ({len(raw)} bytes)")
    imap.select("INBOX")
    _status, data = imap.search(None, "UNSEEN")
    print(f"[imap] INBOX of {user}: {len(data[0].split())} unread")
    imap.logout()


if __name__ == "__main__":
    main()
