"""Course facts in headless Chromium at 390 px: a graduate looking for 1+X training filters the catalog by target
group, opens the course and sees the fee after subsidy, when it meets (from the sessions), the exam sitting and its
registration link; an elder in 长辈版 finds free courses. Accessible (axe) with large targets in elder mode."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser_harness import format_violations, small_targets
from tests.courses.factories import create_course, lesson

pytestmark = pytest.mark.browser
PHONE = (390, 844)


def _setup():
    from courses.models import ExamSession, Session, TargetGroup
    from courses.services import catalog_setup
    from tests.courses.factories import x_programme_create
    from tests.factories import InstitutionFactory

    sections = {s.category: s for s in catalog_setup()["sections"]}
    programme = x_programme_create(sections, school=InstitutionFactory(type="higher_vocational", name="开封职业学院"))
    school, cert = programme.provider, programme.certificate
    course = create_course(sections, provider=school, category="x_certificate", mode="blended", title="老年照护（初级）",
                           certificate=cert, cert_level="junior", lessons=[lesson("video", "照护概论", minutes=12)])
    course.fee_yuan, course.subsidy_yuan = Decimal("1200"), Decimal("900")
    course.target_groups = list(TargetGroup.objects.filter(code__in=["unemployed_graduates", "veterans"]))
    course.save_revision().publish()
    today = timezone.localdate()
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 + 7)
    start = datetime.datetime.combine(saturday, datetime.time(9, 0), tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    for week in range(2):
        Session.objects.create(course=course, starts_at=start + datetime.timedelta(weeks=week),
                               ends_at=start + datetime.timedelta(weeks=week, hours=3), venue="护理实训楼")
    exam = ExamSession.objects.create(institution=school, certificate=cert, cert_level="junior", programme=programme,
                                      date=today + datetime.timedelta(days=30), venue="考点")
    elder = create_course(sections, title="长辈学用智能手机", lessons=[lesson("text")])
    elder.target_groups = list(TargetGroup.objects.filter(code="older_adults"))
    elder.save_revision().publish()
    return course, exam, saturday


def test_graduate_finds_1x_training_facts_on_a_phone(live_server_url, new_page, axe_check, screenshot):
    course, exam, saturday = _setup()
    page = new_page(viewport=PHONE)
    page.goto("/learn/")
    page.select_option("#f-group", "unemployed_graduates")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name="老年照护（初级）").click()
    facts = page.locator("dl.course-facts")
    assert "学费 ¥1200" in facts.inner_text() and "补贴后 ¥300" in facts.inner_text()
    assert "离校未就业高校毕业生" in facts.inner_text()
    assert f"每周六 09:00–12:00 · 护理实训楼 {saturday:%Y-%m-%d} 起 2 次" in facts.inner_text()
    assert "照护概论" in page.locator("#h-lessons + ol").inner_text() and "20 秒" in page.content()
    exam_section = page.locator("section[aria-labelledby=h-exam]")
    assert f"{exam.date:%Y-%m-%d}" in exam_section.inner_text() and "¥260" in exam_section.inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE[0]  # nothing overflows the phone
    screenshot(page, "facts-course-page-390")
    violations = axe_check(page)
    assert not violations, format_violations(violations)
    exam_section.get_by_role("link", name="去考试报名").click()
    page.wait_for_url("**/learn/exams/?certificate=*")
    assert "老年照护" in page.content()


def test_elder_finds_free_courses_in_elder_mode(live_server_url, new_page, axe_check, screenshot):
    _setup()
    page = new_page(viewport=PHONE, elder=True)
    page.goto("/learn/")
    page.get_by_label("只看免费课程").check()
    page.get_by_role("button", name="筛选").click()
    cards = page.locator(".card-grid")
    assert "长辈学用智能手机" in cards.inner_text() and "老年照护" not in cards.inner_text()
    assert "免费" in cards.inner_text()
    small = [t for t in small_targets(page) if t["tag"] in ("input", "select", "button")]  # the filter form
    assert not small, small
    page.get_by_role("link", name="长辈学用智能手机").click()
    assert "免费" in page.locator("dl.course-facts").inner_text()
    screenshot(page, "facts-elder-course-page-390")
    violations = axe_check(page)
    assert not violations, format_violations(violations)
