"""Live Q&A in two browsers (zh-CN, click-only from the home page): a learner asks, the teacher sees it without
reloading and answers, the learner sees the answer without reloading. Then axe and elder mode on the room page, and
the room without JavaScript (form post and reload). Headless Chromium on the live ASGI server (websockets)."""

import pytest

from tests.browser_harness import format_violations, off_first_screen, small_targets
from tests.courses.factories import create_course
from tests.factories import InstitutionFactory, course_learner, live_room_create, staff_user

pytestmark = pytest.mark.browser

QUESTION = "微信视频时声音太小怎么办？"
ANSWER = "通话时按手机侧面的音量加键。"


def _room():
    from courses.services import catalog_setup

    sections = {s.category: s for s in catalog_setup()["sections"]}
    provider = InstitutionFactory(type="elderly_university", name="开封老年大学")
    course = create_course(sections, provider=provider, title="智能手机使用入门（长辈班）")
    teacher = staff_user(institution=provider, display_name="李老师", phone="13800000009", phone_verified=True)
    learner = course_learner(course=course, display_name="王秀兰")
    return live_room_create(course=course, teacher=teacher, title="智能手机答疑"), teacher, learner


def _enter_room(page):
    """From the home page, by clicks only: 社区 in the header, then the open room."""
    page.goto("/")
    page.locator("header [data-nav-key='community.index']").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="智能手机答疑").first.click()
    page.wait_for_load_state()
    page.wait_for_selector("[data-live-room][data-live-connected='1']")


def test_a_learner_asks_the_teacher_answers_both_without_reloading(new_page, login, axe_check):
    room, teacher, learner = _room()
    teacher_page = new_page()
    login(teacher_page, teacher)
    _enter_room(teacher_page)
    teacher_page.evaluate("() => { window.bxNotReloaded = true; }")

    learner_page = new_page()
    login(learner_page, learner)
    _enter_room(learner_page)
    learner_page.evaluate("() => { window.bxNotReloaded = true; }")
    assert axe_check(learner_page) == [], format_violations(axe_check(learner_page))
    learner_page.get_by_label("您的问题").fill(QUESTION)
    learner_page.get_by_role("button", name="提问", exact=True).click()

    teacher_page.wait_for_function(f"() => document.querySelector('[data-live-questions]').innerText.includes('{QUESTION}')")
    assert teacher_page.evaluate("() => window.bxNotReloaded") is True
    # told to screen readers (the live region is filled a moment after it is emptied, so that it is read again)
    teacher_page.wait_for_function("() => document.querySelector('[data-live-announce]').textContent.includes('新问题')")
    question = teacher_page.locator("li.live-question", has_text=QUESTION)
    question.get_by_label("回答这个问题").fill(ANSWER)
    question.get_by_role("button", name="发送回答").click()

    learner_page.wait_for_function(f"() => document.querySelector('[data-live-questions]').innerText.includes('{ANSWER}')")
    assert learner_page.evaluate("() => window.bxNotReloaded") is True
    learner_page.wait_for_function("() => !document.querySelector('li.live-question [data-answered-label]').hidden")
    assert learner_page.get_by_label("您的问题").input_value() == ""  # the sent question left the box
    # the bell in the header: the answer's notification arrives over the learner's own socket, announced
    learner_page.wait_for_function("() => document.querySelector('[data-bell-count]').textContent.trim() === '1'")
    learner_page.wait_for_function(
        "() => document.querySelector('[data-bell-announce]').textContent.includes('老师回答了您的提问')")
    assert teacher_page.locator("[data-bell-count]").inner_text().strip() in ("", "0")

    from community.models import LiveMessage

    assert list(LiveMessage.objects.order_by("id").values_list("text", flat=True)) == [QUESTION, ANSWER]


def test_the_room_in_elder_mode_on_a_phone(new_page, login, axe_check):
    room, _teacher, learner = _room()
    learner.elder_mode = True  # a signed-in user's own setting wins over the browser's cookie
    learner.save(update_fields=["elder_mode"])
    page = new_page(elder=True, viewport=(390, 844))
    login(page, learner)
    page.goto(f"/community/live/{room.pk}/")
    assert off_first_screen(page, ["#ask-text"]) == []  # the task (asking) is on the first screen
    assert small_targets(page, 60) == []
    assert page.locator("[aria-live='polite'][data-live-announce]").count() == 1
    assert axe_check(page) == [], format_violations(axe_check(page))
    page.on("dialog", lambda dialog: pytest.fail(f"a pop-up: {dialog.message}"))
    page.get_by_label("您的问题").fill("字能再大一点吗？")
    page.get_by_role("button", name="提问", exact=True).click()
    page.wait_for_function("() => document.querySelector('[data-live-questions]').innerText.includes('字能再大一点吗？')")


def test_the_room_without_javascript_posts_and_reloads(new_page, login):
    room, _teacher, learner = _room()
    page = new_page(javascript=False)
    login(page, learner)
    page.goto(f"/community/live/{room.pk}/")
    page.get_by_label("您的问题").fill("不用脚本也能问吗？")
    page.get_by_role("button", name="提问", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("li.live-question", has_text="不用脚本也能问吗？").count() == 1


def test_live_list_open_form_and_notifications_pages_in_elder_mode(new_page, login, axe_check):
    from bianxue.notifications.services import notification_send

    room, teacher, learner = _room()
    notification_send(user=learner, kind="community.live_answer", title="老师回答了您的提问", url=room.get_absolute_url())
    problems = []
    for user, url, task in [(learner, "/community/live/", "main a[href^='/community/live/']"),
                            (learner, "/me/notifications/", "main form button"),
                            (teacher, f"/community/live/open/{room.course_id}/", "main form input[name=title]")]:
        user.elder_mode = True
        user.save(update_fields=["elder_mode"])
        page = new_page(elder=True, viewport=(390, 844))
        login(page, user)
        page.goto(url)
        if off_first_screen(page, [task]):
            problems.append(f"{url}: task not on the first screen")
        if small := small_targets(page, 60):
            problems.append(f"{url}: small targets {small}")
        if violations := axe_check(page):
            problems.append(f"{url}: {format_violations(violations)}")
    assert problems == []
