"""Demo catalog: the courses of demo_catalog.py and demo_catalog_work.py (52 courses of Kaifeng's providers in all
nine districts and every category, six 1+X programmes with exam sittings), published as the CMS publishes them.

Idempotent and quick to run again: a course whose content is unchanged is not published again; sessions are
planned from each course's weekly pattern (daytime, Asia/Shanghai) and synchronised in bulk (a planned session
that exists is kept, one no longer planned is deleted unless someone attended it); course dates follow the plan.
Video lessons play a small bundled sample (20-second VP9/Opus WebM title card, courses/make_sample_video.sh) with
WebVTT captions; audio lessons (a 12-second WAV tone) carry a transcript.
"""

import datetime
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from bianxue.accounts.models import User
from bianxue.institutions.models import Certificate, Institution
from django.utils import timezone

from .demo_catalog import (
    COMMUNITY,
    ELDERLY,
    OPEN_UNIVERSITY,
    SAMPLE_AUDIO,
    SAMPLE_CAPTIONS,
    SAMPLE_VIDEO,
    SMART_TECH,
)
from .demo_catalog_work import CONTINUING, FITNESS, RURAL_LABOR, VOCATIONAL, X_PROGRAMMES
from .models import (
    Attendance,
    Audience,
    CourseIndexPage,
    CoursePage,
    CourseStats,
    Enrolment,
    ExamRegistration,
    ExamSession,
    ProgrammePage,
    Session,
)
from .services import catalog_setup

__all__ = ["COURSES", "SAMPLE_AUDIO", "SAMPLE_CAPTIONS", "SAMPLE_VIDEO", "X_PROGRAMMES", "load"]

