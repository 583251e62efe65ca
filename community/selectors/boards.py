"""Reads of course boards: who may read and post (enrolled learners and the course's staff post; others read
when the board allows it), a board's threads, a thread with its replies. Queries constant in the data."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import Board, ModerationStatus, Reply, Thread, ThreadFollow, ThreadLike

PAGE_SIZE = 30


def course_get(*, course_id: int):
    """The live course of a board (through the courses app's reads)."""
    from courses.selectors import course_list

    course = course_list().filter(pk=course_id).select_related("provider").first()
    if course is None:
        raise Http404(_("没有这门课程。"))
    return course


def course_is_staff(*, user, course_id: int) -> bool:
    if not user or not user.is_authenticated:
        return False
    from courses.selectors import staff_courses_for_user

    return staff_courses_for_user(user=user).filter(pk=course_id).exists()


def course_is_enrolled(*, user, course_id: int) -> bool:
    if not user or not user.is_authenticated:
        return False
    from courses.selectors import enrolment_for_user

    enrolment = enrolment_for_user(user=user, course_id=course_id)
    return enrolment is not None and enrolment.status in ("enrolled", "completed")


def board_access(*, user, board: Board) -> dict:
    """What ``user`` may do on ``board``: ``read``, ``post`` (enrolled or staff), ``staff`` (mark answers,
    moderate, open the board to readers)."""
    staff = course_is_staff(user=user, course_id=board.course_id)
    post = staff or course_is_enrolled(user=user, course_id=board.course_id)
    return {"read": post or board.public_read, "post": post, "staff": staff}


def board_for_course(*, course_id: int) -> Board:
    """The course's board (an unsaved one while nobody has posted: reading creates nothing)."""
    return Board.objects.filter(course_id=course_id).first() or Board(course_id=course_id)


def _visible_to(user) -> Q:
    """Visible posts, and the viewer's own held or hidden ones (an author sees what happened to theirs)."""
    if user and user.is_authenticated:
        return Q(status=ModerationStatus.VISIBLE) | Q(author=user)
    return Q(status=ModerationStatus.VISIBLE)


def board_threads(*, user, board: Board, page: int = 1) -> list[Thread]:
    access = board_access(user=user, board=board)
    if not access["read"]:
        raise PermissionDenied(_("本课程的讨论区只对报名学员开放。"))
    if board.pk is None:
        return []
    start = (max(page, 1) - 1) * PAGE_SIZE
    return list(board.threads.filter(_visible_to(user)).select_related("author")
                .order_by("-last_activity_at")[start:start + PAGE_SIZE])


def thread_get(*, user, thread_id: int) -> Thread:
    thread = Thread.objects.select_related("board", "author").filter(pk=thread_id).first()
    if thread is None:
        raise Http404(_("没有这个讨论主题。"))
    access = board_access(user=user, board=thread.board)
    if not access["read"]:
        raise PermissionDenied(_("本课程的讨论区只对报名学员开放。"))
    if not thread.is_visible and not (access["staff"] or (user.is_authenticated and thread.author_id == user.pk)):
        raise Http404(_("没有这个讨论主题。"))
    thread.access = access
    return thread


def thread_replies(*, user, thread: Thread) -> list[Reply]:
    """The thread's replies in order, the teacher's answers first; each with ``liked`` for the viewer.
    Moderators see held and hidden ones too (marked), others see visible ones and their own."""
    rows = thread.replies.select_related("author")
    if not getattr(thread, "access", {}).get("staff"):
        rows = rows.filter(_visible_to(user))
    if user and user.is_authenticated:
        rows = rows.annotate(liked=Exists(ThreadLike.objects.filter(reply=OuterRef("pk"), user=user)))
    return list(rows.order_by("-teacher_answer", "created_at"))


def thread_viewer_state(*, user, thread: Thread) -> dict:
    if not user or not user.is_authenticated:
        return {"liked": False, "following": False}
    return {
        "liked": ThreadLike.objects.filter(thread=thread, reply__isnull=True, user=user).exists(),
        "following": ThreadFollow.objects.filter(thread=thread, user=user).exists(),
    }


def boards_for_user(*, user, limit: int = 12) -> list[dict]:
    """The boards of the user's courses (enrolled, or staff of): course, its board's counts."""
    if not user or not user.is_authenticated:
        return []
    from courses.selectors import courses_enrolled_for_user, staff_courses_for_user

    courses = list(courses_enrolled_for_user(user=user)[:limit])
    seen = {c.pk for c in courses}
    courses += [c for c in staff_courses_for_user(user=user).filter(live=True)[:limit] if c.pk not in seen]
    boards = Board.objects.in_bulk([c.pk for c in courses], field_name="course_id")
    return [{"course": c, "board": boards.get(c.pk)} for c in courses[:limit]]


def threads_recent_for_courses(*, course_ids, limit: int = 5) -> QuerySet:
    return (Thread.objects.filter(board__course_id__in=course_ids, status=ModerationStatus.VISIBLE)
            .select_related("board").order_by("-last_activity_at")[:limit])
