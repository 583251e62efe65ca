"""Course boards: who reads and posts, threads and replies, the teacher's answer, likes, following."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from community.models import Board, ModerationStatus, Thread, ThreadFollow
from community.selectors.boards import board_access, board_for_course, board_threads, thread_replies
from community.services.boards import (
    board_set_public_read,
    like_toggle,
    reply_create,
    reply_mark_answer,
    thread_create,
    thread_follow_set,
)
from community.services.errors import PostingRefused
from tests.factories import member_trust, resident

pytestmark = pytest.mark.django_db


def test_enrolled_learner_asks_and_the_teacher_answers(course, learner, teacher, django_capture_on_commit_callbacks):
    thread = thread_create(user=learner, course_id=course.pk, title="怎么调大字体？", body="字太小了")
    assert thread.status == ModerationStatus.VISIBLE
    assert Board.objects.get(course_id=course.pk).thread_count == 1
    assert ThreadFollow.objects.filter(user=learner, thread=thread).exists()
    with django_capture_on_commit_callbacks(execute=False):
        reply = reply_create(user=teacher, thread=thread, body="设置 → 显示 → 字体大小")
    assert reply.by_staff
    from bianxue.outbox.models import OutboxMessage

    message = OutboxMessage.objects.get(task="community.notify_thread_followers")
    assert message.kwargs["user_ids"] == [learner.pk]  # the follower, not the teacher who replied
    reply_mark_answer(user=teacher, reply=reply)
    thread.refresh_from_db()
    assert thread.answered and thread.reply_count == 1
    with pytest.raises(PermissionDenied):
        reply_mark_answer(user=learner, reply=reply)


def test_someone_not_enrolled_reads_when_the_board_allows_but_never_posts(course, learner, teacher):
    outsider = member_trust(resident())
    thread_create(user=learner, course_id=course.pk, title="问题", body="内容")
    board = board_for_course(course_id=course.pk)
    assert board_access(user=outsider, board=board) == {"read": True, "post": False, "staff": False}
    assert len(board_threads(user=outsider, board=board)) == 1
    with pytest.raises(PostingRefused) as exc:
        thread_create(user=outsider, course_id=course.pk, title="我也问", body="可以吗")
    assert exc.value.code == "member"
    board_set_public_read(user=teacher, course_id=course.pk, public_read=False)
    with pytest.raises(PermissionDenied):
        board_threads(user=outsider, board=board_for_course(course_id=course.pk))
    with pytest.raises(PermissionDenied):
        board_set_public_read(user=learner, course_id=course.pk, public_read=True)


def test_a_held_reply_is_seen_by_its_author_and_moderators_only(course, learner, teacher):
    thread = thread_create(user=learner, course_id=course.pk, title="问题", body="内容")
    other = resident()
    from courses.services.enrolment import enrolment_create

    enrolment_create(user=other, course=course)
    held = reply_create(user=other, thread=thread, body="新人的第一条回复")
    assert held.status == ModerationStatus.HELD
    thread.refresh_from_db()
    assert thread.reply_count == 0
    thread.access = board_access(user=learner, board=thread.board)
    assert thread_replies(user=learner, thread=thread) == []
    thread.access = board_access(user=other, board=thread.board)
    assert [r.pk for r in thread_replies(user=other, thread=thread)] == [held.pk]
    thread.access = board_access(user=teacher, board=thread.board)
    assert [r.pk for r in thread_replies(user=teacher, thread=thread)] == [held.pk]
    with pytest.raises(ValidationError):
        reply_mark_answer(user=teacher, reply=held)


def test_likes_toggle_once_per_person(course, learner, teacher):
    thread = thread_create(user=teacher, course_id=course.pk, title="欢迎提问", body="有问题在这里问")
    assert like_toggle(user=learner, thread=thread) is True
    thread.refresh_from_db()
    assert thread.like_count == 1
    assert like_toggle(user=learner, thread=thread) is False
    thread.refresh_from_db()
    assert thread.like_count == 0


def test_following_needs_read_access(course, learner, teacher):
    thread = thread_create(user=learner, course_id=course.pk, title="问题", body="内容")
    assert thread_follow_set(user=teacher, thread=thread, follow=True)
    thread_follow_set(user=learner, thread=thread, follow=False)
    assert list(ThreadFollow.objects.filter(thread=thread).values_list("user_id", flat=True)) == [teacher.pk]


def test_empty_posts_write_nothing(course, learner):
    with pytest.raises(ValidationError):
        thread_create(user=learner, course_id=course.pk, title=" ", body="内容")
    assert not Thread.objects.exists()


def test_followers_are_notified_once_of_a_reply_and_of_the_teachers_answer(course, learner, teacher):
    """The outbox task's work: the follower (not the replier) gets a notification in the bell, once even when the
    task runs twice; a reply hidden before the task ran notifies nobody."""
    from bianxue.notifications.models import Notification

    from community.services.moderation import content_hide
    from community.tasks import notify_thread_followers

    thread = thread_create(user=learner, course_id=course.pk, title="怎么调大字体？", body="字太小了")
    reply = reply_create(user=teacher, thread=thread, body="设置 → 显示 → 字体大小")
    args = {"kind": "community.reply", "thread_id": thread.pk, "reply_id": reply.pk, "user_ids": [learner.pk]}
    assert notify_thread_followers(**args) == 1
    assert notify_thread_followers(**args) == 0  # run twice: told once
    note = Notification.objects.get(user=learner)
    with translation.override("zh-hans"):
        assert (note.kind, note.display_title, note.url) == ("community.reply", "「怎么调大字体？」有新回复",
                                                             reply.get_absolute_url())
    with translation.override("en"):
        assert note.display_title == "New reply in “怎么调大字体？”"
    assert not Notification.objects.filter(user=teacher).exists()

    reply_mark_answer(user=teacher, reply=reply)
    assert notify_thread_followers(**{**args, "kind": "community.answer"}) == 1
    assert Notification.objects.filter(user=learner, kind="community.answer").count() == 1

    other = reply_create(user=teacher, thread=thread, body="补充：也可以用放大手势")
    content_hide(actor=teacher, target=other, reason="重复")
    assert notify_thread_followers(**{**args, "reply_id": other.pk}) == 0
