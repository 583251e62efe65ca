"""Click-only journeys from the home page (zh-CN, headless Chromium): a resident asks on their course's
board and replies; a circle leader (a resident, no second factor) starts a circle, a neighbour asks to join,
the leader accepts and schedules a meeting. Every page on the way has no CSP violation."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.browser_checks import CspCollector
from tests.courses.factories import create_course
from tests.factories import InstitutionFactory, member_trust, resident

pytestmark = pytest.mark.browser


def _course_with_learner():
    from courses.services import catalog_setup
    from courses.services.enrolment import enrolment_create

    sections = {s.category: s for s in catalog_setup()["sections"]}
    course = create_course(sections, provider=InstitutionFactory(type="elderly_university", name="开封老年大学"),
                           title="智能手机使用入门")
    learner = member_trust(resident(display_name="王秀兰"))
    enrolment_create(user=learner, course=course)
    return course, learner


def test_resident_asks_on_the_course_board_and_replies(page, login):
    from community.models import Reply, Thread

    course, learner = _course_with_learner()
    csp = CspCollector.attach(page)
    login(page, learner)
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="社区").click()
    page.get_by_role("link", name="智能手机使用入门 讨论区").click()
    page.get_by_label("标题").fill("微信视频没有声音怎么办？")
    page.get_by_label("内容").fill("和孙子视频时听不见声音。")
    page.get_by_role("button", name="发布").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="微信视频没有声音怎么办？").count() == 1
    page.get_by_label("回复内容").fill("我找到了：扬声器按钮没有打开。")
    page.get_by_role("button", name="发表回复").click()
    page.wait_for_load_state()
    assert page.get_by_text("我找到了：扬声器按钮没有打开。").count() == 1
    thread = Thread.objects.get(board__course_id=course.pk)
    assert thread.author == learner and thread.status == "visible"
    assert Reply.objects.filter(thread=thread, author=learner, status="visible").count() == 1
    assert not csp.violations(page), csp.violations(page)


def test_circle_leader_starts_a_circle_accepts_a_neighbour_and_schedules_a_meeting(new_page, login):
    from community.models import Circle, CircleMembership
    from tests.factories import DistrictFactory

    district = DistrictFactory(name="鼓楼区")
    leader = resident(display_name="张大爷")  # a resident: no staff role, no second factor
    neighbour = resident(display_name="刘阿姨")

    page = new_page()
    csp = CspCollector.attach(page)
    login(page, leader)
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="社区").click()
    page.get_by_role("link", name="创建学习圈").first.click()
    page.get_by_label("学习圈名称").fill("鼓楼区书法爱好者")
    page.get_by_label("主题").select_option(label="书画艺术")
    page.get_by_label("县区").select_option(value=district.pk)
    page.get_by_label("活动地点").fill("社区活动室")
    page.get_by_label("申请加入：圈主同意后才能加入").check()
    page.get_by_role("button", name="创建").click()
    page.wait_for_load_state()
    circle = Circle.objects.get(name="鼓楼区书法爱好者")
    assert circle.leader == leader and not circle.open_join
    assert not csp.violations(page), csp.violations(page)

    other = new_page()
    login(other, neighbour)
    other.goto("/")
    other.get_by_role("navigation", name="主导航").get_by_role("link", name="社区").click()
    other.get_by_role("link", name="查找学习圈").click()
    other.get_by_role("link", name="鼓楼区书法爱好者").click()
    other.get_by_label("给圈主留言（可不填）").fill("想学楷书")
    other.get_by_role("button", name="申请加入").click()
    other.wait_for_load_state()
    assert other.get_by_text("已提交申请，圈主同意后即可加入。").count() >= 1

    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="社区").click()
    page.get_by_role("link", name="鼓楼区书法爱好者").first.click()
    page.get_by_role("button", name="同意 刘阿姨 加入").click()
    page.wait_for_load_state()
    assert CircleMembership.objects.get(circle=circle, user=neighbour).status == "active"
    page.get_by_text("安排活动", exact=True).first.click()  # the <summary>: the form opens in place
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    page.get_by_role("textbox", name=re.compile("^主题")).fill("楷书第一课")
    page.get_by_label("日期").fill(day)
    page.get_by_label("开始时间").fill("09:30")
    page.get_by_role("button", name="安排活动").click()
    page.wait_for_load_state()
    assert page.get_by_text("楷书第一课").count() >= 1
    meeting = circle.meetings.get()
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "09:30"
    assert not csp.violations(page), csp.violations(page)
