"""Elder mode on a 390 × 844 phone (issue 12): the course page's main action on the first screen, quizzes with
radio buttons and 60 px choices that refuse an unanswered submission and give feedback per question, and the
lesson player's large captions and controls (the watched-time beats still reach the server). Headless Chromium."""

import time

import pytest

from tests.browser_harness import format_violations, off_first_screen, small_targets
from tests.courses.factories import create_course, lesson
from tests.factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.browser

PHONE = (390, 844)
QUESTIONS = [{"text": "1+1=?", "explanation": "一加一等于二。",
              "choices": [{"text": "2", "correct": True}, {"text": "3", "correct": False}]},
             {"text": "哪些是水果？", "explanation": "",
              "choices": [{"text": "苹果", "correct": True}, {"text": "白菜", "correct": False},
                          {"text": "香蕉", "correct": True}]}]


def _course(**kwargs):
    from courses.services import catalog_setup

    sections = {s.category: s for s in catalog_setup()["sections"]}
    provider = InstitutionFactory(type="elderly_university", name="开封老年大学")
    return create_course(sections, provider=provider, audiences=["elderly"], **kwargs)


def _elder(user):
    user.elder_mode = True
    user.save(update_fields=["elder_mode"])
    return user


def test_course_page_shows_enrol_and_continue_on_the_first_screen(new_page, login):
    from courses import services

    course = _course(title="智能手机使用入门（长辈班）", mode="blended", venue="鼓楼区老年大学 201 教室",
                     summary="学会用智能手机打电话、发微信、视频聊天、扫码乘车和看病挂号。" * 3,
                     lessons=[lesson("text", "第一课：认识智能手机"), lesson("text", "第二课：微信视频通话")])
    visitor = new_page(elder=True, viewport=PHONE)
    visitor.goto(course.url)
    assert visitor.locator("[data-course-action]").inner_text().strip() == "登录后报名"
    assert off_first_screen(visitor, ["[data-course-action]"]) == []

    learner = _elder(UserFactory())
    page = new_page(elder=True, viewport=PHONE)
    login(page, learner)
    page.goto(course.url)
    assert off_first_screen(page, ["[data-course-action]"]) == []
    page.locator("[data-course-action]").click()  # 报名学习
    page.wait_for_load_state()
    action = page.locator("[data-course-action]")
    assert action.inner_text().strip() == "继续学习：第一课：认识智能手机"
    assert off_first_screen(page, ["[data-course-action]"]) == []
    assert services.enrolment_create(user=learner, course=course).status == "enrolled"


def test_quiz_in_elder_mode(new_page, login, axe_check):
    from courses import services
    from courses.models import QuizAttempt

    course = _course(title="课后小测验", lessons=[lesson("quiz", "课后小测验", questions=QUESTIONS, max_attempts=2,
                                                      pass_mark=100)])
    learner = _elder(UserFactory())
    services.enrolment_create(user=learner, course=course)
    page = new_page(elder=True, viewport=PHONE)
    login(page, learner)
    page.goto(f"/learn/c/{course.pk}/lesson/{course.lesson_list()[0]['id']}/")
    assert page.locator("input[type=radio][name=q0]").count() == 2
    assert page.locator("input[type=checkbox][name=q1]").count() == 3
    assert page.locator("input[type=checkbox][name=q0], input[type=radio][name=q1]").count() == 0
    assert small_targets(page, 60) == []  # every choice (its whole label) and button is a 60 px target

    # nothing ticked: refused, in words, and no attempt is used
    page.get_by_role("button", name="提交答卷").click()
    page.wait_for_load_state()
    assert page.get_by_text("还有 2 道题没有作答（第 1、2 题）").count() == 1
    assert page.locator(".quiz-question.has-error").count() == 2
    assert QuizAttempt.objects.count() == 0
    assert page.get_by_text("还可作答 2 次").count() == 1

    # one right, one wrong: feedback per question, with the correct answers
    page.get_by_label("2", exact=True).check()
    page.get_by_label("苹果").check()
    page.get_by_role("button", name="提交答卷").click()
    page.wait_for_load_state()
    results = page.locator(".quiz-result")
    assert results.count() == 2
    assert results.nth(0).get_attribute("data-right") == "1" and results.nth(1).get_attribute("data-right") == "0"
    assert "正确答案：苹果、香蕉" in results.nth(1).inner_text()
    assert QuizAttempt.objects.count() == 1
    assert small_targets(page, 60) == []
    violations = axe_check(page)
    assert violations == [], format_violations(violations)


