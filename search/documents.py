"""What residents can find: courses, programmes, upcoming offline sessions and institutions, built here from the
courses app's reads; news (and later community threads) are registered by their apps through
``bianxue.registry.searchable`` and built by them.

Every builder leaves out what a resident may not see: pages not live or behind a view restriction, sessions that
are cancelled or over, courses of such pages, inactive institutions. A key asked for and not built is deleted from
the index (search.services), so unpublishing is indexing too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bianxue.institutions.models import CertificateLevel, Institution, InstitutionType
from bianxue.registry import SearchDocument, searchable_type_register, searchable_types
from bianxue.vocab import Category
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from courses.models import Mode, ProgrammePage, Session
from courses.selectors import course_list

BATCH = 500


def _msgid(choices, code: str) -> str:
    """The Chinese msgid of a choice's label (translated when results are shown)."""
    if not code:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return str(dict(choices).get(code, code))


def _fee_code(page) -> str:
    if not page.fee_yuan:
        return "free"
    return "subsidised" if (page.subsidy_yuan or page.subsidy_policy) else "paid"


def _district_of(page):
    return getattr(page, "district", None) or page.provider.district


def _common(page, kind: str) -> dict:
    """Facets, labels and facts a course and a programme share."""
    district = _district_of(page)
    groups = list(page.target_groups.all())
    certificate = page.certificate
    facets = {
        "kind": kind, "category": page.category, "district": district.code if district else "",
        "provider": page.provider.code, "certificate": certificate.code if certificate else "",
        "level": page.cert_level, "fee": _fee_code(page), "target_group": [g.code for g in groups],
    }
    labels = {
        f"category:{page.category}": _msgid(Category.choices, page.category),
        f"provider:{page.provider.code}": page.provider.name,
        **({f"district:{district.code}": district.name} if district else {}),
        **({f"certificate:{certificate.code}": certificate.name} if certificate else {}),
        **({f"level:{page.cert_level}": _msgid(CertificateLevel.choices, page.cert_level)} if page.cert_level else {}),
        **{f"target_group:{g.code}": g.name for g in groups},
    }
    facts = {"provider": page.provider.name, "district": district.name if district else "",
             "fee_yuan": str(page.fee_yuan or 0), "subsidy_yuan": str(page.subsidy_yuan or 0)}
    body = [page.provider.name, district.name if district else "", labels[f"category:{page.category}"],
            certificate.name if certificate else "", *(g.name for g in groups)]
    return {"facets": facets, "labels": labels, "facts": facts, "body": body}


