"""Course facts derived from data (issue 12, item 5): the schedule from the sessions, lesson lengths from the
measured media, blended completion that counts the offline sessions, fee/subsidy/target groups as fields (shown,
filtered, indexed), 1+X exam sittings on the course and programme pages, and the demo's facts by rule."""

import datetime
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from courses import selectors, services
from courses.models import CoursePage, Enrolment, ExamSession, ProgrammePage, Session, TargetGroup
from tests.courses.factories import lesson, x_programme_create
from tests.factories import CertificateFactory, InstitutionFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _next_weekday_at(weekday: int, hour: int, minute: int = 0, weeks: int = 0) -> datetime.datetime:
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    day = today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks + 7)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def _session(course, starts_at, hours=2, venue="开封老年大学 203 教室", **extra):
    return Session.objects.create(course=course, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=hours),
                                  venue=venue, **extra)


# --- target groups and fee fields -------------------------------------------------------------------


def test_target_groups_are_seeded_with_the_plans_groups():
    assert [(g.code, g.name) for g in TargetGroup.objects.all()] == [
        ("unemployed_graduates", "离校未就业高校毕业生"), ("veterans", "退役军人"), ("migrant_workers", "农民工"),
        ("high_quality_farmers", "高素质农民"), ("disabled", "残疾人"), ("enterprise_employees", "企业职工"),
        ("older_adults", "老年人"), ("community_residents", "社区居民"),
    ]


def test_subsidy_cannot_exceed_the_fee_and_amounts_are_not_negative(make_course):
    course = make_course(category="x_certificate", certificate=CertificateFactory())
    course.fee_yuan, course.subsidy_yuan = Decimal("800"), Decimal("900")
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "subsidy_yuan" in error.value.message_dict
    course.fee_yuan, course.subsidy_yuan = Decimal("-1"), Decimal("0")
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "fee_yuan" in error.value.message_dict
    course.fee_yuan, course.subsidy_yuan = Decimal("800"), Decimal("800")
    course.full_clean()
    assert course.fee_after_subsidy == 0 and not course.is_free


def test_programme_subsidy_cannot_exceed_its_fee(sections):
    programme = ProgrammePage(title="项目", slug="p", provider=InstitutionFactory(), category="x_certificate",
                              fee_yuan=Decimal("100"), subsidy_yuan=Decimal("200"))
    with pytest.raises(ValidationError) as error:
        sections["x_certificate"].add_child(instance=programme)
    assert "subsidy_yuan" in error.value.message_dict


def test_every_catalog_filter_has_an_index():
    indexed = [tuple(index.fields) for index in CoursePage._meta.indexes]
    assert ("fee_yuan", "category") in indexed
    through = CoursePage.target_groups.through
    assert through._meta.get_field("targetgroup").db_index  # the group filter reads the M2M table by group
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, through._meta.db_table)
    assert any(c["columns"] == ["targetgroup_id"] and c["index"] for c in constraints.values())


# --- the course page --------------------------------------------------------------------------------


def test_course_page_shows_fee_subsidy_groups_and_the_schedule_from_the_sessions(client, make_course):
    course = make_course(category="vocational", mode="blended", lessons=[lesson("text")])
    course.fee_yuan, course.subsidy_yuan = Decimal("1200"), Decimal("900")
    course.target_groups = list(TargetGroup.objects.filter(code__in=["veterans", "migrant_workers"]))
    course.save_revision().publish()
    monday = _next_weekday_at(0, 21)
    for week in range(3):
        _session(course, monday + datetime.timedelta(weeks=week))
    _session(course, _next_weekday_at(5, 9, 30), venue="实训中心")
    _session(course, monday + datetime.timedelta(days=1), cancelled_at=timezone.now())  # cancelled: not a meeting

    page = _text(client.get(course.url).content.decode())
    assert "学费 ¥1200" in page and "补贴后 ¥300" in page and "重点人群每人补贴 ¥900" in page
    assert "退役军人" in page and "农民工" in page
    assert f"每周一 21:00–23:00 · 开封老年大学 203 教室 {monday:%Y-%m-%d} 起 3 次" in page
    assert "每周六 09:30–11:30 · 实训中心" in page
    assert "周二" not in page and "9:00–10:30" not in page
    assert "出席至少 80% 的线下课次" in page


