# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount


class OctowatchCommissionSettle(models.TransientModel):
    _name = "octowatch.commission.settle"
    _description = "Settle agent commissions into agent's reports and vendor bills"

    date_to = fields.Date(
        string="Paid Up To",
        required=True,
        default=fields.Date.context_today,
        help="Settle the commission of the payments made up to this date; it is also "
        "the date of the bills.",
    )
    agent_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Agents",
        domain="[('octowatch_role', '=', 'agent'), ('parent_id', '=', False)]",
        help="Leave empty to settle every agent.",
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.depends("date_to", "agent_ids")
    def _compute_preview(self):
        for wizard in self:
            groups = wizard._lines_to_settle().grouped(
                lambda line: (line.agent_id, line.company_id, line.currency_id)
            )
            if not groups:
                wizard.preview = Markup("<p>%s</p>") % self.env._(
                    "Nothing to settle up to this date."
                )
                continue
            rows = Markup()
            for (agent, company, currency), lines in sorted(
                groups.items(), key=lambda item: item[0][0].name
            ):
                total = sum(lines.mapped("amount"))
                kind = (
                    self.env._("Report and draft vendor bill")
                    if total > 0
                    else self.env._("Report and draft vendor refund")
                    if total < 0
                    else self.env._("Report only (lines cancel out)")
                )
                rows += Markup(
                    "<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>%s</td><td>%s</td></tr>"
                ) % (
                    agent.name,
                    company.name,
                    len(lines),
                    format_amount(self.env, total, currency),
                    kind,
                )
            wizard.preview = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th>"
                "<th class='text-end'>%s</th><th class='text-end'>%s</th><th>%s</th>"
                "</tr></thead><tbody>%s</tbody></table>"
            ) % (
                self.env._("Agent"),
                self.env._("Company"),
                self.env._("Lines"),
                self.env._("Total"),
                self.env._("Creates"),
                rows,
            )

    def _lines_to_settle(self):
        self.ensure_one()
        domain = [
            ("state", "=", "to_settle"),
            ("payment_date", "<=", self.date_to),
            ("company_id", "in", self.env.companies.ids),
        ]
        if self.agent_ids:
            domain.append(("agent_id", "in", self.agent_ids.ids))
        return self.env["octowatch.commission.line"].search(domain)

    def action_settle(self):
        self.ensure_one()
        lines = self._lines_to_settle()
        if not lines:
            raise UserError(
                self.env._("There is no commission to settle up to this date.")
            )
        reports = lines._settle(self.date_to)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "octowatch_channel.action_octowatch_agent_report"
        )
        action["domain"] = [("id", "in", reports.ids)]
        action["context"] = {}
        return action
