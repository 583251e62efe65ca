"""Moderation: who may post, screening every post (the bureau's word list, new members' first posts),
hiding and restoring (audited, never deleting), and reports (which hide nothing by themselves).

    posting_check(user=user)                       # raises PostingRefused with the reason
    screening = content_screen(author=user, text=title + body)
    post.screening_apply(screening); post.save()
"""

import datetime
from dataclasses import dataclass

from bianxue.accounts.services import audit_record
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    HeldReason,
    MemberStanding,
    Moderated,
    ModerationStatus,
    PostingEvent,
    Report,
    ReportStatus,
)
from ..selectors.moderation import (
    member_is_new,
    policy_get,
    sensitive_word_found,
    user_is_staff,
    user_may_moderate,
)
from .errors import PostingRefused

RATE_WINDOW = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Screening:
    """The answer of ``content_screen``: ``held`` posts wait for a moderator; ``reason`` in the reader's
    language; ``code`` (a ``HeldReason``) and ``detail`` (the listed word) are stored on the post."""

    held: bool
    reason: str = ""
    code: str = ""
    detail: str = ""


def posting_check(*, user) -> None:
    """Raise ``PostingRefused`` unless ``user`` may post now: signed in; a verified mobile number (staff
    accounts are verified when given their role and sign in with a second factor); a real-name binding when the
    bureau's policy asks for one; under the per-user hourly limit."""
    if user is None or not user.is_authenticated:
        raise PostingRefused(_("请先登录再发言。"), code="login")
    policy = policy_get()
    if not user_is_staff(user=user):
        if not (user.phone and user.phone_verified):
            raise PostingRefused(_("发言前请先验证手机号。"), code="phone")
        if policy.require_id_binding:
            from bianxue.people.selectors import learner_for_user

            if learner_for_user(user=user) is None:
                raise PostingRefused(_("按教育局的规定，发言前须完成实名绑定。"), code="binding")
    since = timezone.now() - RATE_WINDOW
    if PostingEvent.objects.filter(user=user, created_at__gte=since).count() >= policy.posts_per_hour:
        raise PostingRefused(_("您发言太频繁了，请稍后再试。"), code="rate")


def content_screen(*, author, text: str) -> Screening:
    """Screen one post before it is saved, and count it for the rate limit: a post containing a word of the
    bureau's list is held (the word is kept for the moderator); so is a new member's post until moderators have
    approved enough of theirs (the policy's number)."""
    PostingEvent.objects.create(user=author)
    word = sensitive_word_found(text=text)
    if word:
        return Screening(held=True, reason=_("您的发言含有需要审核的内容，管理员审核后显示。"),
                         code=HeldReason.WORD, detail=word[:100])
    if member_is_new(user=author):
        return Screening(held=True, reason=_("新成员的前几条发言须经审核，管理员审核后显示。"),
                         code=HeldReason.NEW_MEMBER)
    return Screening(held=False)


def _require_moderator(*, actor, target: Moderated) -> None:
    if not user_may_moderate(user=actor, target=target):
        raise PermissionDenied(_("您不是这里的管理员。"))


def _status_changed(target: Moderated) -> None:
    hook = getattr(target, "moderation_changed", None)
    if hook is not None:
        hook()


@transaction.atomic
def content_hide(*, actor, target: Moderated, reason: str) -> Moderated:
    """A moderator hides a post (visible or held) with a reason, audited; its open reports are closed as acted
    on. The row stays: the author and moderators still see it with the reason."""
    _require_moderator(actor=actor, target=target)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写隐藏的原因。"))
    before = target.status
    target.status, target.hidden_by, target.hidden_reason, target.hidden_at = (
        ModerationStatus.HIDDEN, actor, reason[:200], timezone.now())
    target.save(update_fields=["status", "hidden_by", "hidden_reason", "hidden_at"])
    Report.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
                          status=ReportStatus.OPEN).update(status=ReportStatus.ACTED, decided_by=actor,
                                                            decided_at=timezone.now())
    audit_record(actor=actor, action="community.content.hide", obj=target, reason=reason,
                 data={"from": before, "author_id": target.author_id})
    _status_changed(target)
    return target


@transaction.atomic
def content_restore(*, actor, target: Moderated) -> Moderated:
    """A moderator shows a held post (approves it: the author's standing grows) or a hidden one again,
    audited. Nobody but the bureau approves their own post."""
    _require_moderator(actor=actor, target=target)
    from bianxue.accounts.selectors import user_is_bureau_admin

    if target.author_id == actor.pk and not user_is_bureau_admin(user=actor):
        raise PermissionDenied(_("不能审核自己的发言。"))
    before = target.status
    if before == ModerationStatus.VISIBLE:
        return target
    target.status, target.held_reason, target.held_detail = ModerationStatus.VISIBLE, "", ""
    target.hidden_by, target.hidden_reason, target.hidden_at = None, "", None
    target.save(update_fields=["status", "held_reason", "held_detail", "hidden_by", "hidden_reason", "hidden_at"])
    if before == ModerationStatus.HELD:
        standing, _created = MemberStanding.objects.get_or_create(user_id=target.author_id)
        MemberStanding.objects.filter(pk=standing.pk).update(approved_posts=F("approved_posts") + 1)
    action = "community.content.approve" if before == ModerationStatus.HELD else "community.content.restore"
    audit_record(actor=actor, action=action, obj=target, data={"from": before, "author_id": target.author_id})
    _status_changed(target)
    return target


def content_report(*, reporter, target: Moderated, reason: str) -> Report:
    """A member reports a post to its moderators. It hides nothing by itself; reporting twice is one report."""
    if reporter is None or not reporter.is_authenticated:
        raise PostingRefused(_("请先登录再举报。"), code="login")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请说明举报的理由。"))
    report, _created = Report.objects.get_or_create(
        reporter=reporter, content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
        defaults={"reason": reason[:200]})
    return report


@transaction.atomic
def report_dismiss(*, actor, report: Report) -> Report:
    """A moderator decides a report needs no action (the post stays as it is), audited."""
    target = report.target
    if target is None:
        raise ValidationError(_("被举报的内容不存在。"))
    _require_moderator(actor=actor, target=target)
    report.status, report.decided_by, report.decided_at = ReportStatus.DISMISSED, actor, timezone.now()
    report.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action="community.report.dismiss", obj=target, reason=report.reason,
                 data={"report_id": report.pk})
    return report
