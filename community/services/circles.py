"""Study circles: creating, joining (at once or by the leader's acceptance), meetings, posts and files.

A circle's leader may be a teacher, a community worker or a resident; a resident leader holds no staff role
and signs in without a second factor. Leaders moderate their circle's posts and files."""

import datetime

from bianxue.accounts.selectors import institutions_for_user
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Circle,
    CircleFile,
    CircleMeeting,
    CircleMembership,
    CirclePost,
    CircleTopic,
    LeaderKind,
    MembershipStatus,
)
from ..selectors.circles import circle_is_leader, circle_is_member
from ..selectors.moderation import sensitive_word_found
from .errors import PostingRefused
from .moderation import content_screen, posting_check

FILE_MAX_BYTES = 10 * 1024 * 1024
FILE_MAGIC = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def circle_member_required(*, user, circle: Circle) -> None:
    if not circle_is_member(user=user, circle=circle):
        raise PostingRefused(_("加入学习圈后才能发言。"), code="member")


def _leader_required(*, user, circle: Circle) -> None:
    if not circle_is_leader(user=user, circle=circle):
        raise PermissionDenied(_("只有圈主可以这样做。"))


@transaction.atomic
def circle_create(*, user, name: str, topic: str, district_code: str, description: str = "", place: str = "",
                  open_join: bool = True) -> Circle:
    """A member who may post starts a circle and leads it. A teacher leads as a teacher; anyone else as a
    resident (the bureau may record a community worker in the CMS)."""
    posting_check(user=user)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写学习圈名称。")})
    if topic not in CircleTopic.values:
        raise ValidationError({"topic": _("请选择主题。")})
    if sensitive_word_found(text=f"{name}\n{description}"):
        raise ValidationError(_("名称或简介含有不允许的内容，请修改。"))
    from bianxue.institutions.models import District

    if not District.objects.filter(pk=district_code).exists():
        raise ValidationError({"district": _("请选择县区。")})
    kind = LeaderKind.TEACHER if institutions_for_user(user=user, roles=["teacher"]).exists() else LeaderKind.RESIDENT
    circle = Circle.objects.create(name=name[:60], topic=topic, district_id=district_code,
                                   description=(description or "").strip()[:2000], place=(place or "").strip()[:120],
                                   open_join=open_join, leader=user, leader_kind=kind, member_count=1)
    CircleMembership.objects.create(circle=circle, user=user, status=MembershipStatus.ACTIVE, is_leader=True,
                                    decided_by=user, decided_at=timezone.now())
    return circle


@transaction.atomic
def circle_join(*, user, circle: Circle, message: str = "") -> CircleMembership:
    """Join a public circle at once; ask to join one by request (the leader decides). Idempotent."""
    if not user or not user.is_authenticated:
        raise PostingRefused(_("请先登录。"), code="login")
    if circle.closed_at:
        raise ValidationError(_("这个学习圈已关闭。"))
    membership = CircleMembership.objects.select_for_update().filter(circle=circle, user=user).first()
    if membership and membership.status in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        return membership
    status = MembershipStatus.ACTIVE if circle.open_join else MembershipStatus.PENDING
    if membership is None:
        membership = CircleMembership(circle=circle, user=user)
    membership.status, membership.message = status, (message or "").strip()[:200]
    membership.decided_by = membership.decided_at = None
    membership.save()
    if status == MembershipStatus.ACTIVE:
        Circle.objects.filter(pk=circle.pk).update(member_count=F("member_count") + 1)
    return membership


@transaction.atomic
def circle_request_decide(*, user, membership: CircleMembership, accept: bool) -> CircleMembership:
    """The leader accepts or declines a request to join."""
    circle = membership.circle
    _leader_required(user=user, circle=circle)
    if membership.status != MembershipStatus.PENDING:
        raise ValidationError(_("这个申请已经处理过了。"))
    membership.status = MembershipStatus.ACTIVE if accept else MembershipStatus.DECLINED
    membership.decided_by, membership.decided_at = user, timezone.now()
    membership.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        Circle.objects.filter(pk=circle.pk).update(member_count=F("member_count") + 1)
    return membership


@transaction.atomic
def circle_leave(*, user, circle: Circle) -> None:
    """A member leaves (the leader cannot leave their own circle)."""
    membership = CircleMembership.objects.filter(circle=circle, user=user, status=MembershipStatus.ACTIVE).first()
    if membership is None:
        return
    if membership.is_leader:
        raise ValidationError(_("圈主不能退出自己的学习圈。"))
    membership.status = MembershipStatus.LEFT
    membership.save(update_fields=["status"])
    Circle.objects.filter(pk=circle.pk, member_count__gt=0).update(member_count=F("member_count") - 1)


def circle_meeting_create(*, user, circle: Circle, title: str, starts_at: datetime.datetime,
                          minutes: int = 90, place: str = "", session_id: int | None = None) -> CircleMeeting:
    """The leader schedules a meeting, in the future; optionally one of the offline sessions of a course the
    leader teaches (its time and venue are taken from the session)."""
    _leader_required(user=user, circle=circle)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写主题。")})
    if session_id:
        from courses.selectors import staff_sessions

        session = next((s for s in staff_sessions(user=user, limit=200) if s.pk == session_id), None)
        if session is None:
            raise ValidationError({"session": _("只能关联您所在机构的线下课次。")})
        starts_at, ends_at, place = session.starts_at, session.ends_at, place or session.venue
    else:
        if starts_at is None:
            raise ValidationError({"starts_at": _("请填写开始时间。")})
        ends_at = starts_at + datetime.timedelta(minutes=max(15, min(minutes or 90, 600)))
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("活动时间不能早于现在。")})
    return CircleMeeting.objects.create(circle=circle, title=title[:120], starts_at=starts_at, ends_at=ends_at,
                                        place=(place or circle.place)[:120], session_id=session_id or None,
                                        created_by=user)


def circle_meeting_cancel(*, user, meeting: CircleMeeting) -> CircleMeeting:
    _leader_required(user=user, circle=meeting.circle)
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at"])
    return meeting


@transaction.atomic
def circle_post_create(*, user, circle: Circle, body: str) -> CirclePost:
    """A member posts in their circle, through the posting rules (a held post waits for review)."""
    posting_check(user=user)
    circle_member_required(user=user, circle=circle)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("请填写内容。")})
    post = CirclePost(circle=circle, author=user, body=body[:5000])
    post.screening_apply(content_screen(author=user, text=body))
    post.save()
    return post


def circle_file_check(*, upload) -> tuple[str, str]:
    """PDF, JPEG or PNG by their first bytes (not by name or declared type), at most 10 MB."""
    if upload.size > FILE_MAX_BYTES:
        raise ValidationError({"file": _("文件不能超过 10 MB。")})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, mime, ext in FILE_MAGIC:
        if head.startswith(magic):
            return mime, ext
    raise ValidationError({"file": _("只能分享 PDF、JPEG 或 PNG 文件。")})


@transaction.atomic
def circle_file_share(*, user, circle: Circle, title: str, upload) -> CircleFile:
    """A member shares a file with the circle: checked by content, stored privately, screened like a post."""
    posting_check(user=user)
    circle_member_required(user=user, circle=circle)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写文件说明。")})
    mime, ext = circle_file_check(upload=upload)
    shared = CircleFile(circle=circle, author=user, title=title[:120], content_type=mime, size=upload.size,
                        filename=f"{title[:60]}{ext}")
    shared.screening_apply(content_screen(author=user, text=title))
    shared.file.save("upload", upload, save=False)
    shared.save()
    return shared
