# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Emails to the partners@ alias through the mail gateway, on an empty inbox and on one
holding 10,000 requests, against Odoo's bare gateway in the same run.

Run by `make bench` inside `odoo shell` (``env`` is given). 1,000 emails each time
(a valid invoice request, an unknown sender, an invalid licence count, in turn) go
through ``mail.thread.message_process`` as the incoming mail server hands them over.
The baseline is Odoo itself: the same 1,000 emails to an alias on ``res.partner``
(each makes a partner), each acknowledged from a ``mail.template`` posted on the new
record to the sender, as a request's acknowledgement is.
Promises: at most 1.5x the baseline's time per email and 1.3x its queries per email;
the queries per email do not grow with the inbox (10,000 requests against none,
ratio <= 1.05).
"""

import time
from email.charset import BASE64, Charset
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate

N = 1000
EXISTING = 10000
PROMISED_RATIO = 1.05
PROMISED_TIME = 1.5
PROMISED_QUERIES = 1.3

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


bare_alias = env["mail.alias"].create(
    {
        "alias_name": "bench-bare",
        "alias_model_id": env["ir.model"]._get_id("res.partner"),
        "alias_contact": "everyone",
        "alias_domain_id": domain.id,
    }
)
bare_template = env["mail.template"].create(
    {
        "name": "Bench acknowledgement",
        "model_id": env["ir.model"]._get_id("res.partner"),
        "subject": "Re: {{ object.name }}",
        "body_html": "<p>Hello,</p><p>We received <t t-out='object.name'/> and will "
        "answer shortly.</p><p>-- <t t-out='object.company_id.name or user.name'/></p>",
        "email_layout_xmlid": "mail.mail_notification_light",
    }
)


def email(round_, i, to=None):
    charset = Charset("utf-8")
    charset.body_encoding = BASE64
    message = MIMEText(BODIES[i % 3].format(i=i), "plain", charset)
    message["From"] = SENDERS[i % 3]
    message["To"] = to or alias.alias_full_name
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


def bare_gateway_one(i, raw):
    """Odoo's own gateway for the ``i``-th email: a partner made, acknowledged from
    a template posted on it to the sender."""
    Partner = env["res.partner"]
    record = Partner.browse(env["mail.thread"].message_process(False, raw))
    sender = SENDERS[i % 3]
    known = contact if sender == contact.email else Partner
    body = bare_template._render_field("body_html", record.ids, compute_lang=True)
    subject = bare_template._render_field("subject", record.ids, compute_lang=True)
    record.message_post(
        body=body[record.id],
        subject=subject[record.id],
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
        author_id=env.company.partner_id.id,
        partner_ids=known.ids,
        outgoing_email_to=False if known else sender,
        email_layout_xmlid=bare_template.email_layout_xmlid,
    )


def run_bare():
    """Odoo's own gateway: a partner per email, acknowledged from a template."""
    raws = [email("bare", i, to=bare_alias.alias_full_name) for i in range(N)]
    env.flush_all()
    env.invalidate_all()
    queries0 = env.cr.sql_log_count
    t0 = time.perf_counter()
    for i, raw in enumerate(raws):
        bare_gateway_one(i, raw)
    env.flush_all()
    elapsed = time.perf_counter() - t0
    return elapsed, (env.cr.sql_log_count - queries0) / N


env.flush_all()
env.cr.execute("SAVEPOINT bare_gateway")
# A thousand partners from two senders would stop Odoo's loop detection at 20: the
# senders are allowed, as a partner's gateway would allow its channel.
env["mail.gateway.allowed"].create([{"email": sender} for sender in set(SENDERS)])
bare_time, bare_queries = run_bare()
env.cr.execute("ROLLBACK TO SAVEPOINT bare_gateway")
env.invalidate_all()
# The same senders are allowed on the channel's side: Odoo's loop guard also counts
# the requests of each sender there, and every email must make its request.
env["mail.gateway.allowed"].create([{"email": sender} for sender in set(SENDERS)])
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
time_ratio = (full_time / N) / (bare_time / N)
queries_ratio = full_queries / bare_queries
print(f"channel inbox, {N} emails through message_process ({made} requests made)")
print(
    f"  Odoo's bare gateway:  {N / bare_time:8.1f} emails/s  "
    f"{bare_queries:6.1f} queries/email  (res.partner alias, template acknowledgement)"
)
print(
    f"  inbox empty:          {N / empty_time:8.1f} emails/s  "
    f"{empty_queries:6.1f} queries/email"
)
print(
    f"  {EXISTING} requests:      {N / full_time:8.1f} emails/s  "
    f"{full_queries:6.1f} queries/email"
)
print(f"  ratio queries 10k/0:  {ratio:8.2f}  (promised <= {PROMISED_RATIO})")
print(
    f"  time per email, 10k/bare:    {time_ratio:6.2f}  (promised <= {PROMISED_TIME})"
)
print(
    f"  queries per email, 10k/bare: {queries_ratio:6.2f}"
    f"  (promised <= {PROMISED_QUERIES})"
)
ok = (
    ratio <= PROMISED_RATIO
    and time_ratio <= PROMISED_TIME
    and queries_ratio <= PROMISED_QUERIES
)
print(f"  RESULT {'OK' if ok else 'MISSED'}")
