"""Community pages: what each person sees and may do, forms that write nothing on bad input, and query
counts that do not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Circle, CircleMembership, Reply, Thread
from community.services.boards import reply_create, thread_create
from community.services.circles import circle_create, circle_join
from tests.factories import DistrictFactory, member_trust, resident

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_entry_page_for_a_visitor_and_a_learner(client, course, learner):
    body = client.get("/community/").content.decode()
    assert "学习社区" in body and "查找学习圈" in body and 'data-slot="live-rooms"' in body
    client.force_login(learner)
    body = client.get("/community/").content.decode()
    assert f"/community/courses/{course.pk}/" in body


def test_the_course_page_links_to_its_board(client, course):
    body = client.get(course.url).content.decode()
    assert f'href="/community/courses/{course.pk}/"' in body and "课程讨论区" in body


def test_a_learner_posts_and_replies_through_the_pages(client, course, learner):
    client.force_login(learner)
    response = client.post(f"/community/courses/{course.pk}/new/", {"title": "怎么扫码？", "body": "扫码付款怎么用"})
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/community/threads/{thread.pk}/"
    client.post(f"/community/threads/{thread.pk}/reply/", {"body": "我来补充一下"})
    assert Reply.objects.filter(thread=thread).count() == 1
    page = client.get(f"/community/threads/{thread.pk}/").content.decode()
    assert "我来补充一下" in page and "标记为老师的解答" not in page


def test_bad_input_writes_nothing_and_says_why_in_english(client, course, learner):
    client.force_login(learner)
    response = client.post(f"/community/courses/{course.pk}/new/", {"title": "", "body": "x"},
                           HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert not Thread.objects.exists()
    assert "Please write something." in response.content.decode()


def test_a_resident_without_a_verified_mobile_is_told_how(client, course):
    from courses.services.enrolment import enrolment_create
    from tests.factories import UserFactory

    user = UserFactory()
    enrolment_create(user=user, course=course)
    client.force_login(user)
    body = client.get(f"/community/courses/{course.pk}/").content.decode()
    assert "发言前请先验证手机号。" in body and "/accounts/phone/change/" in body


def test_board_and_thread_queries_do_not_grow(client, course, learner, teacher):
    thread = thread_create(user=learner, course_id=course.pk, title="第一个", body="内容")
    reply_create(user=teacher, thread=thread, body="回复")
    client.force_login(learner)
    board_one = _queries(client, f"/community/courses/{course.pk}/")
    thread_one = _queries(client, f"/community/threads/{thread.pk}/")
    for n in range(5):
        thread_create(user=learner, course_id=course.pk, title=f"主题{n}", body="内容")
        reply_create(user=teacher, thread=thread, body=f"回复{n}")
    assert _queries(client, f"/community/courses/{course.pk}/") <= board_one
    assert _queries(client, f"/community/threads/{thread.pk}/") <= thread_one


def test_circle_pages_queries_do_not_grow_and_the_leader_accepts(client):
    district = DistrictFactory()
    leader = member_trust(resident())
    circle = circle_create(user=leader, name="读书会", topic="reading", district_code=district.pk, open_join=False)
    client.force_login(leader)
    list_one, page_one = _queries(client, "/community/circles/"), _queries(client, f"/community/circles/{circle.pk}/")
    for n in range(4):
        circle_create(user=member_trust(resident()), name=f"圈{n}", topic="reading", district_code=district.pk)
        circle_join(user=resident(), circle=circle)
    assert _queries(client, "/community/circles/") <= list_one
    assert _queries(client, f"/community/circles/{circle.pk}/") <= page_one
    request = CircleMembership.objects.filter(circle=circle, status="pending").first()
    client.post(f"/community/circles/requests/{request.pk}/", {"accept": "1"})
    assert Circle.objects.get(pk=circle.pk).member_count == 2
    when = timezone.localtime() + datetime.timedelta(days=2)
    client.post(f"/community/circles/{circle.pk}/meetings/", {"title": "第一次活动", "date": when.date().isoformat(),
                                                              "time": "09:30", "minutes": "60"})
    assert circle.meetings.count() == 1


def test_moderation_queue_for_moderators_only_and_hiding_through_the_page(client, course, learner, teacher):
    from bianxue.accounts.models import AuditEntry

    thread = thread_create(user=learner, course_id=course.pk, title="广告", body="内容")
    client.force_login(learner)
    assert client.get("/community/moderation/").status_code == 403
    client.force_login(teacher)
    assert _queries(client, "/community/moderation/") > 0
    client.post(f"/community/moderation/thread/{thread.pk}/hide/", {"reason": "广告"})
    thread.refresh_from_db()
    assert thread.status == "hidden" and AuditEntry.objects.filter(action="community.content.hide").exists()


def test_a_report_through_the_page_leaves_the_post_visible(client, course, learner):
    thread = thread_create(user=learner, course_id=course.pk, title="问题", body="内容")
    client.force_login(member_trust(resident()))
    client.post(f"/community/moderation/thread/{thread.pk}/report/", {"reason": "广告"})
    thread.refresh_from_db()
    assert thread.status == "visible"
    assert "问题" in client.get(f"/community/courses/{course.pk}/").content.decode()
