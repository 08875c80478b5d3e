# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one-time link that confirms an email deal registration.

Anyone holding the link may open it (the agent may read its email on a phone where it
is not logged in): the token is the credential. GET shows what is confirmed, POST (with
the CSRF token of the page) confirms it; a used or expired link says so.
"""

from odoo import http
from odoo.http import request


class OctowatchMailConfirm(http.Controller):
    @http.route(
        "/channel-requests/confirm/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
    )
    def octowatch_mail_confirm(self, token, **post):
        Request = request.env["octowatch.channel.request"]
        channel_request, status = Request._octowatch_find_by_token(token)
        confirmed = False
        if request.httprequest.method == "POST" and status == "valid":
            # The token was checked above: it grants the confirmation of this one
            # request, done as the system user as the mail gateway does.
            root = request.env.ref("base.user_root")
            channel_request.with_user(root)._octowatch_confirm_sender()
            confirmed = True
        values = {
            "status": "confirmed" if confirmed else status,
            "token": token,
            # Shown only with a valid token: what the agent itself registered.
            "channel_request": channel_request if status == "valid" else None,
        }
        response = request.render(
            "octowatch_channel.portal_mail_confirm", values, status=200
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