def test_course_facts_in_english_are_english_only(client, make_course):
    course = make_course(category="vocational", mode="blended", lessons=[lesson("video")])
    course.fee_yuan, course.subsidy_yuan = Decimal("800"), Decimal("800")
    course.target_groups = list(TargetGroup.objects.filter(code="high_quality_farmers"))
    course.save_revision().publish()
    monday = _next_weekday_at(0, 9)
    _session(course, monday, venue="")
    client.cookies["django_language"] = "en"
    html = client.get(course.url).content.decode()
    facts = _text(html[html.index('class="facts course-facts"'):html.index("</dl>", html.index("course-facts"))])
    assert "Fee ¥800" in facts and "Free after subsidy" in facts and "Skilled farmers" in facts
    assert f"Every Monday, 09:00–11:00 1 session from {monday:%Y-%m-%d}" in facts
    assert "20 seconds" in _text(html)
    assert not re.search(r"[\u4e00-\u9fff]", facts), facts


def test_schedule_rows_are_in_shanghai_time_whatever_the_storage():
    monday_night = datetime.datetime(2026, 3, 2, 21, 0, tzinfo=SHANGHAI)  # a Monday
    utc = monday_night.astimezone(datetime.UTC)  # 13:00 UTC
    row = Session(starts_at=utc, ends_at=utc + datetime.timedelta(hours=2), venue="")
    [only] = selectors.course_schedule(sessions=[row])
    assert (only["weekday_label"], only["starts"], only["ends"], only["count"]) == ("周一", "21:00", "23:00", 1)


def test_offline_course_without_sessions_says_none_are_scheduled(client, make_course):
    course = make_course(mode="offline", lessons=[])
    assert "暂无安排的线下课次" in client.get(course.url).content.decode()


def test_free_course_says_free_on_the_page_and_the_card(client, make_course):
    course = make_course(title="老年书法")
    assert course.fee_yuan == 0
    assert "免费" in _text(client.get(course.url).content.decode())
    card = _text(client.get("/learn/").content.decode())
    assert "老年书法" in card and "免费" in card


def test_lesson_length_is_the_measured_one_never_the_typed_minutes(client, make_course):
    video = lesson("video", "认识智能手机", minutes=12)
    reading = lesson("text", "阅读材料", minutes=10)
    course = make_course(lessons=[video, reading])
    assert services.lesson_media_durations(course=course)[video["id"]] == 20  # the bundled 20-second sample
    page = _text(client.get(course.url).content.decode())
    assert "认识智能手机 视频 · 20 秒" in page
    assert "12 分钟" not in page
    assert "阅读材料 图文 · 约 10 分钟" in page  # no media to measure: the editor's estimate, marked as such


def test_unmeasured_media_shows_no_typed_length(client, make_course):
    video = lesson("video", "外部视频", minutes=12, video_url="https://video.example.cn/a.mp4")
    course = make_course(lessons=[video, lesson("text")])
    page = _text(client.get(course.url).content.decode())
    assert "外部视频 视频 · 不计入完成" in page and "12 分钟" not in page


def test_media_length_filter_words():
    from courses.templatetags.course_facts import media_length, yuan

    assert [media_length(s) for s in (20, 89, 90, 3600, 3930)] == ["20 秒", "1 分钟", "2 分钟", "1 小时",
                                                                   "1 小时 6 分钟"]
    assert [yuan(v) for v in (Decimal("800"), Decimal("80.5"), Decimal("0"))] == ["¥800", "¥80.50", "¥0"]


# --- completion with offline sessions ---------------------------------------------------------------


