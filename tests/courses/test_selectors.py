import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from courses import selectors, services
from tests.factories import DistrictFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_course_list_filters_and_sorts(make_course):
    xiangfu = DistrictFactory(code="410212", name="祥符区")
    eu = InstitutionFactory(type="elderly_university", name="开封老年大学")
    phone = make_course(provider=eu, title="智能手机使用", audiences=["elderly"], mode="blended",
                        start_date=timezone.localdate() + datetime.timedelta(days=30))
    other = make_course(category="community", title="家庭急救", district=xiangfu, mode="offline",
                        start_date=timezone.localdate() + datetime.timedelta(days=1))  # whatever ran before
    make_course(category="elderly", title="草稿课程", live=False)
    assert [c.pk for c in selectors.course_list(category="elderly")] == [phone.pk]
    assert [c.pk for c in selectors.course_list(q="手机")] == [phone.pk]
    assert [c.pk for c in selectors.course_list(q="老年大学")] == [phone.pk]
    assert [c.pk for c in selectors.course_list(audience="elderly")] == [phone.pk]
    assert [c.pk for c in selectors.course_list(mode="offline")] == [other.pk]
    assert [c.pk for c in selectors.course_list(district="410212")] == [other.pk]
    assert [c.pk for c in selectors.course_list(provider=eu.pk)] == [phone.pk]
    assert [c.pk for c in selectors.course_list(sort="start")] == [other.pk, phone.pk]
    services.enrolment_create(user=UserFactory(), course=phone)
    assert [c.pk for c in selectors.course_list(sort="popular")] == [phone.pk, other.pk]
    assert eu in selectors.course_providers()


def test_my_learning_is_the_users_own(make_course):
    course = make_course()
    alice, bob = UserFactory(), UserFactory()
    services.enrolment_create(user=alice, course=course)
    assert len(selectors.my_learning(user=alice)["current"]) == 1
    assert selectors.my_learning(user=bob)["current"] == []
    nxt = selectors.enrolment_next_lesson_for_user(user=alice)
    assert nxt["course"].pk == course.pk and nxt["next_lesson"]["type"] == "video"
    assert selectors.enrolment_next_lesson_for_user(user=bob) is None


def test_home_selectors(make_course):
    from courses.models import Session

    course = make_course(mode="offline", lessons=[], audiences=["elderly"])
    start = timezone.now() + datetime.timedelta(days=1)
    Session.objects.create(course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    assert [c.pk for c in selectors.course_list_for_home(audience="elderly")] == [course.pk]
    assert len(selectors.session_upcoming_for_home()) == 1
    assert selectors.session_upcoming_for_home(district_code="410225") == []
    assert len(selectors.session_upcoming_for_home(district_code=course.provider.district_id)) == 1


def test_next_lesson_is_the_latest_enrolment_with_a_lesson_to_do(make_course, django_assert_max_num_queries):
    from courses.models import Enrolment
    from tests.courses.factories import lesson

    user = UserFactory()
    assert selectors.enrolment_next_lesson_for_user(user=user) is None
    older = make_course(title="书法", lessons=[lesson("text", "执笔"), lesson("text", "运笔")])
    first = services.enrolment_create(user=user, course=older)
    services.lesson_complete(user=user, enrolment=first, lesson_id=older.lesson_list()[0]["id"])
    newer = make_course(title="急救", mode="offline", lessons=[])  # nothing to do online
    services.enrolment_create(user=user, course=newer)
    Enrolment.objects.filter(course=newer).update(created_at=timezone.now() + datetime.timedelta(minutes=1))
    nxt = selectors.enrolment_next_lesson_for_user(user=user)
    assert (nxt["course"].pk, nxt["next_lesson"]["value"]["title"], nxt["done"], nxt["total"]) == (older.pk, "运笔",
                                                                                                   1, 2)
    assert nxt["url"] == f"/learn/c/{older.pk}/lesson/{older.lesson_list()[1]['id']}/"
    for _ in range(4):  # more enrolments, more lessons: the same queries
        services.enrolment_create(user=user, course=make_course(lessons=[lesson("text") for _ in range(5)]))
    with django_assert_max_num_queries(4):
        assert selectors.enrolment_next_lesson_for_user(user=user) is not None
    services.lesson_complete(user=user, enrolment=first, lesson_id=older.lesson_list()[1]["id"])
    Enrolment.objects.exclude(course=older).delete()
    assert selectors.enrolment_next_lesson_for_user(user=user) is None  # every lesson done: no card


def test_catalog_online_stats(make_course):
    year = timezone.now().year
    make_course(category="elderly", mode="online", hours="8")
    make_course(category="open_university", mode="blended", hours="36")
    make_course(category="elderly", mode="offline", hours="20")  # offline: not counted
    make_course(category="vocational", mode="online", hours="40")  # not a lifelong category
    make_course(category="community", mode="online", hours="6", live=False)  # unpublished
    assert selectors.catalog_online_stats(year=year) == {"courses": 2, "hours": Decimal("44"),
                                                         "lesson_hours": Decimal("44")}
    assert selectors.catalog_online_stats(year=year - 1)["courses"] == 0
    assert selectors.catalog_online_stats(year=year, district_code="410225")["courses"] == 0


def test_catalog_stats_registered_with_the_indicators():
    from credits.records import registry

    result = registry.catalog_stats(year=timezone.now().year)
    assert result is not None and set(result) >= {"courses", "lesson_hours"}


def test_staff_figures_scoped_to_own_institution(make_course):
    from django.core.exceptions import PermissionDenied

    from tests.factories import staff_user

    mine, theirs = make_course(), make_course()
    teacher = staff_user(institution=mine.provider)
    services.enrolment_create(user=UserFactory(), course=mine)
    rows = selectors.staff_course_figures(user=teacher)
    assert [r["course"].pk for r in rows] == [mine.pk] and rows[0]["enrolled"] == 1
    with pytest.raises(PermissionDenied):
        selectors.staff_course_figures(user=teacher, institution_id=theirs.provider_id)
