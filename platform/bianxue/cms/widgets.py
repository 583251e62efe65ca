"""Wagtail's admin widgets started without inline ``<script>`` (the site's CSP refuses inline scripts).

Wagtail 8 still starts a chooser widget (page, snippet, image, document, task) with an inline
``<script>new SnippetChooser("id_provider", {...})</script>`` written by ``BaseChooser.render``, and the date
pickers and inline panels with inline scripts in their templates (wagtail/wagtail#12940). Inline scripts cannot
carry a nonce from a widget (it has no request), and adding a nonce to every inline script of a response would
trust injected ones too. So each initialiser becomes an inert element that names a whitelisted constructor or
function and its JSON arguments, in Wagtail's own ``data-controller`` pattern (as ``w-block`` of StreamField);
``static/bianxue_cms/admin-init.js`` registers the ``bx-init`` Stimulus controller that makes the call, also for
forms added later (inline panels, modals). The templates are overridden under ``templates/wagtailadmin/``.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The calls admin-init.js accepts (it refuses any other name): constructors (new X(...)) and functions.
CONSTRUCTORS = frozenset({"Chooser", "PageChooser", "SnippetChooser", "ImageChooser", "DocumentChooser",
                          "InlinePanel", "MultipleChooserPanel"})
FUNCTIONS = frozenset({"initDateChooser", "initTimeChooser", "initDateTimeChooser", "createTaskChooser"})


def init_element(*, call: str, args: list) -> str:
    """The inert element that ``bx-init`` turns into ``new call(...args)`` or ``call(...args)``."""
    kind = "construct" if call in CONSTRUCTORS else "call"
    if call not in CONSTRUCTORS | FUNCTIONS:
        raise ValueError(f"{call} is not an initialiser admin-init.js knows")
    return format_html(
        '<span hidden data-controller="bx-init" data-bx-init-{}-value="{}" data-bx-init-args-value="{}"></span>',
        kind, call, json.dumps(args),
    )


def _chooser_init(widget, id_: str, name: str, value_data) -> str | None:
    """The initialiser of a chooser as Wagtail's ``render_js_init`` would write it; None for one we don't know."""
    from wagtail.admin.widgets import BaseChooser
    from wagtail.admin.widgets.workflows import AdminTaskChooser

    render_js_init = type(widget).render_js_init
    if render_js_init is BaseChooser.render_js_init and widget.js_constructor in CONSTRUCTORS:
        return init_element(call=widget.js_constructor, args=[id_, widget.get_js_init_options(id_, name, value_data)])
    if render_js_init is AdminTaskChooser.render_js_init:
        return init_element(call="createTaskChooser", args=[id_])
    return None


def chooser_render_without_inline_script() -> None:
    """Replace ``BaseChooser.render`` (Wagtail 8.0) by one that writes the ``bx-init`` element instead of the
    inline script; a chooser whose initialiser we do not know keeps Wagtail's rendering (and the CSP test of
    the admin, tests/bianxue/cms/test_csp.py, names it)."""
    from wagtail.admin.widgets import BaseChooser

    wagtail_render = BaseChooser.render
    if getattr(wagtail_render, "bx_without_inline_script", False):
        return

    def render(self, name, value, attrs=None, renderer=None):
        try:
            id_ = attrs["id"]
        except (KeyError, TypeError) as e:
            raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
        value_data = self.get_value_data(value)
        init = _chooser_init(self, id_, name, value_data)
        if init is None:
            return wagtail_render(self, name, value, attrs=attrs, renderer=renderer)
        return mark_safe(self.render_html(name, value_data, attrs) + init)  # noqa: S308 (both parts escaped)

    render.bx_without_inline_script = True
    BaseChooser.render = render
