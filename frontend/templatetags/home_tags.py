"""Data for the home page blocks. Course data comes from the courses app through its selectors
(``courses.selectors``), looked up at call time: if the app or a selector is missing, the block shows
an empty state instead of failing. Expected selectors (keyword-only):

    course_list_for_home(*, category=None, audience=None, limit=6) -> list[CoursePage]
    session_upcoming_for_home(*, district_code=None, limit=6) -> list[Session]
    enrolment_next_lesson_for_user(*, user) -> dict | None   # {"course", "enrolment", ...summary}
"""

import logging
from importlib import import_module

from django import template
from django.utils.translation import gettext_noop

register = template.Library()
log = logging.getLogger(__name__)


def _selector(name: str):
    try:
        return getattr(import_module("courses.selectors"), name)
    except (ImportError, AttributeError):
        return None


def _call(name: str, default, **kwargs):
    func = _selector(name)
    if func is None:
        return default, False
    try:
        return func(**kwargs), True
    except Exception:  # a broken block must not take the home page down
        log.exception("home block selector %s failed", name)
        return default, False


@register.simple_tag
def home_courses(category: str = "", audience: str = "", limit: int = 6):
    """{"items": [...], "available": bool}"""
    items, ok = _call("course_list_for_home", [], category=category or None, audience=audience or None,
                      limit=int(limit or 6))
    return {"items": items, "available": ok}


@register.simple_tag(takes_context=True)
def home_district(context):
    """The district for "sessions near you": ?district=…, else the signed-in learner's district."""
    request = context.get("request")
    code = request.GET.get("district", "") if request is not None else ""
    if not code and request is not None and request.user.is_authenticated:
        try:
            from bianxue.people.selectors import learner_for_user

            learner = learner_for_user(user=request.user)
            code = learner.district_code if learner else ""
        except (ImportError, AttributeError):
            code = ""
    return code if code.isdigit() and len(code) == 6 else ""


@register.simple_tag
def home_districts():
    from bianxue.institutions.models import District

    return list(District.objects.order_by("code").values_list("code", "name"))


@register.simple_tag
def home_sessions(district_code: str = "", limit: int = 6):
    items, ok = _call("session_upcoming_for_home", [], district_code=district_code or None, limit=int(limit or 6))
    return {"items": items, "available": ok}


@register.simple_tag(takes_context=True)
def home_next_lesson(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    item, _ok = _call("enrolment_next_lesson_for_user", None, user=request.user)
    return item


@register.simple_tag
def home_news(limit: int = 5):
    from frontend.models import NewsPage

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
    from bianxue.vocab import Category

    try:
        return str(Category(code).label)
    except ValueError:
        return code


@register.filter
def category_hint(code: str) -> str:
    from django.utils.translation import gettext

    hint = CATEGORY_HINTS.get(code, "")
    return gettext(hint) if hint else ""
