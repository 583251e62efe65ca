"""Reads for moderation: the bureau's policy and word list, who moderates what, and the moderation queue."""

import re
import unicodedata

from bianxue.accounts.selectors import institutions_for_user, user_is_bureau_admin
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from ..models import (
    Circle,
    CircleMembership,
    CommunityPolicy,
    MemberStanding,
    Moderated,
    ModerationStatus,
    Report,
    ReportStatus,
    SensitiveWord,
)

_NOISE = re.compile(r"[\W_]+")


def text_normalize(text: str) -> str:
    """Full-width to half-width, lower case, without spaces and punctuation: "赌 博" and "赌-博" are "赌博"."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "").lower())


def policy_get() -> CommunityPolicy:
    """The bureau's posting policy; the defaults while it has saved none."""
    return CommunityPolicy.objects.order_by("pk").first() or CommunityPolicy()


def sensitive_words_active() -> list[str]:
    return [w for w in SensitiveWord.objects.filter(active=True).values_list("word", flat=True)]


def sensitive_word_found(*, text: str) -> str:
    """The first listed (active) word the text contains, or ""."""
    normal = text_normalize(text)
    for word in sensitive_words_active():
        key = text_normalize(word)
        if key and key in normal:
            return word
    return ""


def user_is_staff(*, user) -> bool:
    """Bureau admins and holders of any staff role (accounts with a verified contact and a second factor)."""
    if not user or not user.is_authenticated:
        return False
    return user_is_bureau_admin(user=user) or institutions_for_user(user=user).exists()


def member_is_new(*, user, policy: CommunityPolicy | None = None) -> bool:
    """A member whose posts still go to review: fewer approved posts than the policy asks, and no staff role."""
    policy = policy or policy_get()
    if not policy.new_member_reviewed_posts or user_is_staff(user=user):
        return False
    approved = MemberStanding.objects.filter(user=user).values_list("approved_posts", flat=True).first() or 0
    return approved < policy.new_member_reviewed_posts


def moderated_models() -> list[type[Moderated]]:
    """Every concrete model with the moderation fields (boards, circles, live rooms...)."""
    return [m for m in apps.get_app_config("community").get_models() if issubclass(m, Moderated)]


def _led_circle_ids(user) -> QuerySet:
    return Circle.objects.filter(
        Q(leader=user) | Q(pk__in=CircleMembership.objects.filter(user=user, is_leader=True, status="active")
                           .values("circle_id"))
    ).values("pk")


def _staff_course_ids(user) -> QuerySet:
    from courses.selectors import staff_courses_for_user

    return staff_courses_for_user(user=user).order_by().values("pk")


def moderation_scope_q(*, user, model: type[Moderated]) -> Q | None:
    """The rows of ``model`` that ``user`` moderates: everything for the bureau, None for nobody."""
    if not user or not user.is_authenticated:
        return None
    if user_is_bureau_admin(user=user):
        return Q()
    return model.moderated_by_q(course_ids=_staff_course_ids(user), circle_ids=_led_circle_ids(user),
                                institution_ids=institutions_for_user(user=user).values("pk"))


def user_may_moderate(*, user, target: Moderated) -> bool:
    """Course staff for a course's content, circle leaders for their circle's, institution staff for
    their institution's, the bureau for all."""
    if not user or not user.is_authenticated:
        return False
    if user_is_bureau_admin(user=user):
        return True
    scope = target.moderation_scope()
    if scope.course_id and _staff_course_ids(user).filter(pk=scope.course_id).exists():
        return True
    if scope.circle_id and _led_circle_ids(user).filter(pk=scope.circle_id).exists():
        return True
    return bool(scope.institution_id and institutions_for_user(user=user).filter(pk=scope.institution_id).exists())


def user_is_moderator(*, user) -> bool:
    """Whether the moderation queue has anything to show this user (for the menu entry)."""
    if not user or not user.is_authenticated:
        return False
    return user_is_staff(user=user) or _led_circle_ids(user).exists()


def moderation_queue(*, user, limit: int = 100) -> dict:
    """What waits for this moderator: held posts, and open reports with the reported post, oldest first.

    Per moderated model: one query for held posts and one for the reports (queries constant in the data)."""
    held, reports = [], []
    for model in moderated_models():
        scope = moderation_scope_q(user=user, model=model)
        if scope is None:
            continue
        rows = model.objects.filter(scope)
        held += list(rows.filter(status=ModerationStatus.HELD).select_related("author").order_by("created_at")[:limit])
        ct = ContentType.objects.get_for_model(model)
        open_reports = list(Report.objects.filter(status=ReportStatus.OPEN, content_type=ct,
                                                  object_id__in=rows.values("pk"))
                            .select_related("reporter").order_by("created_at")[:limit])
        targets = rows.select_related("author").in_bulk([r.object_id for r in open_reports])
        for report in open_reports:
            report.target_row = targets.get(report.object_id)
            reports.append(report)
    held.sort(key=lambda row: row.created_at)
    reports.sort(key=lambda row: row.created_at)
    return {"held": held[:limit], "reports": reports[:limit]}
