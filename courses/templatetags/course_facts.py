"""Template helpers of the course facts (``{% load course_facts %}``): amounts in yuan, lesson lengths measured from
the media, and a programme page's 1+X exam sittings."""

from decimal import Decimal

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def yuan(value) -> str:
    """¥800, ¥80.50: whole yuan without decimals, otherwise two."""
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    text = f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
    return f"¥{text}"


@register.filter
def media_length(seconds) -> str:
    """A measured length in words: "20 秒", "12 分钟", "1 小时 5 分钟" (minutes rounded to the nearest)."""
    if not seconds:
        return ""
    seconds = int(seconds)
    if seconds < 60:
        return ngettext("%(n)s 秒", "%(n)s 秒", seconds) % {"n": seconds}
    minutes = (seconds + 30) // 60
    if minutes < 60:
        return ngettext("%(n)s 分钟", "%(n)s 分钟", minutes) % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    text = ngettext("%(n)s 小时", "%(n)s 小时", hours) % {"n": hours}
    if minutes:
        text += " " + ngettext("%(n)s 分钟", "%(n)s 分钟", minutes) % {"n": minutes}
    return text


@register.simple_tag
def course_exam_sittings(certificate_id):
    """The upcoming sittings of a certificate (for the programme page; the course page has them in its context)."""
    from ..selectors import exam_sittings_for_certificate

    return exam_sittings_for_certificate(certificate_id=certificate_id)
