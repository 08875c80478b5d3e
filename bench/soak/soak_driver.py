"""Bounded load on a multi-worker Odoo serving octowatch_channel (``make soak``).

Standard library only. ``run`` drives the server with concurrent clients (agents on the
portal and by email, partners by the mail gateway, staff over JSON-RPC) for a fixed
number of business chains, prints operations per second and latency percentiles per
operation type, each p95 beside the p95 of a plain Odoo operation of its kind run by the
same clients (a res.partner read over JSON-RPC, Odoo's own /my/account page), and
writes what it sent (emails, HTTP statuses, errors) to a JSON file that
``soak_check.py`` reads to check the invariants. ``smoke`` checks that a server
still answers (/web/login, JSON-RPC login and a few search_read).
"""

import argparse
import http.cookiejar
import itertools
import json
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid

# Business refusals that a user may legitimately see: anything else over JSON-RPC is a
# server error.
EXPECTED_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.RedirectWarning",
}
CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
DEAL_RE = re.compile(r"/my/deals/(\d+)")
TIN_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)


# The plain Odoo operations that each of the addon's is shown beside (report()).
PLAIN_RPC = "plain: res.partner search_read"
PLAIN_PORTAL = "plain: portal /my/account"


class Stats:
    """Latency per operation type, HTTP statuses and errors, shared by the clients."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.kind = {}  # operation -> "rpc" or "portal", what it compares with
        self.status = defaultdict(int)
        self.server_errors = []
        self.business_errors = defaultdict(int)
        self.emails = []
        self.outcomes = defaultdict(int)

    def record(self, op, seconds, status, kind="rpc"):
        with self.lock:
            self.latency[op].append(seconds)
            self.kind[op] = kind
            self.status[str(status)] += 1

    def server_error(self, op, detail):
        with self.lock:
            self.server_errors.append({"op": op, "detail": detail[:2000]})

    def business_error(self, op, name):
        with self.lock:
            self.business_errors[f"{op}: {name}"] += 1

    def count(self, outcome):
        with self.lock:
            self.outcomes[outcome] += 1


class RpcError(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name


class Rpc:
    """JSON-RPC ``execute_kw`` as a back-office user, timing each call."""

    def __init__(self, url, db, login, password, stats):
        self.url, self.db, self.password, self.stats = url, db, password, stats
        self.ids = itertools.count(1)
        self.uid = self._call("login", "common", "login", [db, login, password])

    def _call(self, op, service, method, args):
        payload = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": next(self.ids),
                "params": {"service": service, "method": method, "args": args},
            }
        ).encode()
        req = urllib.request.Request(
            f"{self.url}/jsonrpc",
            data=payload,
            headers={"Content-Type": "application/json"},
        )
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=300) as resp:
                status, body = resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read()
        self.stats.record(op, time.perf_counter() - start, status)
        if status != 200:
            self.stats.server_error(op, f"HTTP {status}: {body[:500]!r}")
            raise RpcError(f"HTTP {status}", body[:200])
        answer = json.loads(body)
        if "error" in answer:
            data = answer["error"].get("data") or {}
            name = data.get("name", "?")
            if name in EXPECTED_ERRORS:
                self.stats.business_error(op, data.get("message", name)[:80])
            else:
                self.stats.server_error(op, f"{name}: {data.get('debug', '')}")
            raise RpcError(name, data.get("message", ""))
        return answer["result"]

    def call(self, op, model, method, *args, **kwargs):
        return self._call(
            op,
            "object",
            "execute_kw",
            [self.db, self.uid, self.password, model, method, list(args), kwargs],
        )


class Portal:
    """A portal user's browser session: login with the CSRF token, then forms."""

    def __init__(self, url, login, password, stats):
        self.url, self.stats = url, stats
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = self.get("portal_login_page", "/web/login")
        final, _ = self.post(
            "portal_login",
            "/web/login",
            {
                "login": login,
                "password": password,
                "csrf_token": self.csrf(page),
                "redirect": "/my",
            },
        )
        if "/web/login" in final:
            raise RuntimeError(f"portal login failed for {login}")

    def _open(self, op, path, data=None):
        start = time.perf_counter()
        try:
            with self.opener.open(
                f"{self.url}{path}",
                data=urllib.parse.urlencode(data).encode() if data else None,
                timeout=300,
            ) as resp:
                status, final, body = resp.status, resp.url, resp.read()
        except urllib.error.HTTPError as exc:
            status, final, body = exc.code, exc.url, exc.read()
        self.stats.record(op, time.perf_counter() - start, status, kind="portal")
        if status >= 500:
            self.stats.server_error(op, f"HTTP {status} on {path}: {body[:800]!r}")
        return status, final, body.decode("utf-8", "replace")

    def get(self, op, path):
        return self._open(op, path)[2]

    def post(self, op, path, data):
        _, final, body = self._open(op, path, data)
        return final, body

    @staticmethod
    def csrf(page):
        match = CSRF_RE.search(page)
        if not match:
            raise RuntimeError("no CSRF token in the page")
        return match.group(1)


