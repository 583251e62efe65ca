"""Data for the home page blocks. Course data comes from the panels the courses app registers with the
platform core (``bianxue.registry.home_panel_register``), called with keyword arguments:

    courses       course_list_for_home(*, category=None, audience=None, limit=6) -> list[CoursePage]
    sessions      session_upcoming_for_home(*, district_code=None, limit=6) -> list[Session]
    next_lesson   enrolment_next_lesson_for_user(*, user) -> dict | None   # {"course", "enrolment", ...summary}

A panel nobody registered shows the block's empty state.
"""

from bianxue.institutions.models import District
from bianxue.people.selectors import learner_for_user
from bianxue.registry import home_panel_get
from bianxue.vocab import Category
from django import template
from django.utils.translation import gettext, gettext_noop

from ..models import NewsPage

register = template.Library()


def _panel(key: str, default, **kwargs):
    """The data of the panel registered under ``key``; ``default`` when no app registered it."""
    panel = home_panel_get(key=key)
    return default if panel is None else panel.provider(**kwargs)


@register.simple_tag
def home_courses(category: str = "", audience: str = "", limit: int = 6) -> list:
    return _panel("courses", [], category=category or None, audience=audience or None, limit=int(limit or 6))


@register.simple_tag(takes_context=True)
def home_district(context):
    """The district for "sessions near you": ?district=…, else the signed-in learner's district."""
    request = context.get("request")
    code = request.GET.get("district", "") if request is not None else ""
    if not code and request is not None and request.user.is_authenticated:
        learner = learner_for_user(user=request.user)
        code = learner.district_code if learner else ""
    return code if code.isdigit() and len(code) == 6 else ""


@register.simple_tag
def home_districts():
    return list(District.objects.order_by("code").values_list("code", "name"))


@register.simple_tag
def home_sessions(district_code: str = "", limit: int = 6) -> list:
    return _panel("sessions", [], district_code=district_code or None, limit=int(limit or 6))


@register.simple_tag(takes_context=True)
def home_next_lesson(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return _panel("next_lesson", None, user=request.user)


@register.simple_tag
def home_news(limit: int = 5):
    return list(NewsPage.objects.live().public().order_by("-date", "-pk").only("title", "date", "url_path", "summary")[: int(limit or 5)])


CATEGORY_HINTS = {
    "open_university": gettext_noop("学历继续教育"),
    "community": gettext_noop("社区里的好课"),
    "elderly": gettext_noop("老年大学与长辈课堂"),
    "smart_tech": gettext_noop("手机、支付、就医、出行"),
    "vocational": gettext_noop("技能提升与就业"),
    "x_certificate": gettext_noop("职业技能等级证书"),
    "continuing": gettext_noop("非学历培训"),
    "rural_labor": gettext_noop("农村劳动力转移"),
    "fitness_leader": gettext_noop("全民健身骨干"),
}


@register.filter
def category_label(code: str) -> str:
    try:
        return str(Category(code).label)
    except ValueError:
        return code


@register.filter
def category_hint(code: str) -> str:
    hint = CATEGORY_HINTS.get(code, "")
    return gettext(hint) if hint else ""
