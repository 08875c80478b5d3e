# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The search box of the addon's portal lists and the previous/next arrows of its
record pages, as Odoo's own portal pages have them."""

from odoo.fields import Domain
from odoo.http import request


def searchbar_inputs(**inputs):
    """Portal search inputs from ``key=(label, field paths)``, "all" first.

    The "all" input searches every field the others search.
    """
    every = [path for _label, paths in inputs.values() for path in paths]
    result = {
        "all": {"input": "all", "label": request.env._("Search in All"), "paths": every}
    }
    for key, (label, paths) in inputs.items():
        result[key] = {"input": key, "label": label, "paths": paths}
    return result


def search_domain(model, inputs, search_in, search):
    """The domain that finds ``search`` in the fields of the chosen input.

    The text is matched as sudo, in a subquery: a line may name an invoice or a deal
    that the portal user can't read, and finding the line by that name must work.
    The caller searches ``model`` with this domain as the user, so the record rules
    still decide which records come back.
    """
    if not search:
        return Domain.TRUE
    paths = inputs.get(search_in, inputs["all"])["paths"]
    text = Domain.OR(Domain(path, "ilike", search) for path in paths)
    return Domain("id", "in", model.sudo()._search(text))


def remember_listing(session_key, records):
    """Keep the ids of the listed page in the session, as Odoo's portal lists do, for
    the previous and next arrows of the record pages."""
    request.session[session_key] = records.ids[:100]


def record_pager(session_key, record, url):
    """``prev_record`` and ``next_record`` for ``portal.record_pager``: the URLs of the
    records listed before and after ``record`` on the last page the user saw.

    ``url`` is the record page's URL with ``%s`` for the id. Unlike Odoo's
    ``get_records_pager`` it adds no access token: the user is logged in.
    """
    ids = request.session.get(session_key, [])
    if record.id not in ids:
        return {}
    index = ids.index(record.id)
    return {
        "prev_record": index > 0 and url % ids[index - 1],
        "next_record": index < len(ids) - 1 and url % ids[index + 1],
    }
