"""Writes on course boards: threads, replies, the teacher's answer, likes, following; the board's readers.

Every post goes through the posting rules (``moderation.posting_check``/``content_screen``); followers hear
of replies through the outbox (after commit), never from inside the transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Board, ModerationStatus, Reply, Thread, ThreadFollow, ThreadLike
from ..selectors.boards import board_access, board_for_course, course_get
from .errors import PostingRefused
from .moderation import content_screen, posting_check


def _post_required(*, user, board: Board) -> dict:
    posting_check(user=user)
    access = board_access(user=user, board=board)
    if not access["post"]:
        raise PostingRefused(_("报名本课程后才能在讨论区发言。"), code="member")
    return access


def _board_ensure(*, course_id: int) -> Board:
    course_get(course_id=course_id)
    board = board_for_course(course_id=course_id)
    if board.pk is None:
        board, _created = Board.objects.get_or_create(course_id=course_id)
    return board


def _text(value: str, *, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("请填写内容。")})
    if len(value) > limit:
        raise ValidationError({field: _("内容太长了。")})
    return value


@transaction.atomic
def thread_create(*, user, course_id: int, title: str, body: str) -> Thread:
    """An enrolled learner or the course's staff asks a question or opens a topic; they follow it."""
    board = _board_ensure(course_id=course_id)
    _post_required(user=user, board=board)
    title, body = _text(title, field="title", limit=120), _text(body, field="body", limit=5000)
    thread = Thread(board=board, author=user, title=title, body=body)
    thread.screening_apply(content_screen(author=user, text=f"{title}\n{body}"))
    thread.save()
    ThreadFollow.objects.get_or_create(user=user, thread=thread)
    if thread.is_visible:
        Board.objects.filter(pk=board.pk).update(thread_count=F("thread_count") + 1,
                                                 last_activity_at=thread.created_at)
    return thread


@transaction.atomic
def reply_create(*, user, thread: Thread, body: str) -> Reply:
    """A reply; the course's staff's replies are marked as theirs. Followers are told after commit."""
    access = _post_required(user=user, board=thread.board)
    if not thread.is_visible:
        raise ValidationError(_("这个主题暂不能回复。"))
    body = _text(body, field="body", limit=5000)
    reply = Reply(thread=thread, author=user, body=body, by_staff=access["staff"])
    reply.screening_apply(content_screen(author=user, text=body))
    reply.save()
    ThreadFollow.objects.get_or_create(user=user, thread=thread)
    if reply.is_visible:
        Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + 1, last_activity_at=reply.created_at)
        _followers_notify(thread=thread, reply=reply, kind="community.reply")
    return reply


def _followers_notify(*, thread: Thread, reply: Reply, kind: str) -> None:
    """Tell the thread's followers (not the author of the reply) through the outbox."""
    from bianxue.outbox.services import outbox_enqueue

    user_ids = list(ThreadFollow.objects.filter(thread=thread).exclude(user_id=reply.author_id)
                    .values_list("user_id", flat=True))
    if user_ids:
        outbox_enqueue(task="community.notify_thread_followers",
                       kwargs={"kind": kind, "thread_id": thread.pk, "reply_id": reply.pk, "user_ids": user_ids})


@transaction.atomic
def reply_mark_answer(*, user, reply: Reply, answer: bool = True) -> Reply:
    """The course's staff mark a visible reply as the teacher's answer (or unmark it)."""
    thread = reply.thread
    if not board_access(user=user, board=thread.board)["staff"]:
        raise PermissionDenied(_("只有本课程的老师可以标记解答。"))
    if reply.status != ModerationStatus.VISIBLE:
        raise ValidationError(_("这条回复暂不显示，不能标记为解答。"))
    reply.teacher_answer = answer
    reply.save(update_fields=["teacher_answer"])
    reply.moderation_changed()
    if answer:
        _followers_notify(thread=thread, reply=reply, kind="community.answer")
    return reply


def like_toggle(*, user, thread: Thread, reply: Reply | None = None) -> bool:
    """Like (or unlike) a visible thread or reply; readers who may post only. Answers whether it is liked now."""
    _post_required(user=user, board=thread.board)
    target = reply or thread
    if not target.is_visible:
        raise ValidationError(_("这条内容暂不显示。"))
    with transaction.atomic():
        existing = ThreadLike.objects.filter(user=user, thread=thread, reply=reply)
        model = Reply if reply else Thread
        if existing.exists():
            existing.delete()
            model.objects.filter(pk=target.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
            return False
        try:
            with transaction.atomic():
                ThreadLike.objects.create(user=user, thread=thread, reply=reply)
        except IntegrityError:  # a double click: already liked
            return True
        model.objects.filter(pk=target.pk).update(like_count=F("like_count") + 1)
        return True


def thread_follow_set(*, user, thread: Thread, follow: bool) -> bool:
    """Follow a thread (be told of replies and answers) or stop following it."""
    if not user or not user.is_authenticated:
        raise PostingRefused(_("请先登录。"), code="login")
    if not board_access(user=user, board=thread.board)["read"]:
        raise PermissionDenied(_("本课程的讨论区只对报名学员开放。"))
    if follow:
        ThreadFollow.objects.get_or_create(user=user, thread=thread)
    else:
        ThreadFollow.objects.filter(user=user, thread=thread).delete()
    return follow


def board_set_public_read(*, user, course_id: int, public_read: bool) -> Board:
    """The course's staff choose whether people not enrolled may read the board."""
    board = _board_ensure(course_id=course_id)
    if not board_access(user=user, board=board)["staff"]:
        raise PermissionDenied(_("只有本课程的工作人员可以设置讨论区。"))
    Board.objects.filter(pk=board.pk).update(public_read=public_read)
    board.public_read = public_read
    return board


def thread_touch(*, thread: Thread) -> None:
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=timezone.now())
