"""Reads for the dashboard: snapshots, trends, the district chart, drill-downs (keyset pages)."""

from bianxue.accounts.selectors import institutions_for_user, user_is_bureau_admin
from bianxue.institutions.models import Institution, Major, MajorCertificate
from bianxue.people.identifiers import name_mask
from bianxue.vocab import KAIFENG_DISTRICTS, Category, RecordResult
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from .indicators import (
    Scope,
    available_years,
    indicator_record_filter,
    roster_flags,
    roster_in_scope,
    snapshot_store,
    training_records,
    vocational_schools,
)
from .models import IndicatorSnapshot

PAGE_SIZE = 50
RECORD_CODES = ("V1", "V2", "L3", "L4", "L5", "L6", "L7")
ROSTER_CODES = ("X2", "X3", "A1")


def dashboard_scopes(*, user) -> tuple[bool, list[Institution]]:
    """(is bureau admin, institutions whose own figures the user may read). Raises PermissionDenied."""
    if user_is_bureau_admin(user=user):
        return True, []
    institutions = list(institutions_for_user(user=user).order_by("code"))
    if not institutions:
        raise PermissionDenied(_("只有教育局管理员和机构工作人员可以查看指标。"))
    return False, institutions


def scope_for_user(*, user, district_code: str = "", institution_code: str = "") -> Scope:
    is_admin, institutions = dashboard_scopes(user=user)
    if not is_admin:
        chosen = next((i for i in institutions if i.code == institution_code), institutions[0])
        return Scope("institution", chosen.code, chosen.name, chosen.district_id, chosen.pk)
    if institution_code:
        inst = Institution.objects.filter(code=institution_code).first()
        if inst:
            return Scope("institution", inst.code, inst.name, inst.district_id, inst.pk)
    if district_code in KAIFENG_DISTRICTS:
        return Scope("district", district_code, KAIFENG_DISTRICTS[district_code][0], district_code)
    return Scope("city")


def snapshot_get(*, year: int, scope: Scope) -> IndicatorSnapshot:
    """The stored snapshot, computed and stored on first request."""
    snapshot = IndicatorSnapshot.objects.filter(year=year, level=scope.level, code=scope.code).first()
    return snapshot or snapshot_store(year=year, scope=scope)


def trend(*, scope: Scope) -> dict[str, list[tuple[int, float | None]]]:
    """{indicator code: [(year, value)]} over the years with snapshots of this scope (one query)."""
    out: dict[str, list] = {}
    for year, data in IndicatorSnapshot.objects.filter(level=scope.level, code=scope.code).order_by("year").values_list(
        "year", "data"
    ):
        for item in data["indicators"]:
            out.setdefault(item["code"], []).append((year, item["value"]))
    return out


def district_values(*, year: int, code: str) -> list[dict]:
    """One indicator across the nine districts from their snapshots (one query)."""
    data = dict(IndicatorSnapshot.objects.filter(year=year, level="district").values_list("code", "data"))
    rows = []
    for district, (name, _label) in KAIFENG_DISTRICTS.items():
        item = next((i for i in data.get(district, {}).get("indicators", []) if i["code"] == code), None)
        rows.append({"code": district, "name": name, "value": item["value"] if item else None,
                     "numerator": item["numerator"] if item else None,
                     "denominator": item["denominator"] if item else None})
    return rows


def years_for_dashboard() -> list[int]:
    return available_years()


def drilldown(*, code: str, year: int, scope: Scope, after: int = 0, size: int = PAGE_SIZE, limit: bool = True):
    """(columns, rows, next_after) for the learners or records behind an indicator. Keyset pagination on id;
    identifiers masked (Learner.id_masked), names masked. ``limit=False`` returns every row (export)."""
    yes = {True: _("是"), False: _("否")}
    if code in RECORD_CODES:
        qs = training_records().filter(indicator_record_filter(code, year, scope)).select_related("institution", "learner")
        columns = [_("记录编号"), _("机构"), _("学员"), _("姓名"), _("类别"), _("项目"), _("日期"), _("结果"),
                   _("出生年份"), _("县区")]
        categories, results = dict(Category.choices), dict(RecordResult.choices)

        def row(r):
            return [r.record_id, r.institution.name, r.learner.id_masked, name_mask(r.name),
                    str(categories.get(r.category, r.category)), r.programme_code, r.date.isoformat(),
                    str(results.get(r.result, r.result)), r.birth_year, r.district_code]
    elif code in ROSTER_CODES:
        flags = roster_flags(year)
        qs = roster_in_scope(year, scope).annotate(**flags).select_related("institution", "learner", "major")
        if code in ("X2", "X3"):
            qs = qs.filter(flags["linked"])
        columns = [_("机构"), _("学员"), _("姓名"), _("专业"), _("书证融通"), _("1+X培训"), _("1+X取证"),
                   _("现代学徒制")]

        def row(r):
            return [r.institution.name, r.learner.id_masked, name_mask(r.name), r.major.name, yes[r.linked],
                    yes[r.trained], yes[r.passed], yes[r.apprenticeship]]
    elif code == "X1":
        qs = Major.objects.filter(institution__in=vocational_schools(scope)).annotate(
            linked=Exists(MajorCertificate.objects.filter(major_id=OuterRef("pk")))
        ).select_related("institution")
        columns = [_("机构"), _("专业代码"), _("专业名称"), _("书证融通")]

        def row(m):
            return [m.institution.name, m.code, m.name, yes[m.linked]]
    elif code in ("L1", "L2"):
        types = ["community_college"] if code == "L1" else ["elderly_center", "elderly_university"]
        qs = Institution.objects.filter(type__in=types, is_active=True).select_related("district")
        columns = [_("机构代码"), _("名称"), _("机构类型"), _("县区")]

        def row(i):
            return [i.code, i.name, i.get_type_display(), i.district.name]
    else:
        return [], [], None
    qs = qs.order_by("pk")
    if after:
        qs = qs.filter(pk__gt=after)
    if not limit:
        return columns, (row(o) for o in qs.iterator(chunk_size=2000)), None
    objects = list(qs[: size + 1])
    more = len(objects) > size
    objects = objects[:size]
    return columns, [row(o) for o in objects], (objects[-1].pk if more else None)
