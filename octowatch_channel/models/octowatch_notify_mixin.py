# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, models

# RFC 3834: the addon's notices are automatic, so that mail servers and clients
# don't answer them with out-of-office or other automatic replies.
AUTO_SUBMITTED_HEADERS = {"Auto-Submitted": "auto-replied"}
NOTIFY_LAYOUT = "mail.mail_notification_light"


class OctowatchNotifyMixin(models.AbstractModel):
    """The one way the addon sends an automatic email.

    Every notice is a ``mail.template`` of the record's model, rendered by Odoo's
    composer in comment mode, as ``message_post_with_source`` does, with one
    composer for a batch (rendered once per language), then posted on each
    record's chatter (``_octowatch_notify_thread``) with its own recipients. The
    composer's rendered values are posted here rather than by
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
        template = self.env.ref(template_xmlid)
        # Sent as the system (OdooBot), as the notice is the addon's own, from a
        # fixed template on records the caller has just acted on. The portal and
        # the mail gateway run as the requester's own user, whom Odoo never
        # notifies of what it does itself, and who may neither open a composer
        # nor read the company's partner that signs the notice.
        records = self.with_user(SUPERUSER_ID)
        composer = (
            records.env["mail.compose.message"]
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=records.ids,
                default_template_id=template.id,
            )
            .create(
                {
                    "message_type": "auto_comment",
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                    "email_layout_xmlid": NOTIFY_LAYOUT,
                }
            )
        )
        post_values_all = composer._prepare_mail_values(records.ids)
        authors = records._mail_get_companies(default=self.env.company)
        messages = self.env["mail.message"]
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
            thread = record._octowatch_notify_thread()
            messages += thread.message_post(**post_values)
        return messages.with_env(self.env)

    def _octowatch_notify_thread(self):
        """The record whose chatter keeps the notice: the record itself."""
        self.ensure_one()
        return self
