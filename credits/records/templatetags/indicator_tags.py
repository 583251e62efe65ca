"""How the dashboard shows indicators: the name in the reader's language, units as words (with plurals), codes
as names, and percentages precise enough to be non-zero when they are. Display only: the values and their JSON
stay as ../shared/spec/indicators.md defines them."""

from decimal import ROUND_HALF_UP, Decimal

from bianxue.vocab import Category
from django import template
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _number(n) -> str:
    """Thousands grouped with commas in both languages (as the bureau's statistics print them)."""
    return f"{int(n):,}" if float(n).is_integer() else f"{n:,}"


def _units(unit: str, n) -> str | None:
    count = int(n) if float(n).is_integer() else 2
    formatted = _number(n)
    words = {
        "person-times": ngettext("%(n)s 人次", "%(n)s 人次", count),
        "learners": ngettext("%(n)s 人", "%(n)s 人", count),
        "courses": ngettext("%(n)s 门课程", "%(n)s 门课程", count),
        "accounts": ngettext("%(n)s 个账户", "%(n)s 个账户", count),
        "credits": ngettext("%(n)s 学分", "%(n)s 学分", count),
    }.get(unit)
    return words % {"n": formatted} if words else None


def precise_percent(value, numerator=None, denominator=None) -> str:
    """``12.3%``; below 1 %, two significant digits from the exact ratio (195 / 930,790 is 0.021%, not 0.0%)."""
    if numerator is not None and denominator:
        exact = Decimal(100) * Decimal(numerator) / Decimal(denominator)
    else:
        exact = Decimal(str(value))
    if exact == 0 or exact >= 1:
        shown = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    else:
        digits = -exact.adjusted() + 1  # two significant digits
        shown = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{shown:,}%"


@register.filter
def indicator_name(item) -> str:
    """The indicator's name in the reader's language (``zh``/``en`` of the card or of its Meta)."""
    get = item.get if isinstance(item, dict) else lambda key: getattr(item, key, "")
    return get("en") if translation.get_language() == "en" else get("zh")


@register.filter
def indicator_value(item) -> str:
    """A card's value with its unit in words: ``1,210 人次`` / ``1,210 person-times``, ``0.021%``."""
    value = item.get("value")
    if value is None:
        return _("无数据")
    if item.get("unit") == "%":
        return precise_percent(value, item.get("numerator"), item.get("denominator"))
    return _units(item.get("unit", ""), value) or _number(value)


@register.filter
def category_label(code: str) -> str:
    """A category code (``smart_tech``) as its name (智能技术应用)."""
    return str(dict(Category.choices).get(code, code))


@register.filter
def column_label(columns, index: int) -> str:
    """The heading of column ``index``: a drill-down cell's data-label (tables stack into cards on phones)."""
    return str(columns[index]) if 0 <= index < len(columns) else ""
