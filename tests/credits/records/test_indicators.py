"""Indicators: property tests against a straightforward reference computation, rounding, scopes,
and a query count that does not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credits.records.imports import submission_import
from credits.records.indicators import indicators_compute, percent, ratio, scope_resolve

from .factories import rid, write_folder

pytestmark = pytest.mark.django_db

Y = 2025
INSTITUTIONS = [
    # code, type, district, quality
    ("P-VS-1", "secondary_vocational", "410202", "1"),
    ("P-VS-2", "higher_vocational", "410221", "1"),
    ("P-VS-3", "secondary_vocational", "410202", "0"),
    ("P-CC-1", "community_college", "410202", "0"),
    ("P-EC-1", "elderly_center", "410223", "0"),
]
MAJORS = [("P-VS-1", "01", "PX1"), ("P-VS-1", "02", ""), ("P-VS-2", "01", "PX1"), ("P-VS-3", "01", "")]
PEOPLE = [rid(f"410202{y}0101{n:03d}") for n, y in enumerate([1948, 1955, 1965, 1966, 2005, 2007, 2008, 2009])]
PEOPLE += ["OTHER-ID-1", "OTHER-ID-2"]
DATES = ["2020-12-31", "2021-01-01", "2024-12-31", "2025-01-01", "2025-06-15", "2025-12-31"]
CATEGORIES = ["x_certificate", "vocational", "community", "elderly", "smart_tech", "rural_labor", "fitness_leader",
              "open_university", "continuing", "other"]

student = st.fixed_dictionaries({
    "year": st.sampled_from([2024, 2025]), "major": st.sampled_from(MAJORS), "who": st.sampled_from(PEOPLE),
    "apprenticeship": st.sampled_from(["0", "1"]),
})
record = st.fixed_dictionaries({
    "kind": st.sampled_from(["training", "training", "exam"]),
    "who": st.sampled_from(PEOPLE),
    "birth_year": st.sampled_from(["", "", "1950", "1966", "2006"]),
    "district": st.sampled_from(["", "410202", "410221"]),
    "institution": st.sampled_from([i[0] for i in INSTITUTIONS]),
    "programme": st.sampled_from(["A", "B"]),
    "category": st.sampled_from(CATEGORIES),
    "date": st.sampled_from(DATES),
    "training_result": st.sampled_from(["completed", "attended", "withdrawn"]),
    "exam_result": st.sampled_from(["passed", "failed"]),
})


def build(students, records):
    files = {
        "institutions": [{"code": c, "name": c, "type": t, "district": d, "quality_vocational": q}
                         for c, t, d, q in INSTITUTIONS],
        "certificates": [{"cert_code": "PX1", "name": "证书"}],
        "majors": [{"institution_code": i, "major_code": m, "major_name": m, "cert_codes": c} for i, m, c in MAJORS],
        "students": [], "records": [],
    }
    seen = set()
    for s in students:
        key = (s["year"], s["major"][0], s["who"])
        if key in seen:
            continue  # a student appears at most once per (year, institution)
        seen.add(key)
        files["students"].append({"year": s["year"], "institution_code": s["major"][0], "major_code": s["major"][1],
                                  "learner_id": s["who"], "name": "学生", "apprenticeship": s["apprenticeship"]})
    for n, r in enumerate(records):
        birth = r["birth_year"] or ("1960" if r["who"].startswith("OTHER") and n % 2 else "")
        files["records"].append({
            "record_id": f"R{n}", "kind": r["kind"], "learner_id": r["who"], "name": "学员", "birth_year": birth,
            "district": r["district"], "institution_code": r["institution"], "programme_code": r["programme"],
            "category": r["category"], "cert_code": "PX1" if r["category"] == "x_certificate" else "",
            "cert_level": "junior", "date": r["date"], "hours": "2",
            "result": r["training_result"] if r["kind"] == "training" else r["exam_result"]})
    return files


def reference(files, district=None):
    """The spec's formulas, written out plainly over the submitted rows."""
    inst = {i["code"]: i for i in files["institutions"]}
    voc = {c for c, i in inst.items() if i["type"] in ("secondary_vocational", "higher_vocational")
           and (district is None or i["district"] == district)}
    in_scope = {c for c, i in inst.items() if district is None or i["district"] == district}
    linked = {(m["institution_code"], m["major_code"]) for m in files["majors"] if m["cert_codes"]}
    majors = [m for m in files["majors"] if m["institution_code"] in voc]
    roster = [s for s in files["students"] if s["year"] == Y and s["institution_code"] in voc]
    P = {s["learner_id"] for s in roster}
    Px = {s["learner_id"] for s in roster if (s["institution_code"], s["major_code"]) in linked}

    def birth(r):
        if r["birth_year"]:
            return int(r["birth_year"])
        return int(r["learner_id"][6:10]) if len(r["learner_id"]) == 18 else None

    def elderly(r):
        return birth(r) is not None and Y - birth(r) >= 60

    in_y = [r for r in files["records"] if r["date"].startswith(str(Y))]
    training = [r for r in in_y if r["kind"] == "training" and r["result"] in ("completed", "attended")]
    passed = [r for r in in_y if r["kind"] == "exam" and r["result"] == "passed"]

    def pt(rows):
        return len({(r["learner_id"], r["institution_code"], r["programme_code"]) for r in rows})

    by_inst = [r for r in training if r["institution_code"] in in_scope]
    by_learner = [r for r in training if district is None or r["district"] == district]
    fitness = [r for r in files["records"] if r["kind"] == "training" and r["result"] in ("completed", "attended")
               and r["category"] == "fitness_leader" and "2021-01-01" <= r["date"] <= f"{Y}-12-31"
               and (district is None or r["district"] == district)]
    v2 = {}
    for code in sorted(c for c in voc if inst[c]["quality_vocational"] == "1"):
        size = len({s["learner_id"] for s in roster if s["institution_code"] == code})
        if size:
            v2[code] = [pt([r for r in training if r["institution_code"] == code]), size]
    return {
        "X1": [sum(1 for m in majors if (m["institution_code"], m["major_code"]) in linked), len(majors)],
        "X2": [len(Px & {r["learner_id"] for r in training if r["category"] == "x_certificate"}), len(Px)],
        "X3": [len(Px & {r["learner_id"] for r in passed if r["category"] == "x_certificate"}), len(Px)],
        "A1": [len({s["learner_id"] for s in roster if s["apprenticeship"] == "1"}), len(P)],
        "V1": [pt(by_inst), None],
        "V2": [sum(1 for a, b in v2.values() if a >= 2 * b), len(v2)],
        "L1": [len({i["district"] for i in inst.values() if i["type"] == "community_college"}), 9],
        "L2": [len({i["district"] for i in inst.values() if i["type"] in ("elderly_center", "elderly_university")}), 9],
        "L3": [len({r["learner_id"] for r in by_learner if r["category"] in
                    ("open_university", "community", "elderly", "continuing", "smart_tech")}), None],
        "L4": [len({r["learner_id"] for r in by_learner if elderly(r)}), 930790],
        "L5": [pt([r for r in by_inst if r["category"] == "smart_tech" and elderly(r)]), None],
        "L6": [len({r["learner_id"] for r in fitness}), None],
        "L7": [pt([r for r in by_inst if r["category"] == "rural_labor"]), None],
        "V2_by_institution": v2,
    }