def course_documents(ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Published, public courses."""
    qs = course_list().public().select_related("provider__district", "certificate").prefetch_related("target_groups")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for page in qs.iterator(chunk_size=BATCH):
        common = _common(page, "course")
        audiences = list(page.audiences.all())
        common["facets"].update(mode=page.mode, audience=[a.code for a in audiences])
        common["labels"].update({f"mode:{page.mode}": _msgid(Mode.choices, page.mode),
                                 **{f"audience:{a.code}": a.name for a in audiences}})
        common["facts"].update(mode=common["labels"][f"mode:{page.mode}"], venue=page.venue,
                               starts=page.start_date.isoformat() if page.start_date else "")
        yield SearchDocument(
            kind="course", pk=page.pk, title=page.title, url=page.url or "", summary=page.summary,
            body=" ".join([*common["body"], page.venue, *(a.name for a in audiences), page.prerequisites,
                           strip_tags(page.description)]),
            facets=common["facets"], labels=common["labels"], facts=common["facts"], starts_on=page.start_date,
            enrolable=True, enrol_from=page.enrol_opens, enrol_until=page.enrol_closes or page.end_date,
        )


def programme_documents(ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Published, public programmes (1+X certificate training)."""
    qs = (ProgrammePage.objects.live().public().select_related("provider__district", "certificate")
          .prefetch_related("target_groups").order_by("pk"))
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for page in qs.iterator(chunk_size=BATCH):
        common = _common(page, "programme")
        description = strip_tags(page.description)
        yield SearchDocument(
            kind="programme", pk=page.pk, title=page.title, url=page.url or "", summary=description[:200],
            body=" ".join([*common["body"], description]), facets=common["facets"], labels=common["labels"],
            facts=common["facts"],
        )


def session_documents(ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Upcoming, not cancelled sessions of published, public courses."""
    courses = course_list().public().values("pk")
    qs = (Session.objects.filter(starts_at__gte=timezone.now(), cancelled_at__isnull=True, course__in=courses)
          .select_related("course__provider__district", "course__district").order_by("pk"))
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for session in qs.iterator(chunk_size=BATCH):
        course = session.course
        district = _district_of(course)
        starts = timezone.localtime(session.starts_at)
        venue = session.venue or course.venue
        yield SearchDocument(
            kind="session", pk=session.pk, title=f"{course.title} {session.title}".strip(), url=course.url or "",
            summary=venue, body=" ".join([course.provider.name, district.name if district else "", venue]),
            facets={"kind": "session", "category": course.category, "district": district.code if district else "",
                    "mode": course.mode, "provider": course.provider.code},
            labels={f"category:{course.category}": _msgid(Category.choices, course.category),
                    f"mode:{course.mode}": _msgid(Mode.choices, course.mode),
                    f"provider:{course.provider.code}": course.provider.name,
                    **({f"district:{district.code}": district.name} if district else {})},
            facts={"provider": course.provider.name, "district": district.name if district else "", "venue": venue,
                   "starts": starts.isoformat(timespec="minutes")},
            starts_on=starts.date(),
        )


def institution_documents(ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Active institutions; a result opens the catalog with their courses."""
    qs = Institution.objects.filter(is_active=True).select_related("district").order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    catalog = reverse("courses:catalog")
    for institution in qs.iterator(chunk_size=BATCH):
        district = institution.district
        kind_label = _msgid(InstitutionType.choices, institution.type)
        yield SearchDocument(
            kind="institution", pk=institution.pk, title=institution.name, url=f"{catalog}?provider={institution.pk}",
            summary=institution.address, body=" ".join([district.name, kind_label, institution.address]),
            facets={"kind": "institution", "district": district.code, "provider": institution.code},
            labels={f"district:{district.code}": district.name, f"provider:{institution.code}": institution.name},
            facts={"district": district.name, "type": kind_label},
        )


def documents_register() -> None:
    """The kinds the search app builds itself (SearchConfig.ready)."""
    searchable_type_register(kind="course", label=_("课程"), documents=course_documents, model="courses.CoursePage")
    searchable_type_register(kind="programme", label=_("培训项目"), documents=programme_documents,
                             model="courses.ProgrammePage")
    searchable_type_register(kind="session", label=_("线下课次"), documents=session_documents, model="courses.Session")
    searchable_type_register(kind="institution", label=_("机构"), documents=institution_documents,
                             model="institutions.Institution")


def documents_build(*, kind: str, ids: Iterable[int] | None = None) -> list[SearchDocument]:
    for searchable in searchable_types():
        if searchable.kind == kind:
            return list(searchable.documents(ids))
    return []


def documents_all() -> Iterator[SearchDocument]:
    for searchable in searchable_types():
        yield from searchable.documents(None)


def documents_visible(*, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` residents may see now: a last check when results are shown (a query for the view
    restrictions, then one per kind on the page)."""
    from wagtail.models import Page, PageViewRestriction

    by_kind: dict[str, list[int]] = {}
    for key in keys:
        kind, _sep, pk = key.partition(":")
        if pk.isdigit():
            by_kind.setdefault(kind, []).append(int(pk))
    restricted: tuple[str, ...] | None = None
    if {"course", "programme", "session"} & set(by_kind):
        restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    allowed: set[str] = set()
    pages = by_kind.pop("course", []) + by_kind.pop("programme", [])
    if pages:
        for pk, path in Page.objects.live().filter(pk__in=pages).values_list("pk", "path"):
            if not path.startswith(restricted):
                allowed |= {f"course:{pk}", f"programme:{pk}"}
    if ids := by_kind.pop("session", []):
        rows = Session.objects.filter(pk__in=ids, cancelled_at__isnull=True, course__live=True).values_list(
            "pk", "course__path")
        allowed |= {f"session:{pk}" for pk, path in rows if not path.startswith(restricted)}
    if ids := by_kind.pop("institution", []):
        allowed |= {f"institution:{pk}" for pk in Institution.objects.filter(pk__in=ids, is_active=True)
                    .values_list("pk", flat=True)}
    for kind, ids in by_kind.items():
        allowed |= {f"{kind}:{doc.pk}" for doc in documents_build(kind=kind, ids=ids)}
    return allowed
