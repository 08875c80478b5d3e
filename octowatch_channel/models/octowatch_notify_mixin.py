# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, models

from .ir_qweb import COMPILED_CONTEXT_KEY

# RFC 3834: the addon's notices are automatic, so that mail servers and clients
# don't answer them with out-of-office or other automatic replies.
AUTO_SUBMITTED_HEADERS = {"Auto-Submitted": "auto-replied"}
NOTIFY_LAYOUT = "mail.mail_notification_light"


class OctowatchNotifyMixin(models.AbstractModel):
    """The one way the addon sends an automatic email.

    Every notice is a ``mail.template`` of the record's model, rendered with the
    values of Odoo's composer in comment mode, as ``message_post_with_source``
    does, once per language for a batch, then posted on each record's chatter
    (``_octowatch_notify_thread``) with its own recipients: by ``message_post``
    for one notice, in one batch for two or more (``_octowatch_post_batch``,
    which stores the same messages, emails and notifications with a few queries
    for the lot rather than a dozen a notice). A template with
    attachments or reports goes through the composer itself (one for the batch);
    one without is rendered straight from the template
    (``_octowatch_rendered_values``), which spares the composer's row and
    lookups on every email. The rendered values are posted here rather than by
    ``message_post_with_source`` itself, which takes neither the headers nor an
    address that is no contact (``outgoing_email_to``). The mass-mail mode is not
    used: it leaves no message with its recipients on the chatter, where the
    portal and staff read what was sent.

    Each email is:

    - in the language that the template's ``lang`` gives: the recipient's;
    - authored by the partner of the record's company, whoever triggers it (a
      portal user, the mail gateway, a cron or staff), so that the recipient
      is notified even when it is the user who acted;
    - wrapped in the light layout (``mail.mail_notification_light``), which
      carries the company's logo, name and colours;
    - as an automated targeted notification (``auto_comment``) with the header
      ``Auto-Submitted: auto-replied`` on every email.
    """

    _name = "octowatch.notify.mixin"
    _description = "OctoWatch Automatic Notification"

    def _octowatch_notify(
        self, template_xmlid, partners=None, email_to=False, attachments=None
    ):
        """Send the template ``template_xmlid`` for each record of ``self``.

        :param partners: ``res.partner`` notified in addition to the template's
            recipients (``partner_to``), on every record;
        :param email_to: an address notified without being made a contact (an
            unknown sender), on every record;
        :param attachments: files attached to each record's email (a document's
            PDF), record id -> list of ``(name, content)``, as ``message_post``
            takes them;
        :return: the posted ``mail.message``, one a record.
        """
        if not self:
            return self.env["mail.message"]
        # Sent as the system (OdooBot), as the notice is the addon's own, from a
        # fixed template on records the caller has just acted on. The portal and
        # the mail gateway run as the requester's own user, whom Odoo never
        # notifies of what it does itself, and who may neither open a composer
        # nor read the company's partner that signs the notice.
        records = self.with_user(SUPERUSER_ID)
        # The template and the subtype by their xmlids, which Odoo caches (no
        # query each time, as ``env.ref`` takes).
        IrModelData = records.env["ir.model.data"]
        template = records.env["mail.template"].browse(
            IrModelData._xmlid_to_res_id(template_xmlid, raise_if_not_found=True)
        )
        subtype_id = IrModelData._xmlid_to_res_id("mail.mt_comment")
        if template.attachment_ids or template.report_template_ids:
            post_values_all = records._octowatch_composer_values(template, subtype_id)
        else:
            post_values_all = records._octowatch_rendered_values(template, subtype_id)
        authors = records._mail_get_companies(default=self.env.company)
        threads, values_list = [], []
        for record in records:
            post_values = post_values_all[record.id]
            post_values.update(
                author_id=authors[record.id].partner_id.id,
                email_layout_xmlid=NOTIFY_LAYOUT,
                mail_headers=dict(AUTO_SUBMITTED_HEADERS),
                partner_ids=list(
                    set(post_values.get("partner_ids") or [])
                    | set((partners or self.env["res.partner"]).ids)
                ),
            )
            if email_to:
                post_values["outgoing_email_to"] = email_to
            if attachments and attachments.get(record.id):
                post_values["attachments"] = [
                    *(post_values.get("attachments") or []),
                    *attachments[record.id],
                ]
            threads.append(record._octowatch_notify_thread())
            values_list.append(post_values)
        threads = records.env[threads[0]._name].concat(*threads)
        if records._octowatch_can_post_batch(threads, values_list):
            messages = records._octowatch_post_batch(threads, values_list)
        else:
            messages = self.env["mail.message"].concat(
                *(
                    thread.message_post(**values)
                    for thread, values in zip(threads, values_list, strict=True)
                )
            )
        return messages.with_env(self.env)

    def _octowatch_composer_values(self, template, subtype_id):
        """Record id -> the ``message_post`` values of ``template``, from Odoo's
        composer in comment mode (one composer for the batch), which makes the
        template's attachments and reports."""
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
            )
            .create(
                {
                    "message_type": "auto_comment",
                    "subtype_id": subtype_id,
                    "email_layout_xmlid": NOTIFY_LAYOUT,
                }
            )
        )
        return composer._prepare_mail_values(self.ids)

    def _octowatch_rendered_values(self, template, subtype_id):
        """Record id -> the ``message_post`` values of ``template``, the ones the
        composer gives (``_octowatch_composer_values``), for a template without
        attachments: rendered straight from the template, per language for the
        batch (``mail.template._generate_template``).

        No composer is stored then: for one record (every email of the inbox) the
        composer is a row written twice with its recipients, and it looks its
        recipients up again by email, on every email.
        """
        # Odoo compiles the body again for each record; the dict keeps it
        # compiled for the batch, once a language (ir.qweb._compile).
        rendered = template.with_context(
            **{COMPILED_CONTEXT_KEY: {}}
        )._generate_template(
            self.ids,
            (
                "body_html",
                "email_cc",
                "email_from",
                "email_to",
                "partner_to",
                "reply_to",
                "scheduled_date",
                "subject",
            ),
            # The composer turns rendered addresses into contacts: only asked
            # (it takes queries even with none) when the template has any.
            find_or_create_partners=bool(template.email_to or template.email_cc),
        )
        langs = template._render_lang(self.ids)
        companies = self._mail_get_companies(default=self.env.company)
        alias_domains = self._mail_get_alias_domains(default_company=self.env.company)
        # The reply-to that message_post would look up for each record (its
        # alias, else the catchall, named after the author: the company), for the
        # batch at once.
        reply_tos = self._notify_get_reply_to_batch(
            defaults={
                rid: values.get("email_from") for rid, values in rendered.items()
            },
            author_ids={
                record.id: companies[record.id].partner_id.id for record in self
            },
        )
        values_all = {}
        for record in self:
            values = rendered.get(record.id, {})
            forced = values.get("reply_to")
            values_all[record.id] = {
                "attachment_ids": [],
                "body": values.get("body_html") or "",
                "email_add_signature": False,
                "email_from": values.get("email_from"),
                "email_layout_xmlid": NOTIFY_LAYOUT,
                "force_email_lang": langs.get(record.id) or "",
                # As the composer: one email is sent at once, a batch queued.
                "force_send": len(self) == 1,
                "mail_activity_type_id": False,
                "mail_auto_delete": template.auto_delete,
                "mail_server_id": template.mail_server_id.id,
                "message_type": "auto_comment",
                "parent_id": False,
                "partner_ids": values.get("partner_ids") or [],
                "record_alias_domain_id": alias_domains[record.id].id,
                "record_company_id": companies[record.id].id,
                "scheduled_date": values.get("scheduled_date") or False,
                "subject": values.get("subject") or "",
                "subtype_id": subtype_id,
                "reply_to": forced or reply_tos[record.id],
                "reply_to_force_new": bool(forced),
            }
        return values_all

    def _octowatch_notify_thread(self):
        """The record whose chatter keeps the notice: the record itself."""
        self.ensure_one()
        return self