def computed(district=None):
    scope = scope_resolve(district_code=district) if district else None
    data = indicators_compute(year=Y, scope=scope)
    got = {i["code"]: [i["numerator"], i["denominator"]] for i in data["indicators"]}
    got["V2_by_institution"] = {row["institution"]: [row["numerator"], row["denominator"]]
                                for row in next(i for i in data["indicators"] if i["code"] == "V2")["by_institution"]}
    return got


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(students=st.lists(student, max_size=12), records=st.lists(record, max_size=25))
def test_indicators_equal_a_plain_reference_computation(tmp_path_factory, students, records):
    files = build(students, records)
    with transaction.atomic():
        folder = write_folder(tmp_path_factory.mktemp("prop"), files)
        report = submission_import(path_or_file=folder, actor=None)
        assert report.ok, [str(e) for e in report.errors]
        for district in (None, "410202"):
            want = reference(files, district)
            got = computed(district)
            assert {k: got[k] for k in want} == want, district
        transaction.set_rollback(True)


def test_rounding_is_half_up_and_null_on_zero():
    assert percent(1, 8) == 12.5
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(1, 2000) == 0.1  # 0.05 → 0.1 (half-up, not banker's)
    assert percent(1, 0) is None
    assert ratio(2, 8) == 0.25
    assert ratio(1, 200) == 0.01  # 0.005 → 0.01
    assert ratio(5, 0) is None
    assert isinstance(percent(1, 3), float) and Decimal("33.3") == Decimal(str(percent(1, 3)))


