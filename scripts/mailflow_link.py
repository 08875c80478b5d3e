# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Follow the one-time confirmation link that the SMTP sink received, as the agent
does: open it (GET shows the registration), then confirm (POST with the page's CSRF
token). Exits non-zero when the page does not confirm.

    python scripts/mailflow_link.py OUTBOX_FOLDER
"""

import email
import email.policy
import re
import sys
from pathlib import Path

import requests

LINK = re.compile(r'href="(http://[^"]+/channel-requests/confirm/[A-Za-z0-9_-]+)"')


def main():
    outbox = Path(sys.argv[1])
    links = []
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.SMTP)
        if "Confirm deal registration" not in str(message["Subject"] or ""):
            continue
        body = message.get_body(("html",))
        found = LINK.search(body.get_content() if body else "")
        if found:
            links.append((str(message["Subject"]), found.group(1)))
    if not links:
        raise SystemExit("[link] no confirmation link was received")
    for subject, url in links:
        session = requests.Session()
        page = session.get(url, timeout=30)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        print(
            f"[link] {subject}: GET {url.rsplit('/', 1)[0]}/... -> {page.status_code}"
        )
        if page.status_code != 200 or not token:
            raise SystemExit("[link] the page shows no confirmation form")
        done = session.post(
            url, data={"csrf_token": token.group(1), "confirm": "1"}, timeout=30
        )
        print(
            f"[link] POST -> {done.status_code}, confirmed: {'Thank you' in done.text}"
        )
        if "Thank you" not in done.text:
            raise SystemExit("[link] the registration was not confirmed")
        again = session.get(url, timeout=30)
        print(f"[link] GET again -> used: {'already used' in again.text}")
        if "already used" not in again.text:
            raise SystemExit("[link] the link works twice")


if __name__ == "__main__":
    main()
