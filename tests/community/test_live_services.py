"""Live Q&A rooms: who may open, ask, vote, answer and close; exactly-once storage; catch-up by revision;
moderation of questions; the asker is notified of an answer."""

import pytest
from bianxue.notifications.models import Notification
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from community.models import LiveMessage, LiveRoom, SensitiveWord
from community.selectors.live import live_room_access, live_room_changes, live_room_transcript
from community.services import live as services
from community.services.errors import PostingRefused
from tests.factories import InstitutionFactory, UserFactory, bureau_admin, resident, staff_user

pytestmark = pytest.mark.django_db


def test_only_the_course_staff_open_a_room(course, teacher, learner, outsider):
    other_teacher = staff_user(institution=InstitutionFactory())
    for user in (learner, outsider, other_teacher):
        with pytest.raises(PermissionDenied):
            services.live_room_open(user=user, course_id=course.pk, title="x")
    room = services.live_room_open(user=teacher, course_id=course.pk, title="第一课答疑")
    assert room.is_open and room.opened_by == teacher
    assert services.live_room_open(user=bureau_admin(), course_id=course.pk, title="局").course_id == course.pk


def test_enrolled_learners_ask_others_read_only(room, learner, outsider):
    message, created = services.live_question_ask(user=learner, room_id=room.pk, client_id="a1", text="怎么调大字体？")
    assert created and message.kind == LiveMessage.Kind.QUESTION and not message.held
    with pytest.raises(PermissionDenied):
        services.live_question_ask(user=outsider, room_id=room.pk, client_id="b1", text="我也想问")
    access = live_room_access(user=outsider, room_id=room.pk)
    assert not access.may_ask and [i["question"].text for i in live_room_transcript(access=access)] == ["怎么调大字体？"]
    anonymous = live_room_access(user=None, room_id=room.pk)
    assert not anonymous.may_ask and not anonymous.is_staff


def test_a_room_open_to_every_signed_in_resident(course, teacher, outsider):
    room = services.live_room_open(user=teacher, course_id=course.pk, title="公开答疑",
                                   askers=LiveRoom.Askers.SIGNED_IN)
    message, _ = services.live_question_ask(user=outsider, room_id=room.pk, client_id="c", text="社区里能学吗？")
    assert message.author == outsider


def test_posting_rules_apply_an_unverified_phone_is_refused(room, course):
    from tests.factories import course_learner

    learner = course_learner(course=course)
    learner.phone_verified = False
    learner.save()
    with pytest.raises(PostingRefused):
        services.live_question_ask(user=learner, room_id=room.pk, client_id="x", text="问题")
    assert not LiveMessage.objects.exists()


def test_the_same_client_id_stores_once(room, learner):
    first, created = services.live_question_ask(user=learner, room_id=room.pk, client_id="same", text="重复吗？")
    again, created_again = services.live_question_ask(user=learner, room_id=room.pk, client_id="same", text="重复吗？")
    assert created and not created_again and first.pk == again.pk
    assert LiveMessage.objects.count() == 1
    room.refresh_from_db()
    assert room.revision == 1  # a retry takes no revision either


def test_votes_count_once_per_user_and_not_ones_own(room, learner, course, outsider):
    from tests.factories import course_learner

    question, _ = services.live_question_ask(user=learner, room_id=room.pk, client_id="q", text="能视频通话吗？")
    other = course_learner(course=course)
    for _ in range(2):
        services.live_question_vote(user=other, room_id=room.pk, message_id=question.pk)
    services.live_question_vote(user=learner, room_id=room.pk, message_id=question.pk)
    question.refresh_from_db()
    assert question.votes == 1
    with pytest.raises(PermissionDenied):
        services.live_question_vote(user=outsider, room_id=room.pk, message_id=question.pk)


def test_only_staff_answer_and_the_asker_is_notified(room, teacher, learner):
    question, _ = services.live_question_ask(user=learner, room_id=room.pk, client_id="q", text="怎么连无线网？")
    with pytest.raises(PermissionDenied):
        services.live_answer_post(user=learner, room_id=room.pk, question_id=question.pk, client_id="a", text="我来答")
    answer, created = services.live_answer_post(user=teacher, room_id=room.pk, question_id=question.pk,
                                                client_id="a", text="打开设置，点无线局域网。")
    question.refresh_from_db()
    assert created and answer.question_id == question.pk and question.answered_at is not None
    note = Notification.objects.get(user=learner)
    assert note.kind == "community.live_answer" and note.url.endswith(f"#m{question.pk}")