def _blended_with_sessions(make_course, *, required=100):
    reading = lesson("text", "预习")
    course = make_course(mode="blended", lessons=[reading], attendance_required=required)
    now = timezone.now()
    past = _session(course, now - datetime.timedelta(days=3))
    ahead = _session(course, now + datetime.timedelta(days=4))
    return course, reading, past, ahead


def test_blended_course_is_not_complete_while_a_required_session_is_ahead(client, make_course):
    course, reading, past, ahead = _blended_with_sessions(make_course)
    user = UserFactory()
    enrolment = services.enrolment_create(user=user, course=course)
    teacher = staff_user(institution=course.provider)
    services.attendance_correct(user=teacher, session=past, learner=enrolment.learner, present=True, reason="补登")
    services.lesson_complete(user=user, enrolment=enrolment, lesson_id=reading["id"])
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED  # every lesson done, one session still ahead

    client.force_login(user)
    page = _text(client.get(course.url).content.decode())
    assert "结业还差" in page and "线下课次还需出席 1 次（已出席 1 次，共需 2 次）" in page
    assert f"下次 {timezone.localtime(ahead.starts_at):%Y-%m-%d %H:%M}" in page
    assert "必修课时或测验" not in page

    services.attendance_correct(user=teacher, session=ahead, learner=enrolment.learner, present=True, reason="到场")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED  # the last needed attendance completes it


def test_attendance_share_is_the_courses_rule(make_course):
    course, reading, past, _ahead = _blended_with_sessions(make_course, required=50)
    user = UserFactory()
    enrolment = services.enrolment_create(user=user, course=course)
    services.attendance_correct(user=staff_user(institution=course.provider), session=past,
                                learner=enrolment.learner, present=True, reason="补登")
    state = services.enrolment_sessions_state(enrolment=enrolment)
    assert (state["total"], state["attended"], state["needed"], state["missing"], state["met"]) == (2, 1, 1, 0, True)
    services.lesson_complete(user=user, enrolment=enrolment, lesson_id=reading["id"])
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_lessons_left_are_listed_for_the_learner(client, make_course):
    course = make_course(lessons=[lesson("text", "第一课"), lesson("text", "选读", required=False),
                                  lesson("quiz", "小测验")])
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    client.force_login(user)
    page = _text(client.get(course.url).content.decode())
    assert "2 个必修课时或测验：第一课、小测验" in page


def test_online_course_ignores_the_attendance_rule(make_course):
    course = make_course(mode="online", lessons=[lesson("text")])
    _session(course, timezone.now() + datetime.timedelta(days=2))
    enrolment = services.enrolment_create(user=UserFactory(), course=course)
    assert services.enrolment_sessions_state(enrolment=enrolment)["met"]


# --- catalog filters --------------------------------------------------------------------------------


def _priced(make_course, fee, groups=(), **kwargs):
    course = make_course(**kwargs)
    course.fee_yuan = Decimal(fee)
    course.target_groups = list(TargetGroup.objects.filter(code__in=groups))
    course.save_revision().publish()
    return course


def test_catalog_filters_free_courses_and_target_groups(client, make_course):
    free = _priced(make_course, "0", ["older_adults"], title="免费长辈课")
    paid = _priced(make_course, "600", ["veterans", "migrant_workers"], title="退役军人技能课",
                   category="vocational")
    other = _priced(make_course, "300", ["enterprise_employees"], title="职工继续教育", category="continuing")
    ids = lambda **params: {c.pk for c in selectors.course_list(**params)}  # noqa: E731
    assert ids(free=True) == {free.pk}
    assert ids(target_group="veterans") == {paid.pk}
    assert ids(target_group="veterans", free=True) == set()
    assert ids() == {free.pk, paid.pk, other.pk}
    page = client.get("/learn/", {"free": "1"}).content.decode()
    assert "免费长辈课" in page and "退役军人技能课" not in page
    page = client.get("/learn/", {"group": "migrant_workers"}).content.decode()
    assert "退役军人技能课" in page and "免费长辈课" not in page and 'value="migrant_workers" selected' in page
    assert "学费 ¥600" in _text(page)


