# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import escape

from odoo import models
from odoo.tools import SQL, clean_context, split_every
from odoo.tools.mail import email_split_and_normalize, formataddr

# The arguments of ``message_post`` that are not passed on as message values nor
# as notification parameters.
POST_ARGUMENTS = {
    "attachment_ids",
    "attachments",
    "author_id",
    "body",
    "body_is_html",
    "email_from",
    "incoming_email_cc",
    "incoming_email_to",
    "message_type",
    "outgoing_email_to",
    "parent_id",
    "partner_ids",
    "subject",
    "subtype_id",
    "subtype_xmlid",
}
# The notification parameters that the batch carries out as ``_notify_thread``
# does; a notice with any other goes through ``message_post``.
BATCH_NOTIFY_PARAMETERS = {
    "force_email_company",
    "force_email_lang",
    "force_record_name",
    "force_send",
    "mail_auto_delete",
    "mail_headers",
    "model_description",
    "scheduled_date",
    "subtitles",
}


class OctowatchNotifyMixin(models.AbstractModel):
    """Two or more notices at once: posted and emailed as ``message_post`` and
    ``_notify_thread`` would, one at a time, with a few queries for the batch
    rather than a dozen a notice (``_octowatch_post_batch``)."""

    # The notifier is written by concern, one file each: what is sent (the mixin)
    # and how a batch of it is posted (this).
    _inherit = "octowatch.notify.mixin"  # pylint: disable=consider-merging-classes-inherited

    def _octowatch_can_post_batch(self, threads, values_list):
        """Whether ``_octowatch_post_batch`` posts these notices: two or more, on
        as many threads that don't subscribe their customer, of one type and
        subtype, notified now, without files and with the values that
        ``_octowatch_rendered_values`` gives. Any other goes through
        ``message_post``, one at a time."""
        if len(values_list) < 2 or len(set(threads.ids)) != len(threads):
            return False
        if threads._mail_thread_customer or "mail_post_autofollow" in self.env.context:
            return False
        first = values_list[0]
        message_fields = self.env["mail.message"]._fields
        for values in values_list:
            if (
                values.get("attachments")
                or values.get("attachment_ids")
                or values.get("scheduled_date")
                or not {"reply_to", "record_alias_domain_id", "record_company_id"}
                <= values.keys()
                or (values.get("message_type"), values.get("subtype_id"))
                != (first.get("message_type"), first.get("subtype_id"))
            ):
                return False
            extra = {key for key in values if key not in message_fields}
            if extra - POST_ARGUMENTS - BATCH_NOTIFY_PARAMETERS:
                return False
        return True

    def _octowatch_post_batch(self, threads, values_list):
        """Post ``values_list[i]`` on ``threads[i]`` as ``message_post`` would, for
        the lot at once.

        ``message_post`` takes a dozen queries a notice: its thread's parent
        message, the message and its recipients, the followers, the author, the
        email's references and tracking, the email, its recipients and its
        notification, each for one record. Here each is one query for the batch:
        the messages are created together (``_message_create``), the followers and
        the recipients are read for all the threads (``_get_recipient_data``), and
        the emails and their notifications are created together. What is rendered
        and how stays Odoo's: each thread's recipients are classified, its email
        laid out and its values made by the thread's own ``_notify_*`` methods.
        Inbox recipients (staff following a thread) are notified by Odoo's
        ``_notify_thread_by_inbox`` and ``_notify_thread_by_web_push``; a thread
        with recipients of any other kind (SMS) by its own ``_notify_thread``.

        :return: the ``mail.message`` posted, in the order of ``threads``.
        """
        threads = threads._fallback_lang()
        message_fields = self.env["mail.message"]._fields
        note_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        parents = self._octowatch_thread_parents(threads)
        create_list, kwargs_list = [], []
        for thread, values in zip(threads, values_list, strict=True):
            author_id, email_from = thread._message_compute_author(
                values.get("author_id"), values.get("email_from")
            )
            msg_values = {
                key: value
                for key, value in values.items()
                if key in message_fields and key not in POST_ARGUMENTS
            }
            msg_values.setdefault("email_add_signature", True)
            msg_values.update(
                author_id=author_id,
                author_guest_id=False,
                email_from=email_from,
                model=thread._name,
                res_id=thread.id,
                body=escape(values.get("body") or ""),
                message_type=values.get("message_type") or "notification",
                parent_id=parents.get(thread.id, False),
                subject=values.get("subject") or False,
                subtype_id=values.get("subtype_id") or note_id,
                partner_ids=list(values.get("partner_ids") or []),
                incoming_email_to=False,
                incoming_email_cc=False,
                outgoing_email_to=values.get("outgoing_email_to") or False,
                attachment_ids=[],
            )
            create_list.append(msg_values)
            kwargs_list.append(
                {
                    key: value
                    for key, value in values.items()
                    if key not in message_fields
                    and key not in POST_ARGUMENTS
                    and key != "scheduled_date"
                }
            )
        messages = threads._message_create(create_list)
        for thread, message, msg_values in zip(
            threads, messages, create_list, strict=True
        ):
            thread._message_post_after_hook(message, msg_values)
        self._octowatch_notify_batch(threads, messages, create_list, kwargs_list)
        return messages

    def _octowatch_thread_parents(self, threads):
        """Thread id -> the parent of a message posted on it now, as
        ``_message_compute_parent_id`` finds it without a parent given (the last
        comment or email of the thread's last 200 messages, else the last
        message), for all the threads in one query."""
        if not threads._mail_flat_thread:
            return {}
        Message = self.env["mail.message"]
        Message.flush_model(["create_date", "date", "message_type", "model", "res_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (latest.res_id) latest.res_id, latest.id
                  FROM (
                        SELECT res_id, id, message_type, date, create_date,
                               ROW_NUMBER() OVER (
                                   PARTITION BY res_id ORDER BY date DESC, id DESC
                               ) AS rank
                          FROM mail_message
                         WHERE model = %(model)s
                           AND res_id IN %(res_ids)s
                           AND message_type != 'user_notification'
                       ) latest
                 WHERE latest.rank <= 200
              ORDER BY latest.res_id,
                       latest.message_type IN ('comment', 'email') DESC,
                       COALESCE(latest.date, latest.create_date) DESC,
                       latest.id DESC
                """,
                model=threads._name,
                res_ids=tuple(threads.ids),
            )
        )
        return dict(self.env.cr.fetchall())

    def _octowatch_notify_batch(self, threads, messages, msg_values_list, kwargs_list):
        """Notify each of ``messages``, just posted on ``threads``, as
        ``_notify_thread`` does: its thread's followers of its subtype and its
        ``partner_ids`` (``_notify_get_recipients``), read for the batch in two
        queries, then by inbox and by email."""
        threads._raise_for_invalid_parameters(
            {key for kwargs in kwargs_list for key in kwargs},
            restricting_names=threads._get_notify_valid_parameters(),
        )
        Followers = self.env["mail.followers"]
        message_type = msg_values_list[0]["message_type"]
        subtype_id = msg_values_list[0]["subtype_id"]
        followers = Followers._get_recipient_data(threads, message_type, subtype_id)
        pids = sorted(
            {pid for values in msg_values_list for pid in values["partner_ids"]}
        )
        direct = (
            Followers._get_recipient_data(None, message_type, subtype_id, pids)[0]
            if pids
            else {}
        )
        notify_author = self.env.context.get("mail_notify_author")
        real_authors = {}
        email_jobs = []
        for thread, message, msg_values, kwargs in zip(
            threads, messages, msg_values_list, kwargs_list, strict=True
        ):
            data = dict(followers.get(thread.id) or {})
            for pid in msg_values["partner_ids"]:
                if pid not in data and pid in direct:
                    data[pid] = direct[pid]
            author_id = msg_values["author_id"]
            if author_id not in real_authors:
                real_authors[author_id] = thread._message_compute_real_author(
                    author_id
                ).id
            skip_author_id = False if notify_author else real_authors[author_id]
            recipients = [
                pdata
                for pid, pdata in data.items()
                if not (pid and pid == skip_author_id) and pdata["active"] is not False
            ]
            recipients += [
                {
                    "active": True,
                    "email_normalized": email,
                    "id": False,
                    "is_follower": False,
                    "name": name or email,
                    "lang": False,
                    "groups": [],
                    "notif": "email",
                    "share": True,
                    "type": "customer",
                    "uid": False,
                    "ushare": False,
                }
                for name, email in email_split_and_normalize(
                    msg_values["outgoing_email_to"]
                )
            ]
            if not recipients:
                continue
            if any(pdata["notif"] not in ("email", "inbox") for pdata in recipients):
                thread._notify_thread(message, msg_values, **kwargs)
                continue
            if any(pdata["notif"] == "inbox" for pdata in recipients):
                thread._notify_thread_by_inbox(
                    message, recipients, msg_vals=msg_values, **kwargs
                )
                thread._notify_thread_by_web_push(
                    message, recipients, msg_vals=msg_values, **kwargs
                )
            emailed = [pdata for pdata in recipients if pdata["notif"] == "email"]
            if emailed:
                email_jobs.append((thread, message, msg_values, kwargs, emailed))
        self._octowatch_email_batch(email_jobs)

    def _octowatch_email_batch(self, jobs):
        """The emails of ``_notify_thread_by_email`` for each job (thread, message,
        message values, notification parameters, recipients), created in one
        batch with their notifications. As there, the thread's recipients are
        grouped and each group's email is laid out by the thread's own methods;
        emails asked to be sent at once are sent after the commit."""
        if not jobs:
            return
        # Without the caller's default_* keys, as _notify_thread_by_email: they
        # would be taken for the emails' own.
        env = self.env(context=clean_context(self.env.context), su=True)
        Mail, Notification = env["mail.mail"], env["mail.notification"]
        batch_size = (
            int(self.env["ir.config_parameter"].sudo().get_param("mail.batch_size"))
            or 50
        )
        ancestors = self._octowatch_ancestors(
            self.env["mail.message"].concat(*(job[1] for job in jobs))
        )
        mail_values_list, notification_values_lists, send_now = [], [], []
        for thread, message, msg_values, kwargs, recipients in jobs:
            base_values = self._octowatch_base_mail_values(
                thread, message, recipients, ancestors.get(message.id), kwargs
            )
            notification_values = thread._notify_by_email_get_base_notification_values(
                message
            )
            # A notice has no tracking values: saying so spares their search.
            render_msg_values = dict(msg_values, tracking_value_ids=[])
            force_send = self.env.context.get(
                "mail_notify_force_send", kwargs.get("force_send", True)
            )
            for (
                _lang,
                render_values,
                group,
            ) in thread._notify_get_classified_recipients_iterator(
                message,
                recipients,
                msg_vals=render_msg_values,
                model_description=kwargs.get("model_description", False),
                force_email_company=kwargs.get("force_email_company", False),
                force_email_lang=kwargs.get("force_email_lang", False),
                force_record_name=kwargs.get("force_record_name", False),
                subtitles=kwargs.get("subtitles"),
            ):
                body = thread._notify_by_email_render_layout(
                    message,
                    group,
                    msg_vals=render_msg_values,
                    render_values=render_values,
                )
                for chunk in split_every(batch_size, group["recipients_ids"]):
                    mail_values_list.append(
                        thread._notify_by_email_get_final_mail_values(
                            chunk, base_values, additional_values={"body_html": body}
                        )
                    )
                    notification_values_lists.append(
                        [
                            {"res_partner_id": pid, **notification_values}
                            for pid in chunk
                        ]
                    )
                    send_now.append(force_send)
                if group["recipients_emails"]:
                    values = thread._notify_by_email_get_final_mail_values(
                        [], base_values, additional_values={"body_html": body}
                    )
                    values["email_to"] = ",".join(group["recipients_emails"])
                    mail_values_list.append(values)
                    notification_values_lists.append(
                        [
                            {"mail_email_address": email, **notification_values}
                            for email in group["recipients_emails"]
                        ]
                    )
                    send_now.append(force_send)
        mails = Mail.create(mail_values_list)
        Notification.create(
            [
                {"mail_mail_id": mail.id, **values}
                for mail, values_list in zip(
                    mails, notification_values_lists, strict=True
                )
                for values in values_list
            ]
        )
        mails_now = mails.browse(
            mail.id for mail, now in zip(mails, send_now, strict=True) if now
        )
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mail.mail.force.send.limit", 100)
        )
        if mails_now and len(mails_now) < limit:
            mails_now.send_after_commit()

    def _octowatch_ancestors(self, messages):
        """Message id -> the messages that its email's ``References`` name, as
        ``_notify_by_email_get_base_mail_values`` picks them (three of the
        thread's last 32 messages with a subtype, public discussions first), for
        all the messages in one query."""
        Message = self.env["mail.message"].sudo()
        Message.flush_model(["message_id", "model", "res_id", "subtype_id"])
        by_thread = {(message.model, message.res_id): message for message in messages}
        self.env.cr.execute(
            SQL(
                """
                SELECT ranked.id
                  FROM (
                        SELECT id, ROW_NUMBER() OVER (
                                   PARTITION BY model, res_id ORDER BY id DESC
                               ) AS rank
                          FROM mail_message
                         WHERE (model, res_id) IN %(threads)s
                           AND id NOT IN %(ids)s
                           AND subtype_id IS NOT NULL
                           AND message_id IS NOT NULL
                       ) ranked
                 WHERE ranked.rank <= 32
              ORDER BY ranked.id DESC
                """,
                threads=tuple(by_thread),
                ids=tuple(messages.ids),
            )
        )
        found = Message.browse([row[0] for row in self.env.cr.fetchall()])
        history_by_thread = {}
        for ancestor in found:
            key = (ancestor.model, ancestor.res_id)
            history_by_thread[key] = history_by_thread.get(key, Message) + ancestor
        outgoing_types = ("comment", "auto_comment", "email", "email_outgoing")
        ancestors = {}
        for key, message in by_thread.items():
            history = history_by_thread.get(key, Message).sorted(
                lambda m: (
                    not m.is_internal and not m.subtype_id.internal,
                    m.message_type in outgoing_types,
                    m.message_type not in ("user_notification", "out_of_office"),
                ),
                reverse=True,
            )
            ancestors[message.id] = history[:3].sorted("id")
        return ancestors

    def _octowatch_base_mail_values(
        self, thread, message, recipients, ancestors, kwargs
    ):
        """The values of each email of ``message`` on ``thread``, as
        ``_notify_by_email_get_base_mail_values`` makes them, with the
        ``References`` of ``ancestors`` (``_octowatch_ancestors``)."""
        mail_subject = message.subject
        if not mail_subject and hasattr(thread, "_message_compute_subject"):
            mail_subject = thread._message_compute_subject()
        if not mail_subject:
            mail_subject = message.record_name
        if mail_subject:
            mail_subject = " ".join(mail_subject.splitlines())
        message_sudo = message.sudo()
        values = {
            "mail_message_id": message.id,
            "references": " ".join(
                m.message_id
                for m in ((ancestors or message_sudo.browse()) + message_sudo)
            ),
            "auto_delete": kwargs.get("mail_auto_delete", True),
        }
        if mail_subject != message.subject:
            values["subject"] = mail_subject
        headers = dict(kwargs.get("mail_headers") or {})
        # The contacts outside the company, so that a reply to all reaches them.
        external = [
            formataddr((pdata["name"], pdata["email_normalized"]))
            for pdata in recipients
            if pdata["active"] and pdata["email_normalized"] and pdata["share"]
        ]
        if external and len(external) < thread._CUSTOMER_HEADERS_LIMIT_COUNT:
            headers["X-Msg-To-Add"] = ",".join(external)
        if message_sudo.record_alias_domain_id.bounce_email:
            headers["Return-Path"] = message_sudo.record_alias_domain_id.bounce_email
        headers = thread._notify_by_email_get_headers(headers=headers)
        if headers:
            values["headers"] = repr(headers)
        return values
