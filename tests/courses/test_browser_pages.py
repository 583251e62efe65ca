"""Course pages in headless Chromium: the demo video plays; normal and elder mode are accessible."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from tests.browser_harness import format_violations, small_targets
from tests.courses.factories import create_course, lesson

pytestmark = pytest.mark.browser


def _catalog():
    from courses.services import catalog_setup

    return {s.category: s for s in catalog_setup()["sections"]}


def _serve_with_ranges(route, request):
    """Answer Range requests for the sample video as WhiteNoise does in production (the test server's
    static handler ignores Range, and Chromium only seeks in media served with byte ranges)."""
    data = (settings.BASE_DIR / "courses" / "static" / "courses" / "media" / "sample-lesson.webm").read_bytes()
    headers = {"Content-Type": "video/webm", "Accept-Ranges": "bytes"}
    match = re.match(r"bytes=(\d+)-(\d*)", request.headers.get("range", ""))
    if not match:
        route.fulfill(status=200, headers=headers, body=data)
        return
    start = int(match.group(1))
    end = min(int(match.group(2)) if match.group(2) else len(data) - 1, len(data) - 1)
    headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
    route.fulfill(status=206, headers=headers, body=data[start:end + 1])


def test_demo_video_plays_with_captions(live_server_url, page, login):
    from courses import services
    from courses.models import LessonProgress
    from tests.factories import InstitutionFactory, UserFactory

    sections = _catalog()
    course = create_course(sections, provider=InstitutionFactory(type="elderly_university"), title="智能手机使用入门",
                           lessons=[lesson("video", "认识智能手机")])
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    login(page, user)
    page.goto(f"/learn/c/{course.pk}/lesson/{course.lesson_list()[0]['id']}/")
    src = page.locator("video#lesson-media").get_attribute("src")
    assert src.endswith(".webm")
    response = page.request.get(src)
    assert response.ok and len(response.body()) < 300_000
    page.evaluate("() => { const v = document.querySelector('#lesson-media'); v.muted = true; return v.play(); }")
    page.wait_for_function("() => { const v = document.querySelector('#lesson-media');"
                           " return v.readyState >= 2 && v.currentTime > 0.5; }", timeout=15000)
    info = page.evaluate("""() => { const v = document.querySelector('#lesson-media');
        return {w: v.videoWidth, h: v.videoHeight, d: v.duration, error: v.error && v.error.code,
                cues: v.textTracks[0] && v.textTracks[0].cues ? v.textTracks[0].cues.length : 0}; }""")
    assert (info["w"], info["h"], info["error"]) == (640, 360, None)
    assert 19 <= info["d"] <= 21
    assert info["cues"] == 5  # the WebVTT captions loaded (default track)

    # resume: with byte ranges (production), the player seeks to where the learner stopped
    enrolment = user.learner.enrolments.get()
    # the player's first heartbeat (on play) already made the row: set where the learner stopped
    LessonProgress.objects.update_or_create(enrolment=enrolment, lesson_id=course.lesson_list()[0]["id"],
                                            defaults={"position": 12, "furthest": 12, "duration": 20})
    page.route("**/sample-lesson.webm", _serve_with_ranges)
    page.reload()
    page.wait_for_function("() => { const v = document.querySelector('#lesson-media');"
                           " return v.readyState >= 1 && v.currentTime >= 11.5; }", timeout=15000)


def _staff_setup():
    """An elderly course with lessons, a learner enrolled in it with a session today, and a teacher."""
    from courses import services
    from courses.models import Session
    from tests.factories import InstitutionFactory, UserFactory, staff_user

    sections = _catalog()
    provider = InstitutionFactory(type="elderly_university", name="开封老年大学")
    course = create_course(sections, provider=provider, title="智能手机使用入门", mode="blended",
                           audiences=["elderly"], venue="鼓楼区老年大学 201 教室",
                           lessons=[lesson("video", "认识智能手机"), lesson("audio", "防范电信诈骗"),
                                    lesson("quiz", "课后小测验")])
    create_course(sections, provider=provider, category="community", title="家庭急救常识")
    learner = UserFactory()
    services.enrolment_create(user=learner, course=course)
    start = timezone.now() + datetime.timedelta(hours=1)
    session = Session.objects.create(course=course, title="第 1 次课", starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=2), venue=course.venue)
    teacher = staff_user(institution=provider)
    return course, learner, teacher, session


PAGES = ["/learn/", "{course}", "/learn/me/", "/learn/attend/", "/learn/staff/", "/learn/staff/session/{session}/",
         "/learn/staff/session/{session}/qr/", "/learn/staff/session/new/"]


def _pages(course, session):
    return [p.format(course=course.url, session=session.pk) for p in PAGES]


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_course_pages_accessible(live_server_url, new_page, login, axe_check, elder):
    course, learner, teacher, session = _staff_setup()
    for user in (learner, teacher):  # signed in, the profile decides elder mode (the cookie follows it)
        user.elder_mode = elder
        user.save(update_fields=["elder_mode"])
    page = new_page(elder=elder)
    problems = {}
    for url in _pages(course, session):
        who = teacher if "/staff/" in url else learner
        page.context.clear_cookies()
        if elder:
            page.context.add_cookies([{"name": "bx_elder", "value": "1", "url": live_server_url}])
        login(page, who)
        response = page.goto(url)
        assert response.status == 200, url
        violations = axe_check(page)
        if violations:
            problems[url] = violations
        if elder:
            assert page.evaluate("() => document.documentElement.classList.contains('elder')"), url
            style = page.evaluate("""() => { const s = getComputedStyle(document.body);
                return {size: parseFloat(s.fontSize), lh: s.lineHeight === 'normal' ? 0 : parseFloat(s.lineHeight)}; }""")
            assert style["size"] >= 24, (url, style)
            assert style["lh"] / style["size"] >= 1.3, (url, style)
            small = [t for t in small_targets(page) if t["tag"] in ("a", "button", "summary")]
            if small:
                problems.setdefault(url, []).append({"small_targets": small})
    assert not problems, format_violations(problems)