def test_catalog_query_count_does_not_grow_with_courses(client, make_course):
    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/learn/", params).status_code == 200
        return len(ctx)

    _priced(make_course, "0", ["older_adults"])
    _priced(make_course, "500", ["veterans"], category="vocational")
    few = [count({}), count({"free": "1"}), count({"group": "veterans"})]
    for n in range(5):
        _priced(make_course, "0" if n % 2 else "200", ["veterans", "older_adults"])
    assert [count({}), count({"free": "1"}), count({"group": "veterans"})] == few


def test_course_page_query_count_does_not_grow_with_sessions_and_lessons(client, make_course):
    def count(course):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(course.url).status_code == 200
        return len(ctx)

    user = UserFactory()
    client.force_login(user)
    small = make_course(mode="blended", lessons=[lesson("video"), lesson("text")])
    _session(small, timezone.now() + datetime.timedelta(days=1))
    services.enrolment_create(user=user, course=small)
    big = make_course(mode="blended", lessons=[lesson("video"), lesson("text"), lesson("quiz"), lesson("video"),
                                               lesson("audio"), lesson("text")])
    for day in range(1, 9):
        _session(big, timezone.now() + datetime.timedelta(days=day))
    big.target_groups = list(TargetGroup.objects.all())
    big.save_revision().publish()
    services.enrolment_create(user=user, course=big)
    count(small)  # warm caches (site root, translations)
    assert count(big) == count(small)


# --- 1+X exam sittings ------------------------------------------------------------------------------


@pytest.fixture
def x_programme(sections):
    programme = x_programme_create(sections)
    school, cert = programme.provider, programme.certificate
    exam = ExamSession.objects.create(institution=school, certificate=cert, cert_level="junior", programme=programme,
                                      date=timezone.localdate() + datetime.timedelta(days=21), venue="护理实训楼")
    return programme, exam


def test_course_page_shows_the_exam_date_fee_eligibility_and_registration(client, x_programme, sections):
    from tests.courses.factories import create_course

    programme, exam = x_programme
    course = create_course(sections, provider=programme.provider, category="x_certificate",
                           certificate=programme.certificate, cert_level="junior", title="老年照护（初级）证书培训")
    held = ExamSession.objects.create(institution=programme.provider, certificate=programme.certificate,
                                      cert_level="junior", date=timezone.localdate() - datetime.timedelta(days=3))
    page = _text(client.get(course.url).content.decode())
    assert f"{exam.date:%Y-%m-%d} · 老年照护 初级" in page
    assert "考试费 ¥260" in page and "报考条件 完成本项目培训的学员" in page
    assert f'href="{reverse("courses:exams")}?certificate={programme.certificate_id}"' in \
        client.get(course.url).content.decode()
    assert f"{held.date:%Y-%m-%d}" not in page  # a sitting already held is not offered


def test_programme_page_shows_its_fee_and_exam(client, x_programme):
    programme, exam = x_programme
    programme.target_groups = list(TargetGroup.objects.filter(code="unemployed_graduates"))
    programme.save_revision().publish()
    page = _text(client.get(programme.url).content.decode())
    assert "学费 ¥1200" in page and "补贴后 ¥300" in page and "离校未就业高校毕业生" in page
    assert f"{exam.date:%Y-%m-%d}" in page and "考试费 ¥260" in page and "去考试报名" in page


def test_course_without_a_certificate_has_no_exam_section(client, make_course):
    course = make_course()
    assert "1+X 证书考试" not in client.get(course.url).content.decode()


# --- the CMS ----------------------------------------------------------------------------------------


