"""Screenshots of the portal and back office of a running demo database.

Usage: screenshots.py BASE_URL DB OUT_DIR. Logs in as each demo user over HTTP, hands
the session cookie to a headless Chromium through the DevTools protocol and saves one
PNG per page of PAGES, reduced to a 256-colour palette to stay small.
"""

import base64
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
import websocket
from PIL import Image

# The demo users of demo/res_users_demo.xml and the admin of the demo database.
LOGINS = {
    "admin": ("admin", "admin"),
    "partner": ("partner@demo.octowatch.example", "partner"),
    "agent": ("agent@demo.octowatch.example", "agent"),
    "client": ("client@demo.octowatch.example", "client"),
}

# (file name, who, path): the main portal pages of each role, the public price list and
# the back-office overview.
ACTION = "/odoo/action-octowatch_channel."
PAGES = [
    ("portal_home_partner", "partner", "/my"),
    ("portal_home_agent", "agent", "/my"),
    ("portal_prices", "partner", "/my/prices"),
    ("portal_clients", "partner", "/my/clients"),
    ("portal_requests", "partner", "/my/channel-requests"),
    ("portal_deals", "agent", "/my/deals"),
    ("portal_deal_new", "agent", "/my/deals/new"),
    ("portal_deal_page", "agent", "/my/deals/{deal}"),
    ("portal_request_new", "partner", "/my/channel-requests/new"),
    # The Partner's journey: a confirmed request linking its quotation and invoice,
    # and that invoice on the portal, with Pay Now and the client of its licences.
    ("portal_request_page", "partner", "/my/channel-requests/{request_card}"),
    ("portal_invoice_pay", "partner", "/my/invoices/{invoice_card}"),
    ("portal_commissions", "agent", "/my/commissions"),
    ("portal_licenses", "client", "/my/licenses"),
    # A Partner's ledger of its clients' licences, sorted by customer, with the
    # balances per account and version above it.
    ("portal_licenses_partner", "partner", "/my/licenses?sortby=customer"),
    ("public_prices", None, "/octowatch/prices"),
    # Kolibri's books: its agent's report (the PDF, in the agent's language), the
    # report in the back office, an invoice with exempt licences and taxed support,
    # the company and the settings.
    (
        "agent_report",
        "admin",
        "/report/html/octowatch_channel.report_agent_report/{report}",
    ),
    # The statement of an accepted report: its bill posted, waiting for payment.
    (
        "agent_report_accepted",
        "admin",
        "/report/html/octowatch_channel.report_agent_report/{report_accepted}",
    ),
    (
        "backoffice_agent_report",
        "admin",
        ACTION + "action_octowatch_agent_report/{report}",
    ),
    ("kolibri_invoice", "admin", "/odoo/invoicing/{invoice_delta}"),
    ("kolibri_company", "admin", "/odoo/companies/{company}"),
    ("backoffice_settings", "admin", ACTION + "action_octowatch_config_settings"),
    ("overview_deals", "admin", ACTION + "action_octowatch_overview_deals"),
    ("overview_licenses", "admin", ACTION + "action_octowatch_overview_licenses"),
    (
        "backoffice_license_balances",
        "admin",
        ACTION + "action_octowatch_license_balance",
    ),
    ("overview_commissions", "admin", ACTION + "action_octowatch_overview_commissions"),
    ("overview_requests", "admin", ACTION + "action_octowatch_overview_requests"),
    ("backoffice_inbox", "admin", ACTION + "action_octowatch_channel_request"),
    (
        "backoffice_services",
        "admin",
        ACTION + "action_octowatch_service_request",
    ),
]

