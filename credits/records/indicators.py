"""The plan indicators of ../shared/spec/indicators.md, computed with set-based queries.

``indicators_compute`` issues a fixed number of queries (about a dozen) whatever the data size:
aggregates with COUNT(DISTINCT …) FILTER, Exists subqueries and GROUP BY; never a Python loop
over records. Numerators and denominators are exact integers; values are rounded half-up.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bianxue.institutions.models import District, Institution, Major, MajorCertificate
from bianxue.vocab import KAIFENG_DISTRICTS, LIFELONG_CATEGORIES, TRAINING_RESULTS
from celery import shared_task
from django.conf import settings
from django.db.models import CharField, Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat, ExtractYear
from django.utils import timezone

import credits.selectors as credit_selectors

from .models import IndicatorSnapshot, LearningRecord, StudentRoster
from .registry import catalog_stats

VOCATIONAL = ("secondary_vocational", "higher_vocational")
KAIFENG_DISTRICT_COUNT = 9
FITNESS_FROM = datetime.date(2021, 1, 1)


@dataclass(frozen=True)
class Meta:
    code: str
    key: str
    kind: str  # pct | volume | ratio_pct
    unit: str
    target: float | None
    comparison: str | None
    source: str
    zh: str
    en: str


INDICATORS: tuple[Meta, ...] = (
    Meta("X1", "cert_major_coverage", "pct", "%", 100, ">=", "专栏5", "证书专业覆盖率", "Certificate-linked major coverage"),
    Meta("X2", "cert_training_rate", "pct", "%", 90, ">=", "专栏5", "证书学生培训率", "Certificate training rate"),
    Meta("X3", "cert_attainment_rate", "pct", "%", 60, ">=", "专栏5", "证书在校生取证率", "Certificate attainment rate"),
    Meta("A1", "apprenticeship_share", "pct", "%", 10, ">", "表1, 专栏1", "现代学徒制培养比例", "Apprenticeship share"),
    Meta("V1", "training_person_times", "volume", "person-times", None, None, "五(三)", "培训人次", "Training person-times"),
    Meta("V2", "quality_school_training_ratio", "pct", "%", 100, ">=", "专栏1, 五(三)",
         "优质职业学校年培训人次达在校生2倍的比例", "Quality schools training ≥ 2× enrolment"),
    Meta("L1", "community_college_coverage", "pct", "%", 100, ">=", "七(二)", "社区学院县区覆盖率", "Community college coverage"),
    Meta("L2", "elderly_center_coverage", "pct", "%", 100, ">=", "七(三)", "老年教育中心县区覆盖率", "Elderly centre coverage"),
    Meta("L3", "lifelong_participants", "volume", "learners", None, None, "专栏8", "终身学习参与人数", "Lifelong learning participants"),
    Meta("L4", "elderly_participation_rate", "pct", "%", None, None, "七(三)", "老年人参与学习比例", "Elderly participation rate"),
    Meta("L5", "elderly_smart_tech_person_times", "volume", "person-times", None, None, "七(三)",
         "老年人智能技术培训人次", "Elderly smart-technology person-times"),
    Meta("L6", "fitness_leaders_trained", "volume", "learners", 5000, ">=", "七(一)", "培训健身骨干人数（2021年起累计）",
         "Fitness leaders trained since 2021"),
    Meta("L7", "rural_labor_person_times", "volume", "person-times", 11800, ">=", "一(一)", "农村劳动力转移培训人次",
         "Rural labour transfer training person-times"),
    Meta("L8", "online_lifelong_courses", "volume", "courses", None, None, "专栏8", "终身教育线上课程数", "Online lifelong-learning courses"),
    Meta("C1", "credit_accounts", "volume", "accounts", None, None, "五(三)", "学分银行有效账户", "Credit bank accounts with outcomes"),
    Meta("C2", "credits_deposited", "volume", "credits", None, None, "", "年度存入学分（净）", "Credits deposited (net)"),
    Meta("C3", "conversion_rate", "pct", "%", None, None, "", "学分转换率", "Credit conversion rate"),
)
META_BY_CODE = {m.code: m for m in INDICATORS}


def round_half_up(value: Decimal, places: int) -> float:
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percent(numerator: int, denominator: int | None) -> float | None:
    if not denominator:
        return None
    return round_half_up(Decimal(100 * numerator) / Decimal(denominator), 1)


def ratio(numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    return round_half_up(Decimal(numerator) / Decimal(denominator), 2)


def _met(value, target, comparison):
    if value is None or target is None:
        return None
    return value > target if comparison == ">" else value >= target


@dataclass(frozen=True)
class Scope:
    level: str  # city | district | institution
    code: str = ""
    name: str = ""
    district_code: str | None = None
    institution_id: int | None = None

    def as_json(self) -> dict:
        out = {"level": self.level}
        if self.level != "city":
            out.update(code=self.code, name=self.name)
        return out


def scope_resolve(*, district_code: str | None = None, institution_code: str | None = None) -> Scope:
    """The scope for a district or institution code (raises LookupError when unknown)."""
    if institution_code:
        inst = Institution.objects.filter(code=institution_code).values("id", "name", "district_id").first()
        if inst is None:
            # Both languages: only the indicators command (the command line) resolves codes.
            raise LookupError(f"未知的机构代码 {institution_code}。Unknown institution code {institution_code}.")
        return Scope("institution", institution_code, inst["name"], inst["district_id"], inst["id"])
    if district_code:
        name = District.objects.filter(code=district_code).values_list("name", flat=True).first()
        if name is None:
            if district_code not in KAIFENG_DISTRICTS:
                raise LookupError(f"未知的县区代码 {district_code}。Unknown district code {district_code}.")
            name = KAIFENG_DISTRICTS[district_code][0]
        return Scope("district", district_code, name, district_code, None)
    return Scope("city")


# --- building blocks shared with the drill-down ------------------------------------------------

def person_time():
    """One person-time: a distinct (learner, institution, programme)."""
    return Concat(Cast("learner_id", CharField()), Value("|"), Cast("institution_id", CharField()), Value("|"),
                  "programme_code", output_field=CharField())


def year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def vocational_schools(scope: Scope):
    qs = Institution.objects.filter(type__in=VOCATIONAL)
    if scope.level == "district":
        qs = qs.filter(district_id=scope.district_code)
    elif scope.level == "institution":
        qs = qs.filter(id=scope.institution_id)
    return qs


def institution_q(scope: Scope, prefix: str = "") -> Q:
    """Records of institutions located in the scope (V1, L5, L7)."""
    if scope.level == "district":
        return Q(**{f"{prefix}institution__district_id": scope.district_code})
    if scope.level == "institution":
        return Q(**{f"{prefix}institution_id": scope.institution_id})
    return Q()


def learner_q(scope: Scope) -> Q:
    """Records whose learner is in scope (L3, L4, L6): the district the record gives."""
    if scope.level == "district":
        return Q(district_code=scope.district_code)
    if scope.level == "institution":
        return Q(institution_id=scope.institution_id)
    return Q()


def training_records():
    return LearningRecord.objects.filter(kind="training", result__in=list(TRAINING_RESULTS))


def certificate_linked():
    return Exists(MajorCertificate.objects.filter(major_id=OuterRef("major_id")))


def roster_flags(year: int) -> dict:
    """Exists expressions over a roster row: certificate-linked major, x_certificate training, passed exam in Y."""
    start, end = year_range(year)
    return {
        "linked": certificate_linked(),
        "trained": Exists(training_records().filter(learner_id=OuterRef("learner_id"), category="x_certificate",
                                                    date__range=(start, end))),
        "passed": Exists(LearningRecord.objects.filter(learner_id=OuterRef("learner_id"), kind="exam", result="passed",
                                                       category="x_certificate", date__range=(start, end))),
    }


def roster_in_scope(year: int, scope: Scope):
    return StudentRoster.objects.filter(year=year, institution__in=vocational_schools(scope))


def elderly_q(year: int) -> Q:
    return Q(birth_year__isnull=False, birth_year__lte=year - 60)


def indicator_record_filter(code: str, year: int, scope: Scope) -> Q | None:
    """The records behind a record-based indicator (also used by the drill-down)."""
    start, end = year_range(year)
    in_year = Q(date__range=(start, end))
    filters = {
        "V1": in_year & institution_q(scope),
        "L3": in_year & learner_q(scope) & Q(category__in=list(LIFELONG_CATEGORIES)),
        "L4": in_year & learner_q(scope) & elderly_q(year),
        "L5": in_year & institution_q(scope) & Q(category="smart_tech") & elderly_q(year),
        "L6": Q(date__range=(FITNESS_FROM, end)) & learner_q(scope) & Q(category="fitness_leader"),
        "L7": in_year & institution_q(scope) & Q(category="rural_labor"),
        "V2": in_year & Q(institution__in=vocational_schools(scope).filter(quality_vocational=True)),
    }
    return filters.get(code)


# --- the computation -----------------------------------------------------------------------------

def indicators_compute(*, year: int, scope: Scope | None = None) -> dict:
    """Every indicator of the spec, in table order, for ``year`` and ``scope`` (city by default).

    Each group of indicators is one aggregate: ``n`` gets (numerator, denominator) per code,
    ``extra`` the breakdowns and notes that go with some of them."""
    scope = scope or Scope("city")
    n: dict[str, tuple] = {}
    extra: dict[str, dict] = {}
    _vocational_counts(n, year, scope)
    _training_counts(n, extra, year, scope)
    _quality_school_counts(n, extra, year, scope)
    _coverage_counts(n)
    _catalog_counts(n, extra, year, scope)
    _credit_counts(n, year, scope)
    indicators = []
    for meta in INDICATORS:
        numerator, denominator = n[meta.code]
        if meta.kind == "volume":
            value = numerator
        else:
            value = percent(numerator, denominator) if numerator is not None else None
        item = {"code": meta.code, "key": meta.key, "value": value, "unit": meta.unit, "numerator": numerator,
                "denominator": denominator, "target": meta.target, "comparison": meta.comparison,
                "met": _met(value, meta.target, meta.comparison), "source": meta.source}
        item.update(extra.get(meta.code, {}))
        indicators.append(item)
    return _jsonable({"year": year, "scope": scope.as_json(), "indicators": indicators})


def _scope_district(scope: Scope) -> str | None:
    return scope.district_code if scope.level == "district" else None


def _vocational_counts(n: dict, year: int, scope: Scope) -> None:
    """X1 (certificate-linked majors of vocational schools in scope); X2, X3, A1 (the in-school
    population P(Y) and P_x(Y), one aggregate)."""
    linked = Exists(MajorCertificate.objects.filter(major_id=OuterRef("pk")))
    m = Major.objects.filter(institution__in=vocational_schools(scope)).aggregate(
        total=Count("id"), linked=Count("id", filter=Q(linked)))
    n["X1"] = (m["linked"], m["total"])
    flags = roster_flags(year)
    r = roster_in_scope(year, scope).aggregate(
        p=Count("learner_id", distinct=True),
        a=Count("learner_id", distinct=True, filter=Q(apprenticeship=True)),
        px=Count("learner_id", distinct=True, filter=Q(flags["linked"])),
        x2=Count("learner_id", distinct=True, filter=Q(flags["linked"]) & Q(flags["trained"])),
        x3=Count("learner_id", distinct=True, filter=Q(flags["linked"]) & Q(flags["passed"])),
    )
    n["X2"] = (r["x2"], r["px"])
    n["X3"] = (r["x3"], r["px"])
    n["A1"] = (r["a"], r["p"])


def _training_counts(n: dict, extra: dict, year: int, scope: Scope) -> None:
    """V1, L3–L7: one aggregate over training records (plus the by-category breakdowns of V1 and L3)."""
    start, end = year_range(year)
    pt = person_time()
    base = training_records().filter(date__range=(min(FITNESS_FROM, start), end))
    f = {code: indicator_record_filter(code, year, scope) for code in ("V1", "L3", "L4", "L5", "L6", "L7")}
    agg = base.aggregate(
        V1=Count(pt, distinct=True, filter=f["V1"]),
        L3=Count("learner_id", distinct=True, filter=f["L3"]),
        L4=Count("learner_id", distinct=True, filter=f["L4"]),
        L5=Count(pt, distinct=True, filter=f["L5"]),
        L6=Count("learner_id", distinct=True, filter=f["L6"]),
        L7=Count(pt, distinct=True, filter=f["L7"]),
    )
    for code in ("V1", "L3", "L5", "L6", "L7"):
        n[code] = (agg[code], None)
    n["L4"] = (agg["L4"], settings.ELDERLY_POPULATION)
    extra["V1"] = {"by_category": dict(
        base.filter(f["V1"]).values("category").annotate(n=Count(pt, distinct=True)).order_by("category")
        .values_list("category", "n"))}
    extra["L3"] = {"by_category": dict(
        base.filter(f["L3"]).values("category").annotate(n=Count("learner_id", distinct=True)).order_by("category")
        .values_list("category", "n"))}


def _quality_school_counts(n: dict, extra: dict, year: int, scope: Scope) -> None:
    """V2: quality vocational schools in scope, enrolment and person-times per school."""
    start, end = year_range(year)
    pt = person_time()
    quality = vocational_schools(scope).filter(quality_vocational=True)
    enrolment = dict(StudentRoster.objects.filter(year=year, institution__in=quality).values("institution__code")
                     .annotate(n=Count("learner_id", distinct=True)).values_list("institution__code", "n"))
    times = dict(training_records().filter(date__range=(start, end), institution__in=quality)
                 .values("institution__code").annotate(n=Count(pt, distinct=True)).values_list("institution__code", "n"))
    by_institution = [
        {"institution": code, "numerator": times.get(code, 0), "denominator": size, "value": ratio(times.get(code, 0), size),
         "met": times.get(code, 0) >= 2 * size}
        for code, size in sorted(enrolment.items()) if size > 0
    ]
    n["V2"] = (sum(1 for row in by_institution if row["met"]), len(by_institution))
    extra["V2"] = {"by_institution": by_institution}


def _coverage_counts(n: dict) -> None:
    """L1, L2: districts covered, always city-wide."""
    cover = Institution.objects.filter(is_active=True).aggregate(
        l1=Count("district_id", distinct=True, filter=Q(type="community_college")),
        l2=Count("district_id", distinct=True, filter=Q(type__in=["elderly_center", "elderly_university"])),
    )
    n["L1"] = (cover["l1"], KAIFENG_DISTRICT_COUNT)
    n["L2"] = (cover["l2"], KAIFENG_DISTRICT_COUNT)


def _catalog_counts(n: dict, extra: dict, year: int, scope: Scope) -> None:
    """L8: the catalog, through the registry (the courses app provides it)."""
    now = catalog_stats(year=year, district_code=_scope_district(scope), institution_id=scope.institution_id)
    if now is None:
        n["L8"] = (None, None)
        # Both languages: stored in the snapshot, computed outside any request.
        extra["L8"] = {"available": False, "note": "课程目录未接入。The catalog is not connected."}
        return
    before = catalog_stats(year=year - 1, district_code=_scope_district(scope),
                           institution_id=scope.institution_id) or {}
    n["L8"] = (int(now.get("courses", 0)), None)
    extra["L8"] = {"lesson_hours": now.get("lesson_hours", 0),
                   "previous": {"year": year - 1, "courses": before.get("courses"),
                                "lesson_hours": before.get("lesson_hours")},
                   "change": (int(now.get("courses", 0)) - int(before["courses"])) if before.get("courses") is not None else None}


def _credit_counts(n: dict, year: int, scope: Scope) -> None:
    """C1–C3: the credit bank's counts, through its selector."""
    c = credit_selectors.credit_indicator_counts(year=year, district_code=_scope_district(scope),
                                                 institution_id=scope.institution_id)
    n["C1"] = (c.get("C1"), None)
    n["C2"] = (c.get("C2"), None)
    n["C3"] = (c.get("C3_numerator"), c.get("C3_denominator"))


