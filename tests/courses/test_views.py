import io
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from courses import services
from tests.courses.factories import lesson
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db


def test_catalog_filters_without_js(client, make_course):
    make_course(title="智能手机使用", audiences=["elderly"])
    make_course(category="community", title="家庭急救")
    # words go to the site search (tests/search/test_entry_points.py); the filters stay the catalog's
    assert client.get("/learn/", {"q": "手机"})["Location"] == "/search/?q=%E6%89%8B%E6%9C%BA&kind=course"
    response = client.get("/learn/", {"audience": "elderly"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "智能手机使用" in body and "家庭急救" not in body
    assert 'name="category"' in body and 'href="?category=elderly' in body
    assert "家庭急救" in client.get("/learn/", {"category": "community"}).content.decode()


def _grow(make_course, n):
    for _ in range(n):
        make_course(audiences=["elderly", "veterans"])


def test_catalog_query_count_does_not_grow(client, make_course, django_assert_max_num_queries):
    _grow(make_course, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/learn/")
    _grow(make_course, 8)
    with django_assert_max_num_queries(len(few)):
        response = client.get("/learn/")
    assert response.context["page"].paginator.count == 10


def test_course_page_and_my_learning_query_counts(client, make_course, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory()
    client.force_login(user)
    small = make_course(lessons=[lesson("video"), lesson("quiz")])
    services.enrolment_create(user=user, course=small)
    with CaptureQueriesContext(connection) as page_q:
        assert client.get(small.url).status_code == 200
    with CaptureQueriesContext(connection) as me_q:
        assert client.get("/learn/me/").status_code == 200
    big = make_course(lessons=[lesson("video") for _ in range(10)] + [lesson("text") for _ in range(10)])
    enrolment = services.enrolment_create(user=user, course=big)
    for item in big.lesson_list()[10:15]:
        services.lesson_complete(user=user, enrolment=enrolment, lesson_id=item["id"])
    for _ in range(5):
        services.enrolment_create(user=user, course=make_course())
    with django_assert_max_num_queries(len(page_q)):
        assert client.get(big.url).status_code == 200
    with django_assert_max_num_queries(len(me_q)):
        response = client.get("/learn/me/")
    assert len(response.context["current"]) == 7


def test_enrol_and_learn_over_http(client, make_course, clock):
    user = UserFactory()
    course = make_course(lessons=[lesson("video"), lesson("quiz")])
    video, quiz = (x["id"] for x in course.lesson_list())
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 302  # to login
    client.force_login(user)
    client.post(reverse("courses:enrol", args=[course.pk]))
    page = client.get(reverse("courses:lesson", args=[course.pk, video]))
    assert page.status_code == 200 and b"<track" in page.content and b'kind="captions"' in page.content
    url = reverse("courses:heartbeat", args=[course.pk, video])
    assert client.post(url, {"position": 0, "played": 0}).json() == {"done": False, "course_completed": False}
    for played in (15, 5):  # the sample video's 20 seconds, played on the server's clock
        clock.advance(played)
        beat = client.post(url, {"position": 20, "played": played})
    assert beat.json() == {"done": True, "course_completed": False}
    answers = {"q0": "0", "q1": "0"}
    client.post(reverse("courses:quiz_submit", args=[course.pk, quiz]), answers)
    assert "已结业" in client.get(course.url).content.decode()


def test_a_learner_sees_only_their_own_progress(client, make_course):
    course = make_course()
    video = course.lesson_list()[0]["id"]
    owner, other = UserFactory(), UserFactory()
    services.enrolment_create(user=owner, course=course)
    client.force_login(other)
    assert client.get(reverse("courses:lesson", args=[course.pk, video])).status_code == 403
    assert client.post(reverse("courses:heartbeat", args=[course.pk, video]),
                       {"position": 100, "duration": 100}).status_code == 403
    me = client.get("/learn/me/")
    assert course.title not in me.content.decode()


def test_provider_cannot_edit_another_providers_course(client, make_course):
    from courses.services import catalog_setup

    groups = catalog_setup()
    mine, theirs = make_course(), make_course()
    teacher = staff_user(institution=mine.provider, is_staff=True)
    teacher.groups.add(groups["staff_group"])
    client.force_login(teacher)
    assert client.get(f"/admin/pages/{mine.pk}/edit/").status_code == 200
    # Wagtail admin answers PermissionDenied with a redirect to the dashboard and a message
    for response in (client.get(f"/admin/pages/{theirs.pk}/edit/"),
                     client.post(f"/admin/pages/{theirs.pk}/edit/", {"title": "x"}),
                     client.get(f"/admin/pages/{theirs.pk}/delete/"),
                     client.post(f"/admin/pages/{theirs.pk}/delete/")):
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response.url == "/admin/"
    theirs.refresh_from_db()
    assert theirs.title != "x" and theirs.live
    explorer = client.get(f"/admin/pages/{mine.get_parent().pk}/")
    assert mine.title in explorer.content.decode() and theirs.title not in explorer.content.decode()
    # staff may not publish: the edit page offers moderation, not publishing
    edit = client.get(f"/admin/pages/{mine.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in edit


def test_workflow_sends_a_staff_edit_to_the_bureau(make_course):
    from wagtail.models import Page

    from courses.services import BUREAU_GROUP, catalog_setup

    setup = catalog_setup()
    course = make_course()
    workflow = Page.objects.get(pk=course.pk).get_workflow()
    assert workflow == setup["workflow"]
    task = workflow.tasks.first().specific
    assert list(task.groups.values_list("name", flat=True)) == [BUREAU_GROUP]


def test_staff_page_and_xlsx_export(client, make_course):
    from openpyxl import load_workbook

    course = make_course(title="=HYPERLINK(\"http://evil\")")
    teacher = staff_user(institution=course.provider)
    client.force_login(UserFactory())
    assert client.get("/learn/staff/").status_code == 403
    client.force_login(teacher)
    assert client.get("/learn/staff/").status_code == 200
    response = client.get("/learn/staff/courses.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value == "'=HYPERLINK(\"http://evil\")"


def test_attendance_pages(client, make_course):
    import datetime

    from django.utils import timezone

    from courses.models import Attendance, Session

    course = make_course(mode="offline", lessons=[])
    teacher = staff_user(institution=course.provider)
    learner = UserFactory()
    services.enrolment_create(user=learner, course=course)
    now = timezone.now()
    session = Session.objects.create(course=course, starts_at=now, ends_at=now + datetime.timedelta(hours=1))
    client.force_login(teacher)
    page = client.get(reverse("courses:staff_session", args=[session.pk]))
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content
    url = page.context["code_url"]
    client.force_login(learner)
    assert client.get(reverse("courses:staff_session", args=[session.pk])).status_code == 403
    path = urlsplit(url).path  # the code is on the configured site address (SITE_URL)
    assert client.get(path).status_code == 200  # confirm page, no write on GET
    assert not Attendance.objects.exists()
    assert client.post(path).status_code == 200
    assert Attendance.objects.filter(session=session, present=True).count() == 1


_QUESTIONS = [{"text": "1+1=?", "explanation": "一加一等于二。",
               "choices": [{"text": "2", "correct": True}, {"text": "3", "correct": False}]},
              {"text": "哪些是水果？", "explanation": "",
               "choices": [{"text": "苹果", "correct": True}, {"text": "白菜", "correct": False},
                           {"text": "香蕉", "correct": True}]}]


def _quiz_learner(client, make_course, **quiz):
    user = UserFactory()
    course = make_course(lessons=[lesson("quiz", questions=_QUESTIONS, **quiz)])
    enrolment = services.enrolment_create(user=user, course=course)
    client.force_login(user)
    quiz_id = course.lesson_list()[0]["id"]
    return enrolment, reverse("courses:lesson", args=[course.pk, quiz_id]), reverse(
        "courses:quiz_submit", args=[course.pk, quiz_id])


def test_quiz_uses_radio_buttons_for_single_and_checkboxes_for_multiple_answers(client, make_course):
    _enrolment, url, _submit = _quiz_learner(client, make_course)
    html = client.get(url).content.decode()
    assert re.search(r'<input type="radio" id="q0-0" name="q0"', html)
    assert re.search(r'<input type="radio" id="q0-1" name="q0"', html)
    assert len(re.findall(r'<input type="checkbox" id="q1-\d" name="q1"', html)) == 3
    assert 'type="checkbox" id="q0' not in html and 'type="radio" id="q1' not in html
    assert "（单选）" in html and "（多选：选出所有正确的答案）" in html


def test_quiz_submission_with_an_unanswered_question_is_refused_without_an_attempt(client, make_course):
    enrolment, _url, submit = _quiz_learner(client, make_course, max_attempts=1)
    response = client.post(submit, {"q1": ["0", "2"]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "还有 1 道题没有作答（第 1 题）" in html and "错误：这道题还没有作答。" in html
    assert re.search(r'id="q1-0" name="q1" value="0" checked', html)  # the ticks given are kept
    assert re.search(r'id="q1-2" name="q1" value="2" checked', html)
    assert 'id="q0-error"' in html and 'id="q1-error"' not in html
    assert enrolment.quiz_attempts.count() == 0
    assert client.post(submit, {}).status_code == 400  # nothing ticked at all
    assert enrolment.quiz_attempts.count() == 0
    client.post(submit, {"q0": "0", "q1": ["0", "2"]}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert enrolment.quiz_attempts.get().passed is True


def test_quiz_refusal_is_in_english_for_english_readers(client, make_course):
    _enrolment, _url, submit = _quiz_learner(client, make_course)
    client.cookies["django_language"] = "en"
    html = client.post(submit, {"q0": "0"}).content.decode()
    assert "not counted" in html and "还有" not in html


def test_quiz_page_gives_feedback_per_question_after_an_attempt(client, make_course):
    _enrolment, url, submit = _quiz_learner(client, make_course, max_attempts=2, pass_mark=100)
    response = client.post(submit, {"q0": "0", "q1": "0"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert html.count('class="quiz-result is-right"') == 1 and html.count('class="quiz-result is-wrong"') == 1
    assert "✓ 答对了" in html and "✗ 答错了" in html
    assert "正确答案：苹果、香蕉" in html and "您的答案：苹果" in html and "解析：一加一等于二。" in html
    assert "答对 1 / 2 题" in html and "再答一次" in html


def test_catalog_filters_every_category_including_smart_tech(client, sections):
    from bianxue.vocab import Category

    from tests.courses.factories import create_course

    sections = {**sections, "smart_tech": sections["elderly"]}  # smart_tech courses sit in the elders' section
    create_course(sections, category="smart_tech", title="手机扫码就医")
    create_course(sections, category="elderly", title="老年书法")
    response = client.get("/learn/", {"category": "smart_tech"})
    html = response.content.decode()
    assert [c.title for c in response.context["page"].object_list] == ["手机扫码就医"]
    assert 'href="?category=smart_tech" aria-current="page"' in html and "智能技术应用" in html
    assert '<option value="smart_tech" selected>' in html
    listed = {value for value, _label in response.context["categories"]}
    assert listed == {c.value for c in Category}
