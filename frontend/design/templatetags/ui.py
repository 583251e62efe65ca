"""Design-system template tags: ``{% load ui %}``. Each renders a template in templates/components/.

    {% ui_field form.email %}                      label, control, help, inline errors in words
    {% ui_form form submit_label="保存" %}          a whole POST form (csrf, errors summary, fields, submit)
    {% ui_form_errors form %}                      the error summary alone
    {% ui_alert "success" "已保存。" title="" %}     info | success | warning | error; the label says it in words
    {% ui_empty "还没有课程" text="…" action_url="/learn/" action_label="去选课" %}
    {% ui_progress 3 10 label="学习进度" %}          <progress> with the numbers written out
    {% ui_pagination page_obj %}                   keeps the other query parameters
    {% ui_tabs tabs current %}                     tabs = [(url, label), …]; current = url of the active tab
    {% ui_qr data caption="签到二维码" %}             inline SVG QR code (no external service)
    {% ui_breadcrumbs crumbs %}                    crumbs = [(url, label), …]; last is the current page
    {% nav_current "/learn/" %}                    ' aria-current="page"' when the request path starts there
                                                   (a path or a lazy ``reverse_lazy`` URL)

Punctuation between a label and what it labels follows the reader's language (a Chinese template's "：" in an
English page is a slip the crawler reports):

    {% translate "来源" %}{% colon %}{{ source }}  "来源：…" / "Source: …"
    {{ name }}{{ code|aside }}                     "开封大学（KF-U）" / "开封大学 (KF-U)"
    {{ titles|enlist }}                            "甲、乙" / "甲, 乙"
    {% lparen %} {% rparen %} {% comma %} {% semicolon %} {% listsep %}   （ ） ， ； 、 / " (" ")" ", " "; " ", "
"""

from io import BytesIO

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from ..text_size import SCALES

register = template.Library()

ALERT_LABELS = {
    "info": gettext_noop("提示"),
    "success": gettext_noop("成功"),
    "warning": gettext_noop("注意"),
    "error": gettext_noop("错误"),
    "danger": gettext_noop("错误"),
    "debug": gettext_noop("提示"),
}


@register.simple_tag(takes_context=True)
def nav_current(context, prefix: str) -> str:
    request = context.get("request")
    if request is not None and request.path.startswith(str(prefix)):
        return mark_safe(' aria-current="page"')
    return ""


@register.inclusion_tag("components/text_size.html", takes_context=True)
def text_size_form(context):
    scale = context.get("text_scale", 100)
    index = SCALES.index(scale) if scale in SCALES else 0
    request = context.get("request")
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "switch_urls": context.get("switch_urls", {}),
        "scale": scale,
        "smaller": SCALES[index - 1] if index > 0 else None,
        "larger": SCALES[index + 1] if index + 1 < len(SCALES) else None,
    }


@register.inclusion_tag("components/alert.html")
def ui_alert(level, text, title: str = ""):
    level = str(level or "info").split()[-1]
    level = level if level in ALERT_LABELS else "info"
    return {"level": level, "label": _(ALERT_LABELS[level]), "text": text, "title": title,
            "role": "alert" if level in {"error", "danger"} else "status"}


@register.inclusion_tag("components/form_field.html")
def ui_field(field, label: str = "", hide_label: bool = False):
    return {"field": field, "label": label or field.label, "hide_label": hide_label,
            "is_check": field.widget_type == "checkbox"}


@register.inclusion_tag("components/form_errors.html")
def ui_form_errors(form):
    return {"form": form}


@register.inclusion_tag("components/form.html", takes_context=True)
def ui_form(context, form, submit_label: str = "", action: str = "", method: str = "post", multipart: bool = False):
    return {"form": form, "submit_label": submit_label or _("提交"), "action": action, "method": method,
            "multipart": multipart or form.is_multipart(), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("components/empty.html")
def ui_empty(title, text: str = "", action_url: str = "", action_label: str = ""):
    return {"title": title, "text": text, "action_url": action_url, "action_label": action_label}


@register.inclusion_tag("components/progress.html")
def ui_progress(value, maximum=100, label: str = ""):
    try:
        value_f, max_f = float(value or 0), float(maximum or 0)
    except (TypeError, ValueError):
        value_f, max_f = 0.0, 0.0
    percent = round(100 * value_f / max_f) if max_f > 0 else 0
    return {"value": value, "maximum": maximum, "percent": max(0, min(100, percent)), "label": label or _("进度")}


@register.inclusion_tag("components/pagination.html", takes_context=True)
def ui_pagination(context, page_obj, param: str = "page"):
    if page_obj is None or page_obj.paginator.num_pages <= 1:
        return {"show": False}
    number, last = page_obj.number, page_obj.paginator.num_pages
    pages = sorted({1, last, *range(max(1, number - 2), min(last, number + 2) + 1)})
    items, previous = [], None
    for p in pages:
        if previous is not None and p - previous > 1:
            items.append(None)  # gap
        items.append(p)
        previous = p
    request = context.get("request")
    query = request.GET.copy() if request is not None else None

    def url(p):
        if query is None:
            return f"?{param}={p}"
        q = query.copy()
        q[param] = p
        return f"?{q.urlencode()}"

    return {
        "show": True, "page_obj": page_obj,
        "items": [(p, url(p)) if p else None for p in items],
        "previous_url": url(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next_url": url(page_obj.next_page_number()) if page_obj.has_next() else "",
    }


@register.inclusion_tag("components/tabs.html")
def ui_tabs(tabs, current: str = "", label: str = ""):
    return {"tabs": tabs, "current": current, "label": label or _("选项卡")}


@register.inclusion_tag("components/breadcrumbs.html")
def ui_breadcrumbs(crumbs):
    crumbs = list(crumbs)
    return {"crumbs": crumbs[:-1], "current": crumbs[-1] if crumbs else None}


@register.simple_tag
def qr_svg(data: str, size: str = "14rem") -> str:
    """An inline SVG QR code for ``data`` (rendered on the server; no network service)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(str(data), image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg"):]
    return mark_safe(svg.replace("<svg ", format_html('<svg role="img" aria-hidden="true" focusable="false" style="width:{};height:{}" ', size, size), 1))


@register.inclusion_tag("components/qr.html")
def ui_qr(data, caption: str = "", show_text: bool = False):
    return {"data": data, "caption": caption, "show_text": show_text}


def _chinese() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


@register.simple_tag
def colon() -> str:
    """The colon after a label: full width in Chinese, ": " otherwise."""
    return "：" if _chinese() else ": "


_PUNCTUATION = {  # (Chinese, other languages)
    "lparen": ("（", " ("), "rparen": ("）", ")"), "comma": ("，", ", "), "semicolon": ("；", "; "),
    "listsep": ("、", ", "),
}


def _punctuation_tag(name: str):
    zh, other = _PUNCTUATION[name]
    register.simple_tag(lambda: zh if _chinese() else other, name=name)


for _name in _PUNCTUATION:
    _punctuation_tag(_name)


@register.filter
def aside(value) -> str:
    """``value`` in brackets after what it qualifies: （value） in Chinese, " (value)" otherwise ("" if empty)."""
    if value in (None, ""):
        return ""
    return f"（{value}）" if _chinese() else f" ({value})"


@register.filter
def enlist(values) -> str:
    """Items of a list as a sentence would list them: 、 in Chinese, ", " otherwise."""
    return ("、" if _chinese() else ", ").join(str(v) for v in values)