def make_tin(rng):
    """A random valid 10-digit INN (legal entity)."""
    digits = [rng.randint(1, 9), rng.randint(0, 9)] + [
        rng.randint(0, 9) for _ in range(7)
    ]
    check = sum(w * d for w, d in zip(TIN_WEIGHTS, digits, strict=True)) % 11 % 10
    return "".join(map(str, digits + [check]))


def build_email(body, sender, to, subject):
    message = MIMEText(body, "plain", "utf-8")
    message["From"] = sender
    message["To"] = to
    message["Subject"] = Header(subject, "utf-8")
    message["Date"] = formatdate()
    message["Message-Id"] = make_msgid(domain="soak.example")
    return message["Message-Id"], message.as_string()


class Soak:
    def __init__(self, args):
        self.args = args
        self.stats = Stats()
        self.rng = random.Random(args.seed)
        self.local = threading.local()
        self.settle_lock = threading.Lock()

    # --- set-up (sequential, as admin) ----------------------------------------------
    def setup(self):
        admin = Rpc(self.args.url, self.args.db, "admin", "admin", self.stats)
        alias = admin.call(
            "setup",
            "ir.model.data",
            "check_object_reference",
            "octowatch_channel",
            "mail_alias_channel_request",
        )[1]
        full = admin.call(
            "setup", "mail.alias", "read", [alias], fields=["alias_full_name"]
        )[0]["alias_full_name"]
        if "@" not in full:
            domains = admin.call("setup", "mail.alias.domain", "search", [], limit=1)
            domain = (
                domains[0]
                if domains
                else admin.call(
                    "setup", "mail.alias.domain", "create", {"name": "octowatchdlp.com"}
                )
            )
            admin.call(
                "setup", "res.company", "write", [1], {"alias_domain_id": domain}
            )
            admin.call(
                "setup", "mail.alias", "write", [alias], {"alias_domain_id": domain}
            )
            full = admin.call(
                "setup", "mail.alias", "read", [alias], fields=["alias_full_name"]
            )[0]["alias_full_name"]
        self.inbox = full
        products = admin.call(
            "setup",
            "product.product",
            "search_read",
            [
                ("octowatch_is_license", "=", True),
                ("octowatch_version_code", "!=", False),
            ],
            fields=["id", "octowatch_version_code"],
        )
        self.products = {p["octowatch_version_code"]: p["id"] for p in products}
        ref = {}
        for xmlid in (
            "agent_smirnova",
            "agent_vector",
            "product_octowatch_commission",
            "company_kolibri",
        ):
            ref[xmlid] = admin.call(
                "setup",
                "ir.model.data",
                "check_object_reference",
                "octowatch_channel",
                xmlid,
            )[1]
        # Settlement needs the commission product and a purchase journal (Settings)
        # of Kolibri, the demo company that the administrator works in.
        journal = admin.call(
            "setup",
            "account.journal",
            "search",
            [("type", "=", "purchase"), ("company_id", "=", ref["company_kolibri"])],
            limit=1,
        )[0]
        admin.call(
            "setup",
            "res.company",
            "write",
            [ref["company_kolibri"]],
            {
                "octowatch_commission_product_id": ref["product_octowatch_commission"],
                "octowatch_commission_journal_id": journal,
            },
        )
        portal_group = admin.call(
            "setup", "ir.model.data", "check_object_reference", "base", "group_portal"
        )[1]
        # A second agent company with a portal user, so that two agents race for TINs.
        login = "agent2@soak.example"
        if not admin.call("setup", "res.users", "search", [("login", "=", login)]):
            contact = admin.call(
                "setup",
                "res.partner",
                "create",
                {
                    "name": "Soak Agent Two",
                    "parent_id": ref["agent_smirnova"],
                    "email": login,
                },
            )
            admin.call(
                "setup",
                "res.users",
                "create",
                {
                    "name": "Soak Agent Two",
                    "login": login,
                    "password": "agent2",
                    "partner_id": contact,
                    "group_ids": [(6, 0, [portal_group])],
                },
            )
        self.agents = [
            ("agent@demo.octowatch.example", "agent"),
            (login, "agent2"),
        ]
        # Senders the inbox knows: partners for invoices, agents for deals.
        self.partner_senders = [
            "partner@demo.octowatch.example",
            "ivan.petrov@mail.example",
        ]
        self.agent_senders = [
            "agent@demo.octowatch.example",
            "anna.smirnova@mail.example",
        ]
        # A pool of TINs smaller than the number of registrations: some repeat.
        pool = set()
        while len(pool) < max(4, self.args.chains // 6):
            pool.add(make_tin(self.rng))
        self.tins = sorted(pool)

    # --- per-thread sessions
    def staff(self):
        if not hasattr(self.local, "staff"):
            self.local.staff = Rpc(
                self.args.url, self.args.db, "admin", "admin", self.stats
            )
        return self.local.staff

    def portal(self, index):
        sessions = self.local.__dict__.setdefault("portals", {})
        if index not in sessions:
            login, password = self.agents[index]
            sessions[index] = Portal(self.args.url, login, password, self.stats)
        return sessions[index]

    # --- operations
    def send_email(self, sender, body, subject):
        message_id, raw = build_email(body, sender, self.inbox, subject)
        with self.stats.lock:
            self.stats.emails.append(message_id)
        return self.staff().call(
            "email_gateway", "mail.thread", "message_process", False, raw
        )

    def register_deal_portal(self, rng, tin, index=None):
        portal = self.portal(
            rng.randrange(len(self.agents)) if index is None else index
        )
        page = portal.get("portal_deal_form", "/my/deals/new")
        final, _body = portal.post(
            "portal_deal_register",
            "/my/deals/new",
            {
                "csrf_token": Portal.csrf(page),
                "product_id": self.products[rng.choice(sorted(self.products))],
                "tin": tin,
                "company_name": f"Soak Customer {tin}",
                "license_qty": rng.randint(1, 50),
            },
        )
        match = DEAL_RE.search(final)
        return (portal, int(match.group(1))) if match else (portal, None)

    def register_deal_email(self, rng, tin):
        request_id = self.send_email(
            rng.choice(self.agent_senders),
            f"TIN: {tin}\nCompany: Soak Customer {tin}\n"
            f"Version: {rng.choice(sorted(self.products))}\n"
            f"Licenses: {rng.randint(1, 50)}\n",
            "New deal",
        )
        request = self.staff().call(
            "staff_read",
            "octowatch.channel.request",
            "read",
            [request_id],
            fields=["deal_id"],
        )[0]
        return request["deal_id"] and request["deal_id"][0]

    def invoice_order(self, order_id):
        """Staff confirm the quotation, invoice it and post the invoice."""
        staff = self.staff()
        staff.call("staff_confirm_order", "sale.order", "action_confirm", [order_id])
        wizard = staff.call(
            "staff_invoice",
            "sale.advance.payment.inv",
            "create",
            {
                "advance_payment_method": "delivered",
                "sale_order_ids": [(6, 0, [order_id])],
            },
        )
        staff.call(
            "staff_invoice",
            "sale.advance.payment.inv",
            "create_invoices",
            [wizard],
            context={"active_model": "sale.order", "active_ids": [order_id]},
        )
        invoice_ids = staff.call(
            "staff_read", "sale.order", "read", [order_id], fields=["invoice_ids"]
        )[0]["invoice_ids"]
        staff.call("staff_post_invoice", "account.move", "action_post", invoice_ids)
        return invoice_ids[0]

    def pay(self, move_id, amount=None):
        staff = self.staff()
        vals = {"payment_date": date.today().isoformat()}
        if amount is not None:
            vals.update(amount=amount, payment_difference_handling="open")
        context = {"active_model": "account.move", "active_ids": [move_id]}
        wizard = staff.call(
            "staff_register_payment",
            "account.payment.register",
            "create",
            vals,
            context=context,
        )
        staff.call(
            "staff_register_payment",
            "account.payment.register",
            "action_create_payments",
            [wizard],
            context=context,
        )

    def pay_invoice(self, rng, move_id):
        if rng.random() < 0.3:
            total = self.staff().call(
                "staff_read", "account.move", "read", [move_id], fields=["amount_total"]
            )[0]["amount_total"]
            first = round(total * rng.choice((0.3, 0.5, 0.7)), 2)
            self.pay(move_id, first)
            self.pay(move_id, round(total - first, 2))
        else:
            self.pay(move_id)

    def refund(self, move_id):
        staff = self.staff()
        context = {"active_model": "account.move", "active_ids": [move_id]}
        journal = staff.call(
            "staff_read", "account.move", "read", [move_id], fields=["journal_id"]
        )[0]["journal_id"][0]
        wizard = staff.call(
            "staff_refund",
            "account.move.reversal",
            "create",
            {"reason": "soak", "journal_id": journal},
            context=context,
        )
        action = staff.call(
            "staff_refund",
            "account.move.reversal",
            "refund_moves",
            [wizard],
            context=context,
        )
        refund_id = action.get("res_id")
        staff.call("staff_post_refund", "account.move", "action_post", [refund_id])
        self.pay(refund_id)

    def settle(self):
        staff = self.staff()
        wizard = staff.call(
            "staff_settle",
            "octowatch.commission.settle",
            "create",
            {"date_to": date.today().isoformat()},
        )
        staff.call(
            "staff_settle", "octowatch.commission.settle", "action_settle", [wizard]
        )

    # --- chains
    def deal_chain(self, rng):
        tin = rng.choice(self.tins)
        if rng.random() < 0.3:
            portal, deal_id = None, self.register_deal_email(rng, tin)
        else:
            portal, deal_id = self.register_deal_portal(rng, tin)
        if not deal_id:
            self.stats.count("deal not created")
            return
        deal = self.staff().call(
            "staff_read",
            "octowatch.deal.registration",
            "read",
            [deal_id],
            fields=["state"],
        )[0]
        self.stats.count(f"deal {deal['state']}")
        if deal["state"] != "registered":
            return
        if portal:
            page = portal.get("portal_deal_page", f"/my/deals/{deal_id}")
            portal.post(
                "portal_deal_request_invoice",
                f"/my/deals/{deal_id}/request_invoice",
                {"csrf_token": Portal.csrf(page)},
            )
        else:
            self.staff().call(
                "staff_deal_request_invoice",
                "octowatch.deal.registration",
                "action_request_invoice",
                [deal_id],
            )
        order = self.staff().call(
            "staff_read",
            "octowatch.deal.registration",
            "read",
            [deal_id],
            fields=["sale_order_id"],
        )[0]["sale_order_id"]
        if not order:
            self.stats.count("deal quotation missing")
            return
        invoice = self.invoice_order(order[0])
        self.pay_invoice(rng, invoice)
        if rng.random() < 0.25:
            self.refund(invoice)
            self.stats.count("deal invoice refunded")

    def partner_chain(self, rng):
        version = rng.choice(sorted(self.products))
        request_id = self.send_email(
            rng.choice(self.partner_senders),
            f"Account email: it{rng.randrange(10**6)}@client.soak.example\n"
            f"Version: {version}\nLicenses: {rng.randint(1, 30)}\n"
            "Payment method: bank transfer\n",
            "Invoice request",
        )
        self.staff().call(
            "staff_confirm_request",
            "octowatch.channel.request",
            "action_confirm",
            [request_id],
        )
        order = self.staff().call(
            "staff_read",
            "octowatch.channel.request",
            "read",
            [request_id],
            fields=["sale_order_id"],
        )[0]["sale_order_id"]
        invoice = self.invoice_order(order[0])
        self.pay_invoice(rng, invoice)
        if rng.random() < 0.15:
            self.refund(invoice)
            self.stats.count("partner invoice refunded")

    def plain_operations(self, number):
        """Plain Odoo under the same load, after each chain: a back-office read of
        res.partner over JSON-RPC and Odoo's own portal page of the user's account,
        none of this addon's code in either."""
        self.staff().call(
            PLAIN_RPC,
            "res.partner",
            "search_read",
            [("is_company", "=", True)],
            fields=["name", "email", "vat", "country_id"],
            limit=20,
        )
        self.portal(number % len(self.agents)).get(PLAIN_PORTAL, "/my/account")

    def run_chain(self, number):
        rng = random.Random(self.args.seed * 100003 + number)
        try:
            if number % 10 == 9:
                self.settle()
            elif number % 2:
                self.partner_chain(rng)
            else:
                self.deal_chain(rng)
        except RpcError as exc:
            self.stats.count(f"chain stopped by {exc.name}")
        except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
            self.stats.server_error("chain", f"{type(exc).__name__}: {exc}")
        # After the chain, not before: the chains start together, and the plain
        # operations would otherwise all wait behind that burst.
        try:
            self.plain_operations(number)
        except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
            self.stats.server_error("plain", f"{type(exc).__name__}: {exc}")

    def race(self, tins):
        """Every client registers the same fresh TINs at the same moment (portal and
        email): exactly one deal per TIN may win, nobody may see a server error."""
        barrier = threading.Barrier(self.args.clients)

        def client(number):
            rng = random.Random(self.args.seed * 7919 + number)
            # Sessions first, so that the registrations start together.
            self.staff()
            portal_index = number % len(self.agents)
            self.portal(portal_index)
            barrier.wait()
            for tin in tins:
                try:
                    if number % 3 == 2:
                        deal_id = self.register_deal_email(rng, tin)
                    else:
                        _, deal_id = self.register_deal_portal(rng, tin, portal_index)
                    self.stats.count(
                        "race registration answered" if deal_id else "race no deal"
                    )
                except RpcError as exc:
                    self.stats.count(f"race stopped by {exc.name}")
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    self.stats.server_error("race", f"{type(exc).__name__}: {exc}")

        with ThreadPoolExecutor(max_workers=self.args.clients) as pool:
            list(pool.map(client, range(self.args.clients)))
        deals = self.staff().call(
            "staff_read",
            "octowatch.deal.registration",
            "search_read",
            [("tin", "in", tins)],
            fields=["tin", "state"],
        )
        winners = defaultdict(int)
        for deal in deals:
            winners[deal["tin"]] += deal["state"] == "registered"
        self.race_summary = (
            f"race: {len(tins)} fresh TINs registered by {self.args.clients} clients "
            f"at once, {len(deals)} deals: "
            + ", ".join(f"{tin} {winners[tin]} winner(s)" for tin in tins)
        )

    def run(self):
        self.setup()
        start = time.perf_counter()
        self.race([make_tin(self.rng) for _ in range(3)])
        with ThreadPoolExecutor(max_workers=self.args.clients) as pool:
            list(pool.map(self.run_chain, range(self.args.chains)))
        elapsed = time.perf_counter() - start
        self.report(elapsed)

    def report(self, elapsed):
        stats = self.stats
        total = sum(len(v) for k, v in stats.latency.items() if k != "setup")
        print(
            f"soak: {self.args.clients} clients, {self.args.chains} chains, "
            f"{total} operations in {elapsed:.1f} s: {total / elapsed:.1f} operations/s"
        )
        # Each operation's p95 beside the plain Odoo operation of its kind (JSON-RPC
        # or portal page), run by the same clients under the same load: the ratio is
        # the addon's share of the latency.
        plain = {
            "rpc": pct(sorted(stats.latency.get(PLAIN_RPC, [])), 95),
            "portal": pct(sorted(stats.latency.get(PLAIN_PORTAL, [])), 95),
        }
        print(
            f"{'operation':32} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
            f"  {'plain p95 ms':>12} {'p95/plain':>9}"
        )
        for op in sorted(stats.latency):
            values = sorted(stats.latency[op])
            kind = stats.kind.get(op, "rpc")
            p95 = pct(values, 95)
            beside = (
                f"  {plain[kind]:12.0f} {p95 / plain[kind]:9.1f}" if plain[kind] else ""
            )
            print(
                f"{op:32} {len(values):6d} {pct(values, 50):8.0f} "
                f"{p95:8.0f} {pct(values, 99):8.0f}{beside}"
            )
        print(
            f"plain Odoo under the same load: {PLAIN_RPC} p95 {plain['rpc']:.0f} ms "
            f"(JSON-RPC operations beside it), {PLAIN_PORTAL} p95 "
            f"{plain['portal']:.0f} ms (portal pages beside it)"
        )
        print(self.race_summary)
        print(
            "HTTP statuses: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(stats.status.items()))
        )
        print(
            "outcomes: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(stats.outcomes.items()))
        )
        if stats.business_errors:
            print("business refusals shown to users:")
            for key, count in sorted(stats.business_errors.items()):
                print(f"  {count:4d}  {key}")
        print(f"server errors: {len(stats.server_errors)}")
        for error in stats.server_errors[:10]:
            print(f"  {error['op']}: {error['detail'][:1500]}")
        with open(self.args.out, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "operations": total,
                    "seconds": elapsed,
                    "http_500": sum(
                        v for k, v in stats.status.items() if k.startswith("5")
                    ),
                    "server_errors": stats.server_errors,
                    "emails": stats.emails,
                },
                out,
            )