# The ids in the paths above: (model, domain, field) searched as the administrator.
RECORDS = {
    "report": ("octowatch.agent.report", [("state", "=", "sent")], "id"),
    "report_accepted": ("octowatch.agent.report", [("state", "=", "accepted")], "id"),
    "invoice_delta": (
        "ir.model.data",
        [("module", "=", "octowatch_channel"), ("name", "=", "invoice_delta")],
        "res_id",
    ),
    "deal": (
        "ir.model.data",
        [("module", "=", "octowatch_channel"), ("name", "=", "deal_vector_epsilon")],
        "res_id",
    ),
    "request_card": (
        "ir.model.data",
        [
            ("module", "=", "octowatch_channel"),
            ("name", "=", "channel_request_sigma_card_due"),
        ],
        "res_id",
    ),
    # The demo's one unpaid invoice of a Partner for its client: that request's.
    "invoice_card": (
        "account.move",
        [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "=", "not_paid"),
            ("invoice_line_ids.octowatch_end_customer_id", "!=", False),
        ],
        "id",
    ),
    "company": (
        "ir.model.data",
        [("module", "=", "octowatch_channel"), ("name", "=", "company_kolibri")],
        "res_id",
    ),
}

WIDTH, HEIGHT = 1280, 900
# The web client draws its view after the page "load" event: wait for it to appear,
# then for its images and fonts.
READY_SELECTOR = {"/odoo": ".o_action_manager .o_view_controller"}
TIMEOUT_SECONDS = 60
SETTLE_SECONDS = 1.5


def session_for(base_url, db, who):
    if who is None:
        return None
    login, password = LOGINS[who]
    response = requests.post(
        f"{base_url}/web/session/authenticate",
        json={"params": {"db": db, "login": login, "password": password}},
        timeout=30,
    )
    response.raise_for_status()
    if response.json().get("error"):
        sys.exit(f"login of {login} failed: {response.json()['error']['message']}")
    return response.cookies["session_id"]


class Chrome:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="octowatch_shots_")
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or shutil.which("google-chrome"),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        for line in self.process.stderr:
            if line.startswith("DevTools listening on "):
                browser_ws = line.split(" on ", 1)[1].strip()
                break
        else:
            sys.exit("chromium did not start")
        port = urlsplit(browser_ws).port
        target = requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json()
        page = next(t for t in target if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.last_id = 0
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.last_id += 1
        self.ws.send(
            json.dumps({"id": self.last_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def shoot(self, url, session_id):
        self.call("Network.clearBrowserCookies")
        if session_id:
            self.call("Network.setCookie", name="session_id", value=session_id, url=url)
        self.call("Page.navigate", url=url)
        selector = next(
            (
                sel
                for prefix, sel in READY_SELECTOR.items()
                if urlsplit(url).path.startswith(prefix)
            ),
            "body",
        )
        deadline = time.monotonic() + TIMEOUT_SECONDS
        check = (
            "document.readyState === 'complete' && "
            f"!!document.querySelector({selector!r})"
        )
        while not self.call("Runtime.evaluate", expression=check)["result"].get(
            "value"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url}: {selector} did not appear")
            time.sleep(0.5)
        time.sleep(SETTLE_SECONDS)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        return base64.b64decode(data)

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def record_ids(base_url, session_id):
    """The ids of RECORDS, read over JSON-RPC with the administrator's session."""
    ids = {}
    for key, (model, domain, field) in RECORDS.items():
        response = requests.post(
            f"{base_url}/web/dataset/call_kw/{model}/search_read",
            json={
                "params": {
                    "model": model,
                    "method": "search_read",
                    "args": [domain],
                    "kwargs": {"fields": [field], "limit": 1},
                }
            },
            cookies={"session_id": session_id},
            timeout=30,
        )
        response.raise_for_status()
        rows = response.json().get("result")
        if not rows:
            sys.exit(f"no {model} for {key} in the demo data")
        ids[key] = rows[0][field]
    return ids


def main(base_url, db, out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sessions = {"admin": session_for(base_url, db, "admin")}
    ids = record_ids(base_url, sessions["admin"])
    chrome = Chrome()
    try:
        for name, who, path in PAGES:
            if who not in sessions:
                sessions[who] = session_for(base_url, db, who)
            png = chrome.shoot(base_url + path.format(**ids), sessions[who])
            image = Image.open(io.BytesIO(png)).convert("RGB")
            image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
            target = out / f"{name}.png"
            image.save(target, optimize=True)
            size = target.stat().st_size // 1024
            print(f"{target}  {size} KB  ({who or 'public'} {path})")
    finally:
        chrome.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
