"""Every community page in elder mode on a phone (390 × 844): axe finds no serious or critical WCAG 2.1 AA
violation, every link, button and field is a 60 px target, the page's task is on the first screen; no CSP
violation and no label mixing the languages. Headless Chromium, zh-CN."""

import pytest

from tests.browser_checks import CspCollector, mixed_labels
from tests.browser_harness import format_violations, off_first_screen, small_targets

pytestmark = pytest.mark.browser

PHONE = (390, 844)


def _data():
    from community.services.boards import reply_create, thread_create
    from community.services.circles import circle_create, circle_join, circle_post_create
    from community.services.moderation import content_report
    from courses.services import catalog_setup
    from courses.services.enrolment import enrolment_create
    from tests.courses.factories import create_course
    from tests.factories import DistrictFactory, InstitutionFactory, member_trust, resident, staff_user

    sections = {s.category: s for s in catalog_setup()["sections"]}
    course = create_course(sections, provider=InstitutionFactory(type="elderly_university"), title="智能手机使用入门")
    teacher = staff_user(institution=course.provider)
    learner = member_trust(resident(display_name="王秀兰", elder_mode=True))
    enrolment_create(user=learner, course=course)
    thread = thread_create(user=learner, course_id=course.pk, title="怎么调大字体？", body="字太小了。")
    reply_create(user=teacher, thread=thread, body="设置 → 显示 → 字体大小。")
    leader = member_trust(resident(display_name="张大爷", elder_mode=True))
    circle = circle_create(user=leader, name="手机互助圈", topic="smart_tech", district_code=DistrictFactory().pk,
                           open_join=False)
    circle_join(user=learner, circle=circle)
    post = circle_post_create(user=leader, circle=circle, body="每周二上午活动。")
    content_report(reporter=learner, target=post, reason="测试举报")
    return {"course": course, "thread": thread, "circle": circle, "learner": learner, "leader": leader}


def _check(page, url: str, task: str | None) -> list[str]:
    page.goto(url)
    problems = []
    if task and off_first_screen(page, [task]):
        problems.append(f"{url}: task {task} not on the first screen")
    if small := small_targets(page, 60):
        problems.append(f"{url}: small targets {small}")
    if mixed := mixed_labels(page):
        problems.append(f"{url}: mixed labels {mixed}")
    return problems


def test_community_pages_hold_elder_mode_and_axe(new_page, login, axe_check):
    data = _data()
    problems = []
    for user, pages in [
        (data["learner"], [("/community/", "#h-boards"),
                           (f"/community/courses/{data['course'].pk}/", "#id_title"),
                           (f"/community/threads/{data['thread'].pk}/", "h1"),
                           ("/community/circles/", "[data-community-action]"),
                           (f"/community/circles/{data['circle'].pk}/", "#h-join"),
                           ("/community/circles/new/", "#id_name")]),
        (data["leader"], [(f"/community/circles/{data['circle'].pk}/", "#h-requests"),
                          ("/community/moderation/", "#h-held")]),
    ]:
        page = new_page(elder=True, viewport=PHONE)
        csp = CspCollector.attach(page)
        login(page, user)
        for url, task in pages:
            problems += _check(page, url, task)
            violations = axe_check(page)
            if violations:
                problems.append(f"{url}: {format_violations(violations)}")
        problems += [f"CSP {v}" for v in csp.violations(page)]
    assert problems == [], "\n".join(problems)
