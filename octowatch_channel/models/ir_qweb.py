# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo import models

# The context key of the dict that holds one batch's compiled bodies.
COMPILED_CONTEXT_KEY = "octowatch_qweb_compiled"
# Read when the body is compiled, yet no key of Odoo's template cache: they
# change the generated code (comments kept, t-debug in dev mode).
EXTRA_COMPILE_KEYS = ("preserve_comments", "dev_mode")


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """Compile an inline template once for a batch of notices.

        ``mail.render.mixin._render_template_qweb`` renders a template's body
        record by record, each time from a fresh ``lxml`` element, which Odoo
        parses, generates and compiles again: a template stored as a view is
        compiled once, as its ``ormcache`` is keyed by the view's id and the
        context keys of ``_get_template_cache_keys``, but an inline body has no
        id. When the context holds a dict under ``octowatch_qweb_compiled``
        (``octowatch.notify.mixin`` sets one for a batch), the compiled body is
        kept in it, keyed by the element's source and the same context keys as
        Odoo's cache, so each body is compiled once for each of its languages.
        A dict that lives for one batch, rather than a global cache, can't grow
        with every body ever rendered and can't serve an edited template: its
        key is the source itself, and the batch ends before any edit.

        Any other template, or without the dict, is compiled as Odoo does.
        """
        compiled = self.env.context.get(COMPILED_CONTEXT_KEY)
        if not isinstance(compiled, dict) or not isinstance(template, etree._Element):
            return super()._compile(template)
        # The source before Odoo compiles it: compiling takes the directives
        # and ``t-name`` off the element.
        key = (
            etree.tostring(template),
            *(
                self.env.context.get(name) or False
                for name in (*self._get_template_cache_keys(), *EXTRA_COMPILE_KEYS)
            ),
        )
        if key not in compiled:
            compiled[key] = super()._compile(template)
        return compiled[key]
