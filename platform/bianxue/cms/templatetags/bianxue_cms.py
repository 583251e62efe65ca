"""``{% bx_init "initDateChooser" widget.attrs.id json=widget.config_json %}``: the inert element that starts a
Wagtail widget without an inline script (bianxue.cms.widgets)."""

import json as jsonlib

from django import template

from ..widgets import init_element

register = template.Library()


@register.simple_tag
def bx_init(call: str, *args, json: str | None = None):  # noqa: A002 (JSON text, as Wagtail's templates have it)
    values = list(args)
    if json is not None:
        values.append(jsonlib.loads(json))
    return init_element(call=call, args=values)
