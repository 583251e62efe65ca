"""Study circles: the list (by district and topic, searchable), a circle, creating, joining, requests,
meetings, posts and shared files."""

import datetime

from bianxue.files import upload_refused_message
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import CircleMeeting, CircleMembership, CircleTopic
from ..selectors import circles as selectors
from ..services import circles as services
from .common import held_notice, run


def _districts():
    from bianxue.institutions.models import District

    return list(District.objects.order_by("code"))


def circle_list(request):
    district, topic, q = request.GET.get("district", ""), request.GET.get("topic", ""), request.GET.get("q", "")
    return render(request, "community/circle_list.html", {
        "circles": selectors.circle_list(district=district, topic=topic, q=q),
        "districts": _districts(), "topics": CircleTopic.choices, "district": district, "topic": topic, "q": q,
        "mine": list(selectors.circles_for_user(user=request.user)[:20]),
    })


@login_required
def circle_new(request):
    if request.method == "POST":
        post = request.POST
        circle, failed = run(request, lambda: services.circle_create(
            user=request.user, name=post.get("name", ""), topic=post.get("topic", ""),
            district_code=post.get("district", ""), description=post.get("description", ""),
            place=post.get("place", ""), open_join=post.get("open_join") == "1"),
            success=_("学习圈已创建。"), back="/community/circles/new/")
        return failed or redirect(circle.get_absolute_url())
    return render(request, "community/circle_new.html", {"districts": _districts(), "topics": CircleTopic.choices})


def circle(request, circle_id: int):
    circle = selectors.circle_get(circle_id=circle_id)
    context = selectors.circle_page(user=request.user, circle=circle)
    sessions = []
    if context["is_leader"]:
        from courses.selectors import staff_sessions

        now = timezone.now()
        sessions = [s for s in staff_sessions(user=request.user, limit=50) if s.starts_at > now and not s.cancelled_at]
    return render(request, "community/circle.html", {"circle": circle, "sessions": sessions, **context})


@login_required
@require_POST
def circle_join(request, circle_id: int):
    circle = selectors.circle_get(circle_id=circle_id)
    membership, failed = run(request, lambda: services.circle_join(user=request.user, circle=circle,
                                                                   message=request.POST.get("message", "")),
                             back=circle.get_absolute_url())
    if failed:
        return failed
    messages.success(request, _("已加入学习圈。") if membership.status == "active"
                     else _("已提交申请，圈主同意后即可加入。"))
    return redirect(circle.get_absolute_url())


@login_required
@require_POST
def circle_leave(request, circle_id: int):
    circle = selectors.circle_get(circle_id=circle_id)
    _r, failed = run(request, lambda: services.circle_leave(user=request.user, circle=circle),
                     success=_("已退出学习圈。"), back=circle.get_absolute_url())
    return failed or redirect(circle.get_absolute_url())


@login_required
@require_POST
def request_decide(request, membership_id: int):
    membership = get_object_or_404(CircleMembership.objects.select_related("circle"), pk=membership_id)
    accept = request.POST.get("accept") == "1"
    _r, failed = run(request, lambda: services.circle_request_decide(user=request.user, membership=membership,
                                                                     accept=accept),
                     success=_("已同意加入。") if accept else _("已谢绝申请。"),
                     back=membership.circle.get_absolute_url())
    return failed or redirect(membership.circle.get_absolute_url())


def _starts_at(post) -> datetime.datetime | None:
    try:
        day = datetime.date.fromisoformat(post.get("date", ""))
        time = datetime.time.fromisoformat(post.get("time", ""))
    except ValueError:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, time))


@login_required
@require_POST
def meeting_new(request, circle_id: int):
    circle = selectors.circle_get(circle_id=circle_id)
    post = request.POST
    session_id = int(post["session"]) if post.get("session", "").isdigit() else None
    minutes = int(post["minutes"]) if post.get("minutes", "").isdigit() else 90
    _m, failed = run(request, lambda: services.circle_meeting_create(
        user=request.user, circle=circle, title=post.get("title", ""), starts_at=_starts_at(post), minutes=minutes,
        place=post.get("place", ""), session_id=session_id), success=_("活动已安排。"), back=circle.get_absolute_url())
    return failed or redirect(circle.get_absolute_url())


@login_required
@require_POST
def meeting_cancel(request, meeting_id: int):
    meeting = get_object_or_404(CircleMeeting.objects.select_related("circle"), pk=meeting_id)
    _m, failed = run(request, lambda: services.circle_meeting_cancel(user=request.user, meeting=meeting),
                     success=_("活动已取消。"), back=meeting.circle.get_absolute_url())
    return failed or redirect(meeting.circle.get_absolute_url())


@login_required
@require_POST
def post_new(request, circle_id: int):
    circle = selectors.circle_get(circle_id=circle_id)
    post, failed = run(request, lambda: services.circle_post_create(user=request.user, circle=circle,
                                                                    body=request.POST.get("body", "")),
                       success=_("已发布。"), back=circle.get_absolute_url())
    if failed:
        return failed
    held_notice(request, post)
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def file_share(request, circle_id: int):
    circle = selectors.circle_get(circle_id=circle_id)
    if getattr(request, "upload_refused", None):  # stopped while streaming in (bianxue.files)
        messages.error(request, upload_refused_message(request.upload_refused))
        return redirect(circle.get_absolute_url())
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择文件。"))
        return redirect(circle.get_absolute_url())
    shared, failed = run(request, lambda: services.circle_file_share(user=request.user, circle=circle,
                                                                     title=request.POST.get("title", ""),
                                                                     upload=upload),
                         success=_("文件已分享。"), back=circle.get_absolute_url())
    if failed:
        return failed
    held_notice(request, shared)
    return redirect(shared.get_absolute_url())


@login_required
def file_download(request, file_id: int):
    shared = selectors.circle_file_get(user=request.user, file_id=file_id)
    response = FileResponse(shared.file.open("rb"), content_type=shared.content_type, as_attachment=True,
                            filename=f"circle-file-{shared.pk}{shared.filename[-4:]}")
    response["X-Content-Type-Options"] = "nosniff"
    return response
