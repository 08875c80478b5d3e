# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The search box of the addon's portal lists and the previous/next arrows of its
record pages, as Odoo's own portal pages have them."""

from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.channel_request_parser import CONTROL_CHARACTERS


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


class Searchbar:
    """What ``portal.portal_searchbar`` shows for one list, read from the URL.

    ``sortings`` maps a key to ``{"label", "order"}``, the first key being the
    default; ``filters`` maps a key to ``{"label", "domain"}`` with an "all" entry;
    ``inputs`` comes from :func:`searchbar_inputs`. Unknown keys in the URL fall back
    to the defaults.
    """

    def __init__(
        self, sortings, sortby, inputs, search_in, search, filters=None, filterby=None
    ):
        self.sortings = sortings
        self.sortby = sortby if sortby in sortings else next(iter(sortings))
        self.filters = filters or {}
        self.filterby = filterby if filterby in self.filters else "all"
        self.inputs = inputs
        self.search_in = search_in if search_in in inputs else "all"
        # A control character (a NUL byte) can't be searched for: it is never stored.
        self.search = CONTROL_CHARACTERS.sub("", search) if search else search

    @property
    def order(self):
        return self.sortings[self.sortby]["order"]

    def domain(self, model):
        """The chosen filter and the searched text, for ``model``."""
        domain = search_domain(model, self.inputs, self.search_in, self.search)
        if self.filters:
            domain = self.filters[self.filterby]["domain"] & domain
        return domain

    def url_args(self):
        """What the pager keeps in its links."""
        args = {
            "sortby": self.sortby,
            "search": self.search or "",
            "search_in": self.search_in,
        }
        if self.filters:
            args["filterby"] = self.filterby
        return args

    def page(self, model, url, page, step, domain=None, count=None):
        """``(records, pager)``: page ``page`` of the records of ``model`` in
        ``domain`` and the searchbar's filter and text, in the chosen order, and the
        pager whose links keep the searchbar's choices. ``count``, given the domain,
        counts the records for the pager (``model.search_count`` by default)."""
        domain = Domain(domain or Domain.TRUE) & self.domain(model)
        pager = portal_pager(
            url=url,
            url_args=self.url_args(),
            total=(count or model.search_count)(domain),
            page=page,
            step=step,
        )
        records = model.search(
            domain, order=self.order, limit=step, offset=pager["offset"]
        )
        return records, pager

    def values(self):
        """The rendering values of ``portal.portal_searchbar``."""
        values = {
            "searchbar_sortings": self.sortings,
            "sortby": self.sortby,
            "searchbar_inputs": self.inputs,
            "search_in": self.search_in,
            "search": self.search,
        }
        if self.filters:
            values["searchbar_filters"] = self.filters
            values["filterby"] = self.filterby
        return values


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