def test_volume_indicators_and_met_flags(tmp_path):
    files = build([], [])
    assert submission_import(path_or_file=write_folder(tmp_path / "a", files), actor=None).ok
    data = {i["code"]: i for i in indicators_compute(year=Y)["indicators"]}
    for code in ("V1", "L3", "L5", "L6", "L7"):
        assert data[code]["denominator"] is None and data[code]["value"] == data[code]["numerator"] == 0
    assert data["X2"]["value"] is None and data["X2"]["met"] is None
    assert data["L1"]["numerator"] == 1 and data["L1"]["value"] == 11.1 and data["L1"]["met"] is False
    assert data["A1"]["comparison"] == ">"


def test_institution_scope(tmp_path):
    records = [dict(kind="training", who=PEOPLE[0], birth_year="", district="410221", institution="P-CC-1",
                    programme="A", category="smart_tech", date="2025-06-15", training_result="completed",
                    exam_result="passed")]
    assert submission_import(path_or_file=write_folder(tmp_path / "a", build([], records)), actor=None).ok
    scope = scope_resolve(institution_code="P-CC-1")
    data = {i["code"]: i for i in indicators_compute(year=Y, scope=scope)["indicators"]}
    assert data["V1"]["numerator"] == 1 and data["L5"]["numerator"] == 1 and data["X1"]["denominator"] == 0
    other = {i["code"]: i for i in indicators_compute(year=Y, scope=scope_resolve(institution_code="P-EC-1"))["indicators"]}
    assert other["V1"]["numerator"] == 0
    with pytest.raises(LookupError):
        scope_resolve(institution_code="NOPE")


def _bulk(tmp_path, n):
    import random

    rng = random.Random(n)
    records = [dict(kind=rng.choice(["training", "exam"]), who=rng.choice(PEOPLE), birth_year="", district="410202",
                    institution=rng.choice(INSTITUTIONS)[0], programme=str(i % 7), category=rng.choice(CATEGORIES),
                    date=rng.choice(DATES), training_result="completed", exam_result="passed") for i in range(n)]
    students = [dict(year=2025, major=m, who=p, apprenticeship="1") for m in MAJORS for p in PEOPLE[:n // 10 + 1]]
    assert submission_import(path_or_file=write_folder(tmp_path / f"q{n}", build(students, records)), actor=None).ok


@pytest.mark.parametrize("district", [None, "410202"])
def test_query_count_does_not_grow_with_data(tmp_path, district):
    _bulk(tmp_path, 5)
    scope = scope_resolve(district_code=district) if district else None
    with CaptureQueriesContext(connection) as small:
        indicators_compute(year=Y, scope=scope)
    _bulk(tmp_path, 300)
    with CaptureQueriesContext(connection) as large:
        indicators_compute(year=Y, scope=scope)
    assert len(large.captured_queries) == len(small.captured_queries) <= 16


def test_l6_counts_from_2021(tmp_path):
    base = dict(kind="training", birth_year="", district="410202", institution="P-CC-1", programme="A",
                category="fitness_leader", training_result="completed", exam_result="passed")
    records = [dict(base, who=PEOPLE[0], date="2020-12-31"), dict(base, who=PEOPLE[1], date="2021-01-01"),
               dict(base, who=PEOPLE[2], date="2024-12-31")]
    assert submission_import(path_or_file=write_folder(tmp_path / "f", build([], records)), actor=None).ok
    data = {i["code"]: i for i in indicators_compute(year=2024)["indicators"]}
    assert data["L6"]["numerator"] == 2
    assert datetime.date(2021, 1, 1)  # the start of the 14th five-year plan
