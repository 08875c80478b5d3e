# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An SMTP server on 127.0.0.1 that keeps every email it receives as a file.

Used by ``make mailflow``: Odoo's outgoing mail server points to it, and the check
reads the acknowledgements back from the folder.

    python scripts/mailflow_smtp.py PORT FOLDER
"""

import signal
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class SaveToFolder:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = f"{time.time_ns()}-{self.count:03d}.eml"
        rcpt = ",".join(envelope.rcpt_tos)
        data = envelope.original_content or envelope.content
        head = f"X-Mailflow-Envelope-From: {envelope.mail_from}\r\n"
        head += f"X-Mailflow-Envelope-To: {rcpt}\r\n"
        (self.folder / name).write_bytes(head.encode() + data)
        return "250 OK"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(SaveToFolder(folder), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_args: stop.set())
    signal.signal(signal.SIGINT, lambda *_args: stop.set())
    print(f"[smtp] listening on 127.0.0.1:{port}, saving to {folder}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