COURSES = [*ELDERLY, *SMART_TECH, *COMMUNITY, *OPEN_UNIVERSITY, *VOCATIONAL, *CONTINUING, *RURAL_LABOR, *FITNESS]
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Categories without a catalog section of their own go under the nearest section (and move to their own section
# once there is one).
SECTION_FALLBACK = {"smart_tech": "elderly", "rural_labor": "vocational", "fitness_leader": "community"}
LEARNER_ENROLLED_IN = ["smartphone-for-elders"]  # the demo learner's "继续学习"


def _id(slug: str, n: int) -> str:
    """Stable lesson ids, so reloading the demo keeps learners' progress."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bianxue-demo/{slug}/{n}"))


def _stream(slug: str, lessons) -> list[dict]:
    return [{"type": t, "value": v, "id": _id(slug, n)} for n, (t, v) in enumerate(lessons)]


def _plain(value):
    """Stored StreamField data without ListBlock item wrappers, comparable with the specs' lessons."""
    if isinstance(value, list):
        return [_plain(v["value"]) if isinstance(v, dict) and v.get("type") == "item" and "value" in v else _plain(v)
                for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def plan_sessions(spec: dict, *, index: int, week: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The sessions of a course from its weekly pattern: starting last week, this week or next (by its place in the
    catalog), on its weekdays at its daytime hours in Asia/Shanghai."""
    if not spec["weekly"]:
        return []
    weekdays, start, end, count = spec["weekly"]
    starts, ends = datetime.time.fromisoformat(start), datetime.time.fromisoformat(end)
    day = week + datetime.timedelta(weeks=index % 3 - 1)
    slots = []
    while len(slots) < count:
        if day.weekday() in weekdays:
            slots.append((datetime.datetime.combine(day, starts, SHANGHAI), datetime.datetime.combine(day, ends, SHANGHAI)))
        day += datetime.timedelta(days=1)
    return slots


def _fields(spec: dict, provider: Institution, slots: list, week: datetime.date, certificate=None, level="") -> dict:
    if slots:
        start, end = slots[0][0].date(), slots[-1][0].date()
        opens, closes = start - datetime.timedelta(days=28), min(end, start + datetime.timedelta(days=14))
    else:
        start, end = week - datetime.timedelta(days=14), week + datetime.timedelta(days=180)
        opens, closes = week - datetime.timedelta(days=30), end - datetime.timedelta(days=30)
    return {
        "title": spec["title"], "code": spec["slug"], "provider_id": provider.pk, "category": spec["category"],
        "mode": spec["mode"], "hours": Decimal(spec["hours"]), "summary": spec["summary"],
        "district_id": provider.district_id, "description": f"<p>{spec['summary']}</p><p>{spec['about']}</p>",
        "venue": spec["venue"], "capacity": spec["capacity"], "prerequisites": spec["prerequisites"],
        "credits": Decimal(spec["credits"]) if spec["credits"] else None,
        "start_date": start, "end_date": end, "enrol_opens": opens, "enrol_closes": closes,
        "certificate_id": certificate.pk if certificate else None, "cert_level": level,
    }


def _unchanged(page, fields: dict, stream: list | None = None, audiences: set | None = None) -> bool:
    if not page.live or page.has_unpublished_changes:
        return False
    if any(getattr(page, key) != value for key, value in fields.items()):
        return False
    if stream is not None and _plain(list(page.lessons.raw_data)) != stream:
        return False
    return audiences is None or {a.code for a in page.audiences.all()} == audiences


def _publish(parent, page, fields: dict, existing=None, audiences=None):
    """Create or update the page with ``fields`` and publish it as the CMS does (one revision)."""
    if existing is None:
        page = page(**fields)
        parent.add_child(instance=page)
    else:
        page = existing
        for key, value in fields.items():
            setattr(page, key, value)
        page.save()
    if audiences is not None:
        page.audiences.set(Audience.objects.filter(code__in=audiences))
    page.save_revision().publish()
    return page


def _course(parent, spec: dict, ctx: dict, slots: list, certificate=None, level="") -> tuple[CoursePage, bool] | None:
    provider = ctx["providers"].get(spec["provider"])
    if provider is None:
        return None
    fields = _fields(spec, provider, slots, ctx["week"], certificate, level)
    stream = _stream(spec["slug"], spec["lessons"])
    audiences = set(spec["audiences"])
    existing = ctx["courses"].get(spec["slug"])
    if existing is not None and existing.get_parent().pk != parent.pk:
        existing.move(parent, pos="last-child")  # e.g. its category got a section of its own
        existing = CoursePage.objects.get(pk=existing.pk)
    if existing is not None and _unchanged(existing, fields, stream, audiences):
        return existing, False
    return _publish(parent, CoursePage, {**fields, "slug": spec["slug"], "lessons": stream}, existing, audiences), True


def _programme(parent, spec: tuple, ctx: dict):
    slug, title, provider_code, cert_code, level, description, _courses, _sittings = spec
    provider, certificate = ctx["providers"].get(provider_code), ctx["certificates"].get(cert_code)
    if provider is None or certificate is None:
        return None, None
    fields = {"title": title, "provider_id": provider.pk, "category": "x_certificate",
              "certificate_id": certificate.pk, "cert_level": level, "description": f"<p>{description}</p>"}
    existing = ProgrammePage.objects.filter(slug=slug).first()
    if existing is not None and _unchanged(existing, fields):
        return existing, certificate
    return _publish(parent, ProgrammePage, {**fields, "slug": slug}, existing), certificate


def sessions_sync(plans: dict[int, tuple[list, str]]) -> tuple[int, int]:
    """Make the sessions of these courses the planned ones, in bulk: {course_id: (slots, venue)}. Keeps planned
    sessions that exist and unplanned ones someone attended; returns (created, deleted)."""
    wanted = {(course_id, s, e): (n, venue) for course_id, (slots, venue) in plans.items()
              for n, (s, e) in enumerate(slots, start=1)}
    attended = set(Attendance.objects.filter(session__course_id__in=list(plans)).values_list("session_id", flat=True))
    kept, stale = set(), []
    for pk, course_id, starts, ends in Session.objects.filter(course_id__in=list(plans)).values_list(
            "pk", "course_id", "starts_at", "ends_at"):
        key = (course_id, starts, ends)
        if key in wanted and key not in kept:
            kept.add(key)
        elif pk not in attended:
            stale.append(pk)
    deleted = Session.objects.filter(pk__in=stale).delete()[0] if stale else 0
    new = [Session(course_id=course_id, title=f"第 {n} 次课", starts_at=s, ends_at=e, venue=venue)
           for (course_id, s, e), (n, venue) in wanted.items() if (course_id, s, e) not in kept]
    Session.objects.bulk_create(new)
    return len(new), deleted


# The course with a session on the day the demo is loaded, around the time it is loaded (in the daytime), so that
# the class QR code and the learners' check-in can be tried at once: its teacher is teacher@demo (开封老年大学).
TODAYS_SESSION_COURSE = "smartphone-for-elders"


def todays_session_slot(*, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """A two-hour session that is under way at ``now`` in the daytime in Kaifeng (loaded 08:30–14:59: it began on
    the half hour before and ends by 17:00), else the next morning at 09:00 (elders' classes are not at night)."""
    local = now.astimezone(SHANGHAI)
    if datetime.time(8, 30) <= local.time() < datetime.time(15, 0):
        starts = local.replace(minute=0 if local.minute < 30 else 30, second=0, microsecond=0)
    else:
        day = local.date() + datetime.timedelta(days=1 if local.time() >= datetime.time(15, 0) else 0)
        starts = datetime.datetime.combine(day, datetime.time(9, 0), SHANGHAI)
    return starts, starts + datetime.timedelta(hours=2)


# Candidates registered for the demo sitting held yesterday (valid resident ID numbers, made-up people).
DEMO_CANDIDATES = [("410221199003150021", "李春燕"), ("41020419881102003X", "赵建国")]


def _sitting_date(days: int, today: datetime.date) -> datetime.date:
    """A past sitting ``days`` ago; a coming one on the first Saturday at least ``days`` ahead."""
    date = today + datetime.timedelta(days=days)
    return date if days < 0 else date + datetime.timedelta(days=(5 - date.weekday()) % 7)


def _exam_sittings(programme, certificate, level: str, sittings: list) -> int:
    """The programme's sittings at its school (an exam site for the certificate, see credits.demo.EXAM_SITES): a
    held one has registered candidates (results may be entered for them); a coming one is open for registration.
    Returns how many were created."""
    from bianxue.people.services import learner_for_user_get_or_create, learner_get_or_create

    today, created = timezone.localdate(), 0
    for days, venue in sittings:
        past = days < 0
        same = ExamSession.objects.filter(programme=programme, **{"date__lt" if past else "date__gte": today})
        sitting = same.first()
        if sitting is None:
            sitting = ExamSession.objects.create(institution_id=programme.provider_id, certificate=certificate,
                                                 cert_level=level, programme=programme,
                                                 date=_sitting_date(days, today), venue=venue)
            created += 1
        if past:
            candidates = [learner_get_or_create(identifier=number, name=name) for number, name in DEMO_CANDIDATES]
            learner_user = User.objects.filter(email="learner@demo.bianxue.cn").first()
            if learner_user is not None:
                candidates.append(learner_for_user_get_or_create(user=learner_user))
            ExamRegistration.objects.bulk_create([ExamRegistration(exam_session=sitting, learner=learner)
                                                  for learner in candidates], ignore_conflicts=True)
    return created


def _context() -> dict:
    slugs = [c["slug"] for c in COURSES] + [c["slug"] for p in X_PROGRAMMES for c in p[6]]
    codes = {c["provider"] for c in COURSES} | {p[2] for p in X_PROGRAMMES}
    today = timezone.localdate()
    return {
        "providers": {i.code: i for i in Institution.objects.filter(code__in=codes)},
        "certificates": {c.code: c for c in Certificate.objects.filter(code__in=[p[3] for p in X_PROGRAMMES])},
        "courses": {c.slug: c for c in CoursePage.objects.filter(slug__in=slugs).prefetch_related("audiences")},
        "week": today - datetime.timedelta(days=today.weekday()),
    }


def load(*, stdout) -> None:
    from credits.demo import exam_sites_load

    setup = catalog_setup()
    sections = {s.category: s for s in setup["sections"]}
    if not sections:
        stdout.write("  courses: no home page yet, catalog not loaded")
        return
    for section in CourseIndexPage.objects.live().exclude(category="").exclude(category__in=list(sections)):
        sections[section.category] = section  # a section added in the CMS for a category of its own
    exam_sites_load()
    ctx, made, plans, published, sittings = _context(), {}, {}, 0, 0
    for index, spec in enumerate(COURSES):
        parent = sections.get(spec["category"]) or sections[SECTION_FALLBACK.get(spec["category"], "community")]
        slots = plan_sessions(spec, index=index, week=ctx["week"])
        result = _course(parent, spec, ctx, slots)
        if result:
            made[spec["slug"]], changed = result
            published += changed
            plans[result[0].pk] = (slots, spec["venue"])
    for index, programme_spec in enumerate(X_PROGRAMMES):
        programme, certificate = _programme(sections["x_certificate"], programme_spec, ctx)
        if programme is None:
            continue
        level = programme_spec[4]
        for spec in programme_spec[6]:
            slots = plan_sessions(spec, index=index, week=ctx["week"])
            result = _course(programme, spec, ctx, slots, certificate=certificate, level=level)
            if result:
                made[spec["slug"]], changed = result
                published += changed
                plans[result[0].pk] = (slots, spec["venue"])
        sittings += _exam_sittings(programme, certificate, level, programme_spec[7])
    today = made.get(TODAYS_SESSION_COURSE)
    if today is not None and today.pk in plans:
        slots, venue = plans[today.pk]
        plans[today.pk] = ([*slots, todays_session_slot(now=timezone.now())], venue)
    created, deleted = sessions_sync(plans)
    CourseStats.objects.bulk_create([CourseStats(course_id=c.pk) for c in made.values()], ignore_conflicts=True)
    _learner_enrolments(made)
    _demo_groups(setup)
    stdout.write(f"  courses: {len(made)} courses ({published} published now) in {len(sections)} sections; "
                 f"sessions {created} new, {deleted} no longer planned; {sittings} new exam sittings; moderation "
                 f"workflow “{setup['workflow'].name}”")


def _learner_enrolments(made: dict) -> None:
    """The demo learner is enrolled in the smartphone course, so 我的学习 and 继续学习 have something to show."""
    from .services import enrolment_create

    user = User.objects.filter(email="learner@demo.bianxue.cn").first()
    if user is None:
        return
    enrolled = set(Enrolment.objects.filter(learner__user=user).values_list("course_id", flat=True))
    for slug in LEARNER_ENROLLED_IN:
        if slug in made and made[slug].pk not in enrolled:
            enrolment_create(user=user, course=made[slug])


def _demo_groups(setup) -> None:
    """Put the demo staff and bureau logins in the editor groups (if the accounts loader has not)."""
    for email, group in (("teacher@demo.bianxue.cn", setup["staff_group"]),
                         ("registrar@demo.bianxue.cn", setup["staff_group"]),
                         ("bureau@demo.bianxue.cn", setup["bureau_group"])):
        user = User.objects.filter(email=email).first()
        if user is not None:
            user.groups.add(group)