def test_mark_answered_is_staff_only(room, teacher, learner):
    question, _ = services.live_question_ask(user=learner, room_id=room.pk, client_id="q", text="问题")
    with pytest.raises(PermissionDenied):
        services.live_question_mark_answered(user=learner, room_id=room.pk, message_id=question.pk)
    services.live_question_mark_answered(user=teacher, room_id=room.pk, message_id=question.pk)
    question.refresh_from_db()
    assert question.answered_at is not None


def test_catch_up_returns_each_change_after_a_revision_in_its_current_state(room, teacher, learner, course):
    from tests.factories import course_learner

    q1, _ = services.live_question_ask(user=learner, room_id=room.pk, client_id="1", text="第一个")
    seen = LiveRoom.objects.get(pk=room.pk).revision
    q2, _ = services.live_question_ask(user=learner, room_id=room.pk, client_id="2", text="第二个")
    services.live_question_vote(user=course_learner(course=course), room_id=room.pk, message_id=q1.pk)
    access = live_room_access(user=learner, room_id=room.pk)
    changes = live_room_changes(access=access, after=seen)
    assert [(c["id"], c["votes"]) for c in changes] == [(q2.pk, 0), (q1.pk, 1)]
    assert [c["rev"] for c in changes] == sorted(c["rev"] for c in changes)
    assert live_room_changes(access=access, after=changes[-1]["rev"]) == []
    assert "phone" not in str(changes) and learner.phone not in str(changes)


def test_a_listed_word_is_held_seen_by_its_author_and_the_staff_only(room, teacher, learner, outsider):
    SensitiveWord.objects.get_or_create(word="赌博")
    question, _ = services.live_question_ask(user=learner, room_id=room.pk, client_id="w", text="哪里有赌 博？")
    assert question.held
    assert [i["question"].pk for i in live_room_transcript(access=live_room_access(user=outsider, room_id=room.pk))] == []
    assert [i["question"].pk for i in live_room_transcript(access=live_room_access(user=learner, room_id=room.pk))] == [question.pk]
    staff_access = live_room_access(user=teacher, room_id=room.pk)
    assert [c["held"] for c in live_room_changes(access=staff_access)] == [True]
    assert live_room_changes(access=live_room_access(user=outsider, room_id=room.pk)) == []


def test_a_moderators_hide_takes_a_revision_and_is_audited(room, teacher, learner, outsider):
    from bianxue.accounts.models import AuditEntry

    from community.services.moderation import content_hide

    question, _ = services.live_question_ask(user=learner, room_id=room.pk, client_id="h", text="广告")
    before = LiveRoom.objects.get(pk=room.pk).revision
    with pytest.raises(PermissionDenied):
        content_hide(actor=outsider, target=question, reason="x")
    content_hide(actor=teacher, target=question, reason="广告")
    stub = live_room_changes(access=live_room_access(user=outsider, room_id=room.pk), after=before)
    assert stub == [{"type": "message", "id": question.pk, "rev": before + 1, "hidden": True, "kind": "question",
                     "question": None}]
    assert AuditEntry.objects.filter(action="community.content.hide", actor=teacher).exists()
    assert LiveMessage.objects.filter(pk=question.pk).exists()  # nothing deleted


def test_closing_stops_questions_and_keeps_the_transcript(room, teacher, learner):
    services.live_question_ask(user=learner, room_id=room.pk, client_id="1", text="还在吗？")
    with pytest.raises(PermissionDenied):
        services.live_room_close(user=learner, room_id=room.pk)
    services.live_room_close(user=teacher, room_id=room.pk)
    with pytest.raises(PermissionDenied):
        services.live_question_ask(user=learner, room_id=room.pk, client_id="2", text="晚了")
    access = live_room_access(user=UserFactory(), room_id=room.pk)
    assert [i["question"].text for i in live_room_transcript(access=access)] == ["还在吗？"]


def test_bad_input_stores_nothing(room, learner):
    for text in ("", "   ", "长" * 501):
        with pytest.raises(ValidationError):
            services.live_question_ask(user=learner, room_id=room.pk, client_id=f"t{len(text)}", text=text)
    with pytest.raises(Http404):
        services.live_question_ask(user=learner, room_id=room.pk + 999, client_id="z", text="有人吗")
    assert not LiveMessage.objects.exists()


def test_a_resident_without_enrolment_cannot_vote_in_an_enrolled_room(room, learner):
    question, _ = services.live_question_ask(user=learner, room_id=room.pk, client_id="q", text="问题")
    with pytest.raises(PermissionDenied):
        services.live_question_vote(user=resident(), room_id=room.pk, message_id=question.pk)
