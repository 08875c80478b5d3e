# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The search box of the addon's portal lists, as Odoo's own portal pages have it."""

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
