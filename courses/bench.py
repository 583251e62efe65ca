"""`make bench`: render time and query counts of the catalog (/learn/) and 我的学习 (/learn/me/) with
many courses, lessons and enrolments. Everything is built inside a transaction that is rolled back."""

import os
import statistics
import time
import uuid
from decimal import Decimal


def _timed(client, url: str, repeat: int = 5) -> tuple[float, int, int]:
    """Median milliseconds, query count and status of GET url (the first, warm-up call is not timed)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # with DEBUG the query log is a deque capped at 9,000: a full one would count 0
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times), len(queries), status


def catalog_and_my_learning(n: int | None = None) -> None:
    """n courses (default 300) of 12 lessons each; one learner enrolled in n/10 with progress; 20 others
    enrolled everywhere. Reports median render time and query count of /learn/, a filtered catalog page
    and /learn/me/."""
    from django.db import transaction

    from courses import services

    n = n or int(os.environ.get("BENCH_COURSES", "300"))
    with transaction.atomic():
        sections = {s.category: s for s in services.catalog_setup()["sections"]}
        if sections:
            courses = _courses_build(sections=sections, n=n)
            me = _enrolments_build(courses=courses, n=n)
            _pages_time(me)
        else:
            print("no home page: run `make migrate` first")
        transaction.set_rollback(True)  # nothing built here outlives the benchmark


def _courses_build(*, sections: dict, n: int) -> list:
    """n live text-only courses of 12 lessons, spread over 10 providers and the catalog sections."""
    from bianxue.institutions.models import District, Institution
    from bianxue.vocab import KAIFENG_DISTRICTS

    from courses.models import CoursePage, CourseStats

    code = "410202"
    district, _ = District.objects.get_or_create(code=code, defaults={"name": KAIFENG_DISTRICTS[code][0]})
    providers = [Institution.objects.create(code=f"BENCH-C{i}", name=f"基准机构{i}", type="community_college",
                                            district=district) for i in range(10)]
    categories = list(sections)
    start = time.perf_counter()
    courses = []
    for i in range(n):
        category = categories[i % len(categories)]
        lessons = [{"type": "text", "id": str(uuid.uuid4()),
                    "value": {"title": f"第{j}课", "minutes": 10, "required": True, "body": "<p>正文</p>"}}
                   for j in range(12)]
        course = CoursePage(title=f"基准课程{i}", slug=f"bench-{i}-{uuid.uuid4().hex[:6]}",
                            provider=providers[i % 10], category=category, mode="online",
                            hours=Decimal("8"), lessons=lessons, live=True,
                            certificate=None)
        if category == "x_certificate":
            course.category = "community"
            sections["community"].add_child(instance=course)
        else:
            sections[category].add_child(instance=course)
        courses.append(course)
    CourseStats.objects.bulk_create([CourseStats(course=c) for c in courses], ignore_conflicts=True)
    print(f"built {n} courses × 12 lessons in {time.perf_counter() - start:.1f} s")
    return courses


def _enrolments_build(*, courses: list, n: int):
    """The measured learner (returned) in n/10 courses, half done; 20 others enrolled everywhere."""
    from bianxue.accounts.models import User
    from bianxue.people.services import learner_for_user_get_or_create

    from courses import services
    from courses.models import Enrolment, LessonProgress

    users = [User.objects.create_user(email=f"bench{i}@bench.invalid", password=None) for i in range(21)]
    me = users[0]
    mine = courses[: max(1, n // 10)]
    for course in mine:
        services.enrolment_create(user=me, course=course)
    learners = [learner_for_user_get_or_create(user=u) for u in users[1:]]
    Enrolment.objects.bulk_create([Enrolment(course=c, learner=lr) for c in courses for lr in learners],
                                  batch_size=5000)
    progress = []
    for enrolment in Enrolment.objects.filter(learner__user=me).select_related("course"):
        ids = [item["id"] for item in enrolment.course.lesson_list()]
        progress.extend(LessonProgress(enrolment=enrolment, lesson_id=lid, completed_at=enrolment.created_at)
                        for lid in ids[:6])
    LessonProgress.objects.bulk_create(progress, batch_size=5000)
    print(f"enrolments: {len(mine)} for the learner, {len(learners) * n:,} for 20 others; "
          f"{len(progress)} lesson progress rows")
    return me


def _pages_time(me) -> None:
    from django.test import Client

    client = Client()
    client.force_login(me)
    for label, url in (("catalog /learn/", "/learn/"),
                       ("catalog filtered + popular", "/learn/?category=elderly&sort=popular&page=2"),
                       ("我的学习 /learn/me/", "/learn/me/")):
        ms, queries, status = _timed(client, url)
        print(f"{label}: {ms:.0f} ms median, {queries} queries, HTTP {status}")