def _jsonable(value):
    """Decimals (credits, lesson hours) as JSON numbers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# --- snapshots -----------------------------------------------------------------------------------

def available_years() -> list[int]:
    """Years with any record or roster row (for trends and snapshots)."""
    years = set(StudentRoster.objects.values_list("year", flat=True).distinct())
    years |= set(LearningRecord.objects.annotate(y=ExtractYear("date")).values_list("y", flat=True).distinct())
    return sorted(y for y in years if y)


def snapshot_store(*, year: int, scope: Scope) -> IndicatorSnapshot:
    data = indicators_compute(year=year, scope=scope)
    snapshot, _ = IndicatorSnapshot.objects.update_or_create(
        year=year, level=scope.level, code=scope.code, defaults={"data": data, "taken_at": timezone.now()})
    return snapshot


def snapshots_refresh(*, years: list[int] | None = None, institutions: bool = True) -> int:
    """Recompute snapshots for every available year: the city, the nine districts and every institution
    with data. Safe to run twice (update_or_create)."""
    years = years or available_years() or [timezone.localdate().year]
    scopes = [Scope("city")]
    names = dict(District.objects.values_list("code", "name"))
    scopes += [Scope("district", code, names.get(code, name), code) for code, (name, _) in KAIFENG_DISTRICTS.items()]
    if institutions:
        ids = set(StudentRoster.objects.values_list("institution_id", flat=True).distinct())
        ids |= set(LearningRecord.objects.values_list("institution_id", flat=True).distinct())
        for inst in Institution.objects.filter(id__in=ids).values("id", "code", "name", "district_id"):
            scopes.append(Scope("institution", inst["code"], inst["name"], inst["district_id"], inst["id"]))
    count = 0
    for year in years:
        for scope in scopes:
            snapshot_store(year=year, scope=scope)
            count += 1
    return count


@shared_task(name="credits.records.tasks.indicator_snapshots_refresh")
def indicator_snapshots_refresh(years: list[int] | None = None) -> int:
    """Recompute the indicator snapshots (city, districts, institutions with data) for ``years``
    (every year with data when None: the nightly beat run)."""
    return snapshots_refresh(years=years)