def pct(values, p):
    """Nearest-rank percentile of sorted ``values``, in milliseconds."""
    if not values:
        return 0.0
    rank = max(1, -(-len(values) * p // 100))
    return values[int(rank) - 1] * 1000


def smoke(args):
    """The server answers: /web/login is 200, JSON-RPC login and search_read work."""
    stats = Stats()
    failures = []
    with urllib.request.urlopen(f"{args.url}/web/login", timeout=60) as resp:
        print(f"GET /web/login: {resp.status}")
        if resp.status != 200:
            failures.append("/web/login")
    rpc = Rpc(args.url, args.db, "admin", "admin", stats)
    print(f"JSON-RPC login: uid {rpc.uid}")
    if not rpc.uid:
        failures.append("login")
    for model in ("res.partner", "sale.order", "account.move"):
        try:
            rows = rpc.call(
                "smoke", model, "search_read", [], fields=["display_name"], limit=5
            )
            print(f"search_read {model}: {len(rows)} rows")
        except RpcError as exc:
            print(f"search_read {model}: {exc}")
            failures.append(model)
    print("smoke: " + ("FAILED " + ", ".join(failures) if failures else "ok"))
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=("run", "smoke"))
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--chains", type=int, default=60)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--out", default="soak_result.json")
    args = parser.parse_args()
    if args.mode == "smoke":
        return smoke(args)
    Soak(args).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
