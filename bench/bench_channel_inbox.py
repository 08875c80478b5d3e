# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Emails to the partners@ alias through the mail gateway, on an empty inbox and on one
holding 10,000 requests.

Run by `make bench` inside `odoo shell` (``env`` is given). 1,000 emails each time
(a valid invoice request, an unknown sender, an invalid licence count, in turn) go
through ``mail.thread.message_process`` as the incoming mail server hands them over.
Promise: the queries per email do not grow with the inbox (ratio <= 1.05).
"""

import time
from email.charset import BASE64, Charset
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate

N = 1000
EXISTING = 10000
PROMISED_RATIO = 1.05

# Acknowledgements are queued as in production (the mail cron sends them), not sent
# from inside the benchmark.
env = env(context=dict(env.context, mail_notify_force_send=False))  # noqa: F821
Request = env["octowatch.channel.request"]

domain = env["mail.alias.domain"].search([], limit=1) or env[
    "mail.alias.domain"
].create({"name": "octowatchdlp.com"})
alias = env.ref("octowatch_channel.mail_alias_channel_request")
alias.alias_domain_id = domain
product = env["product.product"].create(
    {
        "name": "Bench Edition",
        "type": "service",
        "octowatch_is_license": True,
        "octowatch_version_code": "BENCHED",
    }
)
reseller = env["res.partner"].create(
    {"name": "Bench Reseller", "is_company": True, "octowatch_role": "partner"}
)
contact = env["res.partner"].create(
    {
        "name": "Bench Contact",
        "parent_id": reseller.id,
        "email": "bench@reseller.example",
    }
)
BODIES = (
    (
        "Account email: client{i}@bench.example\nVersion: BENCHED\nLicenses: 25\n"
        "Payment method: bank transfer\n\n--\nBench Contact"
    ),
    "Email аккаунта: client{i}@bench.example\nВерсия: benched\nКол-во: 10",
    "Account email: client{i}@bench.example\nVersion: BENCHED\nLicenses: 999999",
)
SENDERS = (
    "bench@reseller.example",
    "stranger@nowhere.example",
    "bench@reseller.example",
)


def email(round_, i):
    charset = Charset("utf-8")
    charset.body_encoding = BASE64
    message = MIMEText(BODIES[i % 3].format(i=i), "plain", charset)
    message["From"] = SENDERS[i % 3]
    message["To"] = alias.alias_full_name
    message["Subject"] = Header(f"Request {round_}-{i}", "utf-8")
    message["Date"] = formatdate()
    message["Message-Id"] = f"<bench-{round_}-{i}@bench.example>"
    return message.as_bytes()


def run(round_):
    raws = [email(round_, i) for i in range(N)]
    env.flush_all()
    env.invalidate_all()
    queries0 = env.cr.sql_log_count
    t0 = time.perf_counter()
    for raw in raws:
        env["mail.thread"].message_process(False, raw)
    env.flush_all()
    elapsed = time.perf_counter() - t0
    return elapsed, (env.cr.sql_log_count - queries0) / N


before = Request.search_count([])
empty_time, empty_queries = run("empty")
Request.with_context(tracking_disable=True).create(
    [
        {
            "request_type": "invoice",
            "requester_id": contact.id,
            "account_email": f"old{i}@bench.example",
            "product_id": product.id,
            "license_qty": 5,
            "state": "done",
        }
        for i in range(EXISTING)
    ]
)
env.flush_all()
full_time, full_queries = run("full")
made = Request.search_count([]) - before - EXISTING
env.cr.rollback()

ratio = full_queries / empty_queries
print(f"channel inbox, {N} emails through message_process ({made} requests made)")
print(
    f"  inbox empty:          {N / empty_time:8.1f} emails/s  "
    f"{empty_queries:6.1f} queries/email"
)
print(
    f"  {EXISTING} requests:      {N / full_time:8.1f} emails/s  "
    f"{full_queries:6.1f} queries/email"
)
print(f"  ratio queries 10k/0:  {ratio:8.2f}  (promised <= {PROMISED_RATIO})")
print(f"  RESULT {'OK' if ratio <= PROMISED_RATIO else 'OVER PROMISE'}")
