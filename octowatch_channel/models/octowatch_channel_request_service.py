# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .res_partner import normalize_account_email


class OctowatchChannelRequest(models.Model):
    """The Kolibri service workflow of a channel request: its own state machine
    (to plan, planned, done, cancelled) beside the request's."""

    _inherit = "octowatch.channel.request"

    service_kind = fields.Selection(
        selection=[
            ("support", "Technical support"),
            ("presentation", "Presentation"),
            ("webinar", "Webinar"),
            ("modification", "Software modification"),
        ],
        string="Service",
        tracking=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who plans a service request; the confirming user when empty.",
    )
    service_state = fields.Selection(
        selection=[
            ("to_plan", "To Plan"),
            ("planned", "Planned"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_service_state",
        store=True,
        readonly=False,
        tracking=True,
        copy=False,
        index="btree_not_null",
        help="Where the Kolibri service stands: to plan, planned on its date, done "
        "or cancelled. The requester sees it on the portal.",
    )
    service_date = fields.Datetime(
        string="Planned Date",
        tracking=True,
        copy=False,
        help="When Kolibri delivers the service (the deadline of the responsible's "
        "activity).",
    )
    service_activity_id = fields.Many2one(
        comodel_name="mail.activity",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The responsible's activity that tracks the service.",
    )

    @api.depends("request_type")
    def _compute_service_state(self):
        for request in self:
            if request.request_type != "service":
                request.service_state = False
            elif not request.service_state:
                request.service_state = "to_plan"

    @api.constrains("request_type", "end_customer_id", "requester_id")
    def _check_service_end_customer(self):
        for request in self:
            if not request.end_customer_id:
                continue
            problem = request._octowatch_service_customer_problem()
            if problem:
                raise ValidationError(problem)

    def _confirm_service(self):
        """Accept the service: the end customer named is found among the requester's
        clients and the responsible gets an activity to plan it."""
        self.ensure_one()
        vals = {"state": "done", "service_state": "to_plan"}
        if not self.end_customer_id:
            vals["end_customer_id"] = self._octowatch_find_own_client().id
        if not self.user_id:
            vals["user_id"] = self.env.user.id
        self.write(vals)
        activity = self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._(
                "Plan %(service)s for %(partner)s",
                service=self._octowatch_service_kind_label().lower(),
                partner=self.requester_id.commercial_partner_id.display_name,
            ),
            note=Markup("<p>%s</p>") % (self.description or ""),
            user_id=self.user_id.id,
        )
        self.service_activity_id = activity
        return True

    def _octowatch_find_own_client(self):
        """The requester's client the request names (TIN, account email or company
        name), empty when it names none of them."""
        self.ensure_one()
        owner = self.requester_id.commercial_partner_id
        if not owner:
            return self.env["res.partner"]
        # The requester's clients are found whoever looks: the portal user and the
        # mail gateway can't read other contacts, and only its own clients match.
        return (
            self.env["res.partner"]
            .sudo()
            ._octowatch_find_end_customer(
                self.company_id,
                tin=self._octowatch_valid_tin(),
                account_email=normalize_account_email(self.account_email),
                name=self.company_name,
                owner=owner,
            )
            .sudo(False)
        )

    def _octowatch_service_customer_problem(self):
        """Why the end customer of this service request is not allowed, or False.

        A Partner or an Agent asks a service only for its own clients: the chosen end
        customer must belong to it, and a client named in an email (TIN, account email
        or company name) must be one of its clients.
        """
        self.ensure_one()
        if self.request_type != "service":
            return False
        owner = self.requester_id.commercial_partner_id
        if self.end_customer_id:
            # Reading the owner of the chosen customer: a portal requester can't read
            # contacts, and only the owner's id is compared.
            customer = self.end_customer_id.sudo().commercial_partner_id
            if customer.octowatch_owner_id != owner:
                return self.env._(
                    "End Customer %(customer)s is not a client of %(owner)s: a "
                    "service can only be asked for the requester's own clients.",
                    customer=customer.display_name,
                    owner=owner.display_name or self.env._("the requester"),
                )
            return False
        named = self.company_name or self.tin or self.account_email
        if named and owner and not self._octowatch_find_own_client():
            return self.env._(
                'The client "%(client)s" named in the request is not a client of '
                "%(owner)s: a service can only be asked for the requester's own "
                "clients.",
                client=named,
                owner=owner.display_name,
            )
        return False

    def action_plan_service(self):
        """Open the wizard asking the date, the responsible and a note."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan Service"),
            "res_model": "octowatch.channel.request.plan",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    def action_service_done(self):
        """The service is delivered: its activity is done and the requester told."""
        self._octowatch_check_service_states(("to_plan", "planned"))
        for request in self:
            activity = request.service_activity_id
            request.write({"service_state": "done", "service_activity_id": False})
            if activity.exists():
                activity.action_feedback(
                    feedback=self.env._("Service delivered."),
                )
        self._octowatch_send_template(
            "octowatch_channel.mail_template_channel_request_service_done"
        )
        return True

    def action_service_cancel(self):
        """The service won't take place: its activity is removed, the requester told."""
        self._octowatch_check_service_states(("to_plan", "planned"))
        for request in self:
            activity = request.service_activity_id
            request.write({"service_state": "cancelled", "service_activity_id": False})
            if activity.exists():
                activity.unlink()
        self._octowatch_send_template(
            "octowatch_channel.mail_template_channel_request_service_cancelled"
        )
        return True

    def _octowatch_check_service_states(self, states):
        labels = dict(self._fields["service_state"].selection)
        for request in self:
            if request.request_type != "service" or request.service_state not in states:
                raise UserError(
                    self.env._(
                        "%(request)s: only a service request %(states)s can do this "
                        "(its service is %(state)s).",
                        request=request.name,
                        states=" / ".join(labels[state] for state in states),
                        state=labels.get(request.service_state)
                        or self.env._("not a service"),
                    )
                )

    def _octowatch_plan_service(self, date, user, note=None):
        """Plan the service on ``date`` (datetime) with ``user`` responsible.

        A request not yet confirmed is confirmed first (with its checks). The
        responsible's activity gets the date as deadline (created or moved), and the
        requester is emailed the date.
        """
        self.ensure_one()
        if self.request_type != "service":
            raise UserError(
                self.env._(
                    "%(request)s is not a service request: only services are planned.",
                    request=self.name,
                )
            )
        if self.state in ("new", "needs_review"):
            self.action_confirm()
        self._octowatch_check_service_states(("to_plan", "planned"))
        if not user or user.share:
            raise UserError(
                self.env._("The Responsible of a service must be a Kolibri employee.")
            )
        self.write(
            {"service_date": date, "user_id": user.id, "service_state": "planned"}
        )
        client = self.end_customer_id or self.requester_id.commercial_partner_id
        deadline = fields.Datetime.context_timestamp(
            self.with_context(tz=user.tz or self.env.user.tz or "UTC"), date
        ).date()
        summary = self.env._(
            "%(service)s for %(client)s",
            service=self._octowatch_service_kind_label(),
            client=client.display_name,
        )
        activity_vals = {
            "summary": summary,
            "date_deadline": deadline,
            "user_id": user.id,
        }
        if note:
            activity_vals["note"] = Markup("<p>%s</p>") % note
        activity = self.service_activity_id
        if activity.exists():
            activity.write(activity_vals)
        else:
            self.service_activity_id = self.activity_schedule(
                "mail.mail_activity_data_todo", **activity_vals
            )
        self._octowatch_send_template(
            "octowatch_channel.mail_template_channel_request_service_planned"
        )
        return True

    def _octowatch_service_kind_label(self):
        """The service kind in the current language: the reader's when a template
        renders it, the user's in an activity or on the portal."""
        self.ensure_one()
        kinds = dict(self._fields["service_kind"]._description_selection(self.env))
        return kinds.get(self.service_kind, "")