def test_cms_edit_form_has_the_fee_fields_and_empty_means_free(client, make_course):
    from django.contrib.auth.models import Group

    from courses.services.catalog import STAFF_GROUP

    course = make_course()
    teacher = staff_user(institution=course.provider)
    teacher.groups.add(Group.objects.get(name=STAFF_GROUP))
    client.force_login(teacher)
    form = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    for name in ("fee_yuan", "subsidy_yuan", "subsidy_policy", "target_groups", "attendance_required"):
        assert f'name="{name}"' in form
    assert 'name="schedule"' not in form
    from courses.models import CoursePageForm

    form_class = CoursePage.get_edit_handler().get_form_class()
    assert issubclass(form_class, CoursePageForm)
    form = form_class(instance=course, for_user=teacher, parent_page=course.get_parent())
    assert not form.fields["fee_yuan"].required and not form.fields["attendance_required"].required


# --- demo ---------------------------------------------------------------------------------------------


def test_demo_facts_by_rule_and_idempotent(make_course, x_programme):
    from courses.demo_facts import demo_course_facts_apply

    elder = make_course(category="elderly")
    community = make_course(category="community")
    programme, _exam = x_programme
    training = make_course(category="continuing")
    assert demo_course_facts_apply() == 4
    elder, community, training = (CoursePage.objects.get(pk=c.pk) for c in (elder, community, training))
    programme = ProgrammePage.objects.get(pk=programme.pk)
    assert elder.is_free and community.is_free
    assert {g.code for g in elder.target_groups.all()} >= {"older_adults"}
    assert training.fee_yuan == Decimal("360") and training.subsidy_yuan == 0
    assert programme.fee_yuan == Decimal("1200") and programme.subsidy_yuan == Decimal("900")
    assert programme.exam_fee_yuan == Decimal("260") and "veterans" in {g.code for g in programme.target_groups.all()}
    revisions = elder.revisions.count()
    assert demo_course_facts_apply() == 0  # idempotent: nothing changes, no new revision
    assert elder.revisions.count() == revisions
    assert elder.get_latest_revision_as_object().target_groups.count() == elder.target_groups.count()


def test_load_demo_sets_the_facts_and_no_course_page_shows_typed_schedule(client, settings):
    """The demo as loaded: facts by rule on every course; course pages show when they meet only from sessions."""
    from django.core.management import call_command

    from courses.demo_facts import RULES

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    courses = list(CoursePage.objects.live().prefetch_related("target_groups"))
    assert courses
    for course in courses:
        rule = RULES[course.category]
        assert course.fee_yuan == Decimal(rule["fee_yuan"]) and course.subsidy_yuan == Decimal(rule["subsidy_yuan"])
        if course.category in ("elderly", "community"):
            assert course.is_free and course.target_groups.all()
    assert all(p.exam_fee_yuan for p in ProgrammePage.objects.live().filter(certificate__isnull=False))


def test_my_learning_says_what_is_left_like_the_course_page(client, make_course, django_assert_max_num_queries):
    """我的学习 lists, for each course in progress, what stands before completion: the same words as the course
    page, from a constant number of queries however many courses the learner studies."""
    from django.urls import reverse

    course, reading, past, ahead = _blended_with_sessions(make_course)
    user = UserFactory()
    enrolment = services.enrolment_create(user=user, course=course)
    teacher = staff_user(institution=course.provider)
    services.attendance_correct(user=teacher, session=past, learner=enrolment.learner, present=True, reason="补登")
    client.force_login(user)

    page = _text(client.get(reverse("courses:me")).content.decode())
    assert "结业还差" in page and "1 个必修课时或测验：预习" in page
    assert "线下课次还需出席 1 次（已出席 1 次，共需 2 次）" in page
    assert f"下次 {timezone.localtime(ahead.starts_at):%Y-%m-%d %H:%M}" in page

    services.lesson_complete(user=user, enrolment=enrolment, lesson_id=reading["id"])
    page = _text(client.get(reverse("courses:me")).content.decode())
    assert "必修课时或测验" not in page and "线下课次还需出席 1 次" in page

    with django_assert_max_num_queries(40) as few:
        client.get(reverse("courses:me"))
    for _ in range(3):
        other, *_ = _blended_with_sessions(make_course)
        services.enrolment_create(user=user, course=other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("courses:me"))
