"""The courses pages in English (language cookie or /i18n/setlang/); Chinese by default."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_catalog_and_course_page_in_english(client, make_course):
    course = make_course(title="智能手机使用", audiences=["elderly"])
    default = client.get("/learn/").content.decode()
    assert "<h1>课程</h1>" in default and "清除筛选" in default
    client.cookies["django_language"] = "en"
    body = client.get("/learn/").content.decode()
    assert "<h1>Courses</h1>" in body
    for text in ("Clear filters", "Search courses", "Most popular",
                 "Education for older people", "Older people", "1 course"):
        assert text in body, text
    page = client.get(course.url).content.decode()
    assert ">Lessons</h2>" in page and ">About the course</h2>" in page and "Sign in to enrol" in page


def test_set_language_then_my_learning_in_english(client):
    client.force_login(UserFactory())
    client.post("/i18n/setlang/", {"language": "en", "next": "/learn/me/"})
    body = client.get("/learn/me/").content.decode()
    assert "<h1>My learning</h1>" in body and "Upcoming sessions" in body and "Certificates" in body


def test_lesson_player_status_comes_translated_from_the_page(client, make_course):
    """player.js holds no text: the status it announces is in data-* attributes, in the reader's language."""
    from django.urls import reverse

    from tests.courses.factories import lesson

    user = UserFactory()
    course = make_course(lessons=[lesson("video")])
    video = course.lesson_list()[0]["id"]
    client.force_login(user)
    client.post(reverse("courses:enrol", args=[course.pk]))
    url = reverse("courses:lesson", args=[course.pk, video])
    chinese = client.get(url).content.decode()
    assert 'data-lesson-done="本课时已完成"' in chinese and 'data-course-completed="课程已结业"' in chinese
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert 'data-lesson-done="Lesson done"' in english and 'data-course-completed="Course completed"' in english
