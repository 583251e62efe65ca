"""Course boards: the board of a course, a thread, posting, replying, likes, following, marking answers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Reply
from ..selectors import boards as selectors
from ..services import boards as services
from ..services.errors import PostingRefused
from ..services.moderation import posting_check
from .common import held_notice, run


def _may_post_now(user) -> PostingRefused | None:
    """Why the viewer cannot post (None when they can), to show instead of the form."""
    try:
        posting_check(user=user)
    except PostingRefused as exc:
        return exc
    return None


def board(request, course_id: int):
    course = selectors.course_get(course_id=course_id)
    board = selectors.board_for_course(course_id=course_id)
    access = selectors.board_access(user=request.user, board=board)
    if not access["read"]:
        return render(request, "community/board_closed.html", {"course": course}, status=403)
    page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    threads = selectors.board_threads(user=request.user, board=board, page=page)
    return render(request, "community/board.html", {
        "course": course, "board": board, "access": access, "threads": threads, "page": page,
        "refusal": _may_post_now(request.user) if access["post"] else None,
        "has_next": len(threads) == selectors.PAGE_SIZE,
    })


@login_required
@require_POST
def thread_new(request, course_id: int):
    back = f"/community/courses/{course_id}/"
    thread, failed = run(request, lambda: services.thread_create(
        user=request.user, course_id=course_id, title=request.POST.get("title", ""),
        body=request.POST.get("body", "")), success=_("已发布。"), back=back)
    if failed:
        return failed
    held_notice(request, thread)
    return redirect(thread.get_absolute_url())


def thread(request, thread_id: int):
    thread = selectors.thread_get(user=request.user, thread_id=thread_id)
    return render(request, "community/thread.html", {
        "thread": thread, "board": thread.board, "access": thread.access,
        "course": selectors.course_get(course_id=thread.board.course_id),
        "replies": selectors.thread_replies(user=request.user, thread=thread),
        "viewer": selectors.thread_viewer_state(user=request.user, thread=thread),
        "refusal": _may_post_now(request.user) if thread.access["post"] else None,
    })


@login_required
@require_POST
def reply_new(request, thread_id: int):
    thread = selectors.thread_get(user=request.user, thread_id=thread_id)
    reply, failed = run(request, lambda: services.reply_create(user=request.user, thread=thread,
                                                               body=request.POST.get("body", "")),
                        success=_("已回复。"), back=thread.get_absolute_url())
    if failed:
        return failed
    held_notice(request, reply)
    return redirect(reply.get_absolute_url())


@login_required
@require_POST
def like(request, thread_id: int):
    thread = selectors.thread_get(user=request.user, thread_id=thread_id)
    reply = None
    if request.POST.get("reply"):
        reply = get_object_or_404(Reply, pk=request.POST["reply"], thread=thread)
    _liked, failed = run(request, lambda: services.like_toggle(user=request.user, thread=thread, reply=reply),
                         back=thread.get_absolute_url())
    return failed or redirect(reply.get_absolute_url() if reply else thread.get_absolute_url())


@login_required
@require_POST
def follow(request, thread_id: int):
    thread = selectors.thread_get(user=request.user, thread_id=thread_id)
    on = request.POST.get("on") == "1"
    _r, failed = run(request, lambda: services.thread_follow_set(user=request.user, thread=thread, follow=on),
                     success=_("已关注，有新回复时会通知您。") if on else _("已取消关注。"),
                     back=thread.get_absolute_url())
    return failed or redirect(thread.get_absolute_url())


@login_required
@require_POST
def answer(request, reply_id: int):
    reply = get_object_or_404(Reply.objects.select_related("thread__board"), pk=reply_id)
    on = request.POST.get("on") == "1"
    _r, failed = run(request, lambda: services.reply_mark_answer(user=request.user, reply=reply, answer=on),
                     success=_("已标记为老师的解答。") if on else _("已取消标记。"), back=reply.get_absolute_url())
    return failed or redirect(reply.get_absolute_url())


@login_required
@require_POST
def board_settings(request, course_id: int):
    on = request.POST.get("public_read") == "1"
    back = f"/community/courses/{course_id}/"
    _r, failed = run(request, lambda: services.board_set_public_read(user=request.user, course_id=course_id,
                                                                      public_read=on),
                     success=_("讨论区设置已保存。"), back=back)
    return failed or redirect(back)