def test_quiz_choices_are_44px_targets_in_normal_mode(new_page, login):
    from courses import services

    course = _course(lessons=[lesson("quiz", "小测验", questions=QUESTIONS)])
    learner = UserFactory()
    services.enrolment_create(user=learner, course=course)
    page = new_page(viewport=PHONE)
    login(page, learner)
    page.goto(f"/learn/c/{course.pk}/lesson/{course.lesson_list()[0]['id']}/")
    heights = page.eval_on_selector_all("label.choice", "els => els.map(e => e.getBoundingClientRect().height)")
    assert len(heights) == 5 and min(heights) >= 44


def test_video_player_has_large_captions_and_controls_in_elder_mode(new_page, login, axe_check):
    from courses import services
    from courses.models import LessonProgress

    course = _course(title="智能手机使用入门", lessons=[lesson("video", "认识智能手机")])
    learner = _elder(UserFactory())
    services.enrolment_create(user=learner, course=course)
    page = new_page(elder=True, viewport=PHONE)
    login(page, learner)
    page.goto(f"/learn/c/{course.pk}/lesson/{course.lesson_list()[0]['id']}/")
    controls = page.locator(".player-controls")
    controls.wait_for(state="visible")
    assert page.locator("video#lesson-media").get_attribute("controls") is None  # the small native bar is gone
    assert small_targets(page, 60) == []
    names = [b.strip() for b in controls.locator("button").all_inner_texts()]
    assert names == ["播放", "后退 10 秒", "字幕", "静音", "全屏"]
    violations = axe_check(page)
    assert violations == [], format_violations(violations)

    controls.get_by_role("button", name="静音").click()
    controls.get_by_role("button", name="播放").click()
    captions = page.locator(".player-captions")
    captions.wait_for(state="visible", timeout=15000)
    assert captions.inner_text().strip()  # a cue of the WebVTT file, drawn as page text
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.player-captions')).fontSize)")
    assert size >= 30, size
    assert controls.get_by_role("button", name="暂停").count() == 1
    # the captions button hides and shows them
    controls.get_by_role("button", name="字幕").click()
    assert captions.is_hidden()
    assert controls.get_by_role("button", name="字幕").get_attribute("aria-pressed") == "false"
    # the watched-time beats still reach the server (the play button fires the media's own events)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        row = LessonProgress.objects.filter(enrolment__learner__user=learner).first()
        if row is not None and row.watched > 0:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("no watched time reached the server")
    with page.expect_response(lambda r: r.url.endswith("/progress/")):  # the pause beat, answered before the end
        controls.get_by_role("button", name="暂停").click()
    assert page.evaluate("document.querySelector('#lesson-media').paused")


def test_video_keeps_native_controls_in_normal_mode(new_page, login):
    from courses import services

    course = _course(lessons=[lesson("video", "认识智能手机")])
    learner = UserFactory()
    services.enrolment_create(user=learner, course=course)
    page = new_page(viewport=PHONE)
    login(page, learner)
    page.goto(f"/learn/c/{course.pk}/lesson/{course.lesson_list()[0]['id']}/")
    page.wait_for_function("() => document.querySelector('#lesson-media').readyState >= 1")
    assert page.locator("video#lesson-media").get_attribute("controls") is not None
    assert page.locator(".player-controls").is_hidden()
