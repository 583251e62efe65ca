"""The live room without JavaScript: forms post, the page reloads and shows what was said; the course page links to
its rooms through the registry's page panels; staff open and close rooms from the site."""

import re

import pytest
from django.urls import reverse

from community.models import LiveMessage, LiveRoom

pytestmark = pytest.mark.django_db


def _client_id(html: str) -> str:
    return re.search(r'name="client_id" value="([0-9a-f]{32})"', html).group(1)


def test_a_learner_asks_by_form_and_sees_the_question_after_the_reload(client, room, learner):
    client.force_login(learner)
    page = client.get(reverse("community:live_room", args=[room.pk])).content.decode()
    assert 'aria-live="polite"' in page and "community/live.js" in page
    client_id = _client_id(page)
    for _ in range(2):  # posted twice (a double click, a resent form): stored once
        response = client.post(reverse("community:live_ask", args=[room.pk]), {"client_id": client_id,
                                                                                 "text": "视频通话怎么开？"})
        assert response.status_code == 302
    assert LiveMessage.objects.filter(text="视频通话怎么开？").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "视频通话怎么开？" in page and "李阿姨" in page


def test_the_teacher_answers_and_marks_by_form_and_the_learner_sees_it(client, room, teacher, learner):
    from community.services.live import live_question_ask

    question, _ = live_question_ask(user=learner, room_id=room.pk, client_id="q", text="字太小了怎么办？")
    client.force_login(teacher)
    page = client.get(reverse("community:live_room", args=[room.pk])).content.decode()
    assert "发送回答" in page and "结束直播答疑" in page
    client.post(reverse("community:live_answer", args=[room.pk, question.pk]),
                {"client_id": "a1", "text": "设置里调大字体。"})
    client.force_login(learner)
    page = client.get(reverse("community:live_room", args=[room.pk])).content.decode()
    assert "设置里调大字体。" in page and "已解答" in page and "发送回答" not in page


def test_an_outsider_reads_but_is_told_how_to_take_part(client, room, outsider):
    client.force_login(outsider)
    page = client.get(reverse("community:live_room", args=[room.pk])).content.decode()
    assert "报名本课程后才能提问" in page and 'name="text"' not in page
    response = client.post(reverse("community:live_ask", args=[room.pk]), {"client_id": "x", "text": "我能问吗"},
                           follow=True)
    assert "报名本课程后才能提问" in response.content.decode()
    assert not LiveMessage.objects.exists()


def test_anonymous_readers_see_the_room_and_a_sign_in_link(client, room):
    page = client.get(reverse("community:live_room", args=[room.pk])).content.decode()
    assert "登录后提问" in page


def test_the_page_in_english_is_english_only(client, room, learner):
    client.force_login(learner)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("community:live_room", args=[room.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ask" in page and "提问" not in page


def test_the_room_page_query_count_does_not_grow(client, room, learner, course, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from community.services.live import live_answer_post, live_question_ask

    client.force_login(learner)
    url = reverse("community:live_room", args=[room.pk])
    question, _ = live_question_ask(user=learner, room_id=room.pk, client_id="0", text="问题0")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(1, 8):
        question, _ = live_question_ask(user=learner, room_id=room.pk, client_id=str(i), text=f"问题{i}")
        live_answer_post(user=room.opened_by, room_id=room.pk, question_id=question.pk, client_id=f"a{i}",
                         text=f"回答{i}")
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_staff_open_a_room_from_the_course_page_and_close_it(client, course, teacher, learner):
    client.force_login(teacher)
    page = client.get(course.url).content.decode()
    open_url = reverse("community:live_open", args=[course.pk])
    assert open_url in page  # 一起学 → 开启直播答疑, through the registry's page links
    response = client.post(open_url, {"title": "周三答疑", "session": "", "askers": "enrolled"})
    room = LiveRoom.objects.get(title="周三答疑")
    assert response["Location"] == reverse("community:live_room", args=[room.pk])
    client.post(reverse("community:live_close", args=[room.pk]))
    room.refresh_from_db()
    assert not room.is_open
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    transcripts = reverse("community:live_list") + f"?course={course.pk}"
    assert transcripts in page and open_url not in page  # the transcript stays on the course
    assert reverse("community:live_room", args=[room.pk]) in client.get(transcripts).content.decode()
    assert client.get(open_url).status_code == 403


def test_community_page_and_list_link_open_rooms(client, room):
    for url in (reverse("community:index"), reverse("community:live_list")):
        assert reverse("community:live_room", args=[room.pk]) in client.get(url).content.decode()


def test_a_moderator_hides_with_a_reason_and_a_report_hides_nothing(client, room, teacher, learner, outsider):
    from community.services.live import live_question_ask

    question, _ = live_question_ask(user=learner, room_id=room.pk, client_id="q", text="可疑的内容")
    client.force_login(outsider)
    client.post(reverse("community:live_report", args=[room.pk, question.pk]), {"reason": "广告"})
    question.refresh_from_db()
    assert question.is_visible
    client.force_login(teacher)
    client.post(reverse("community:live_hide", args=[room.pk, question.pk]), {"reason": "广告"})
    question.refresh_from_db()
    assert question.hidden
    client.force_login(outsider)
    assert "可疑的内容" not in client.get(reverse("community:live_room", args=[room.pk])).content.decode()
