# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Odoo side of ``make mailflow``, run in ``odoo shell`` (``env`` is given).

MAILFLOW_STEP says what to do:

- ``configure``: the partners@ alias on octowatchdlp.com, the trusted mail server,
  the outgoing mail server (the SMTP sink) and the incoming one (dovecot, IMAP);
- ``fetch``: Odoo's incoming mail server fetches the mailbox;
- ``send``: the mail queue is sent (the acknowledgements leave by SMTP);
- ``check``: each fixture became the right request and the right answer arrived.
"""
# ruff: noqa: F821 - ``env`` is the shell's

import email
import email.policy
import json
import os
import sys
from pathlib import Path

STEP = os.environ["MAILFLOW_STEP"]
ALIAS_DOMAIN = "octowatchdlp.com"
TRUSTED = "mx.octowatchdlp.test"

# fixture -> what it must become: the request, and the answer that must arrive (or
# None: nothing may be sent about it).
EXPECTED = {
    "outlook_windows-1251_alternative.eml": {
        "request": {
            "request_type": "invoice",
            "requester": "partner@demo.octowatch.example",
            "state": "new",
            "mail_trust": "authenticated",
            "account_email": "security@new-client.example",
            "license_qty": 50,
        },
        "answer": ("partner@demo.octowatch.example", "received"),
    },
    "gmail_utf-8_alternative_reply.eml": {
        "request": {
            "request_type": "deal",
            "requester": "agent@demo.octowatch.example",
            "state": "done",
            "mail_trust": "authenticated",
            "tin": "7897530723",
            "license_qty": 120,
            "deal_state": "registered",
        },
        "answer": ("agent@demo.octowatch.example", "received"),
    },
    "apple_mail_utf-8_alternative_forward.eml": {
        "request": {
            "request_type": "invoice",
            "requester": "ivan.petrov@mail.example",
            "state": "new",
            "mail_trust": "authenticated",
            "account_email": "soc-team@delta-new.example",
            "license_qty": 12,
        },
        "answer": ("ivan.petrov@mail.example", "received"),
    },
    # Not authenticated: the confirmation link first, followed by the agent, then
    # the registration as of the email's receipt and its acknowledgement.
    "thunderbird_koi8-r_plain.eml": {
        "request": {
            "request_type": "deal",
            "requester": "anna.smirnova@mail.example",
            "state": "done",
            "mail_trust": "confirmed",
            "tin": "7885185053",
            "license_qty": 30,
            "deal_state": "registered",
            "deal_registered_on_receipt": True,
        },
        "answer": ("anna.smirnova@mail.example", "Confirm deal registration"),
        "then": ("anna.smirnova@mail.example", "received"),
    },
    "yandex_utf-8_html_only.eml": {
        "request": {
            "requester": False,
            "state": "needs_review",
        },
        "answer": ("promo@yandex-sender.example", "received"),
        "not_in_answer": ("promo.yandex-sender", "Промо", "рекламу"),
    },
    "mailru_windows-1251_html_only_auto_reply.eml": {
        "request": {
            "requester": "partner@demo.octowatch.example",
            "is_auto_reply": True,
        },
        "answer": None,
    },
}


def configure():
    Domain = env["mail.alias.domain"]
    domain = Domain.search([("name", "=", ALIAS_DOMAIN)], limit=1) or Domain.create(
        {"name": ALIAS_DOMAIN}
    )
    # Every company of the database: whichever the gateway's user works in.
    company = env["res.company"].search([])
    company.write(
        {
            "alias_domain_id": domain.id,
            "octowatch_trusted_authserv_id": TRUSTED,
            "email": f"partners@{ALIAS_DOMAIN}",
        }
    )
    # The gateway works in the company that sells OctoWatch (the demo's Kolibri), as
    # a deployment's does: its user is the one fetchmail's cron runs as.
    seller = env.ref("octowatch_channel.company_kolibri", raise_if_not_found=False)
    if seller:
        env.ref("base.user_root").write(
            {"company_ids": [(4, seller.id)], "company_id": seller.id}
        )
    alias = env.ref("octowatch_channel.mail_alias_channel_request")
    alias.write({"alias_domain_id": domain.id, "alias_name": "partners"})
    # The links in the emails point to the Odoo that make mailflow serves.
    params = env["ir.config_parameter"]
    params.set_param(
        "web.base.url", f"http://127.0.0.1:{os.environ['MAILFLOW_HTTP_PORT']}"
    )
    params.set_param("web.base.url.freeze", "True")
    env["ir.mail_server"].search([]).active = False
    env["ir.mail_server"].create(
        {
            "name": "mailflow SMTP sink",
            "smtp_host": "127.0.0.1",
            "smtp_port": int(os.environ["MAILFLOW_SMTP_PORT"]),
            "smtp_encryption": "none",
        }
    )
    server = env["fetchmail.server"].create(
        {
            "name": "partners@ (dovecot)",
            "server_type": "imap",
            "server": "127.0.0.1",
            "port": int(os.environ["MAILFLOW_IMAP_PORT"]),
            "is_ssl": False,
            "user": os.environ["MAILFLOW_IMAP_USER"],
            "password": os.environ["MAILFLOW_IMAP_PASSWORD"],
        }
    )
    server.button_confirm_login()
    env.cr.commit()
    print(f"[odoo] alias {alias.alias_full_name}, IMAP server {server.state}")


def fetch():
    server = env["fetchmail.server"].search([("state", "=", "done")], limit=1)
    before = env["octowatch.channel.request"].search_count([])
    server.fetch_mail()
    env.cr.commit()
    env.invalidate_all()
    after = env["octowatch.channel.request"].search_count([])
    print(f"[odoo] fetched over IMAP: {after - before} new request(s)")


def send():
    env["mail.mail"].process_email_queue()
    env.cr.commit()
    left = env["mail.mail"].search_count([("state", "in", ("outgoing", "exception"))])
    print(f"[odoo] mail queue sent ({left} left unsent)")


def _received(outbox):
    mails = []
    for path in sorted(Path(outbox).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.SMTP)
        body = message.get_body(("html", "plain"))
        mails.append(
            {
                "to": os.path.basename(str(message["X-Mailflow-Envelope-To"])),
                "subject": str(message["Subject"] or ""),
                "auto_submitted": str(message["Auto-Submitted"] or ""),
                "in_reply_to": str(message["In-Reply-To"] or ""),
                "body": body.get_content() if body else "",
            }
        )
    return mails


def check():
    fixtures = Path(os.environ["MAILFLOW_FIXTURES"])
    mails = _received(os.environ["MAILFLOW_OUTBOX"])
    senders = {
        expected["answer"][0] for expected in EXPECTED.values() if expected["answer"]
    } | {"partner@demo.octowatch.example"}
    ours = [mail for mail in mails if mail["to"] in senders]
    print(
        f"[check] received by the SMTP sink: {len(mails)} emails, "
        f"{len(ours)} to the fixtures' senders (the others are the demo's own):"
    )
    for mail in ours:
        print(
            f"  to {mail['to']}: {mail['subject']!r}"
            f" (Auto-Submitted: {mail['auto_submitted'] or '-'})"
        )
    Request = env["octowatch.channel.request"]
    failures = []
    used = set()
    for name, expected in EXPECTED.items():
        raw = (fixtures / name).read_bytes()
        message = email.message_from_bytes(raw, policy=email.policy.SMTP)
        message_id = str(message["Message-Id"]).strip()
        request = Request.search([("source_message_id", "=", message_id)], limit=1)
        got = {}
        if request:
            got = {
                "request_type": request.request_type,
                "requester": request.requester_id.email or False,
                "state": request.state,
                "mail_trust": request.mail_trust,
                "tin": request.tin,
                "account_email": request.account_email,
                "license_qty": request.license_qty,
                "is_auto_reply": request.is_auto_reply,
                "deal_state": request.deal_id.state or False,
                "deal_registered_on_receipt": bool(request.deal_id)
                and request.deal_id.date_registered == request.create_date,
            }
        wrong = {
            key: (value, got.get(key))
            for key, value in expected["request"].items()
            if got.get(key) != value
        }
        line = f"{name}: {request.name or 'NO REQUEST'}"
        if request:
            line += (
                f" {request.request_type}/{request.state}"
                f" trust={request.mail_trust} auto={request.is_auto_reply}"
            )
        if not request or wrong:
            failures.append(f"{name}: request {wrong or 'missing'}")
            if request.review_notes:
                line += f" [problems: {request.review_notes}]"
        answers = [
            index
            for index, mail in enumerate(mails)
            if request and request.name and request.name in mail["subject"]
        ]
        if expected["answer"] is None:
            if answers:
                failures.append(f"{name}: answered, but must not be")
            line += " | no answer (as expected)" if not answers else " | ANSWERED"
        else:
            to, subject = expected["answer"]
            good = [
                index
                for index in answers
                if mails[index]["to"] == to and subject in mails[index]["subject"]
            ]
            if expected.get("then"):
                then_to, then_subject = expected["then"]
                later = [
                    index
                    for index in answers
                    if mails[index]["to"] == then_to
                    and then_subject in mails[index]["subject"]
                ]
                if not later:
                    failures.append(f"{name}: no {then_subject!r} email to {then_to}")
                else:
                    line += f" | then {mails[later[0]]['subject']!r}"
            if not good:
                failures.append(f"{name}: no {subject!r} email to {to}")
                line += f" | MISSING answer to {to}"
            else:
                mail = mails[good[0]]
                used.add(good[0])
                line += f" | answer to {mail['to']}: {mail['subject']!r}"
                for text in expected.get("not_in_answer", ()):
                    if text in mail["body"] or text in mail["subject"]:
                        failures.append(f"{name}: the answer repeats {text!r}")
        print(f"[check] {line}")
    print(
        json.dumps(
            {"fixtures": len(EXPECTED), "received": len(mails), "failures": failures},
            ensure_ascii=False,
        )
    )
    if failures:
        print("[check] FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("[check] every email became the right request with the right answer")


{"configure": configure, "fetch": fetch, "send": send, "check": check}[STEP]()
