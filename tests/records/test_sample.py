"""THE key test: the shared sample submission, imported, gives exactly the independently computed
indicators of expected-indicators.json (city and district scope: numerator, denominator, value,
and V2 per school)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from credits.records.indicators import indicators_compute, scope_resolve
from credits.records.services import submission_import

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO.parent / "shared" / "samples" / "exchange-v1"
EXPECTED = json.loads((SAMPLE / "expected-indicators.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(db):
    report = submission_import(path_or_file=SAMPLE / "submission", actor=None)
    assert report.ok, [str(e) for e in report.errors]
    return report


def _by_code(data):
    return {item["code"]: item for item in data["indicators"]}


def _compare(expected: dict, data: dict):
    got = _by_code(data)
    mismatches = []
    for code, want in expected.items():
        if code == "V2_by_institution":
            have = {row["institution"]: [row["numerator"], row["denominator"], row["value"]]
                    for row in got["V2"]["by_institution"]}
            if have != want:
                mismatches.append((code, want, have))
            continue
        have = [got[code]["numerator"], got[code]["denominator"], got[code]["value"]]
        if have != want:
            mismatches.append((code, want, have))
    return mismatches


def test_sample_imports_with_counts(imported):
    counts = {name: c.as_dict() for name, c in imported.counts.items()}
    assert counts["records"] == {"created": 962, "unchanged": 0, "corrected": 0}
    assert counts["students"] == {"created": 383, "unchanged": 0, "corrected": 0}
    assert counts["majors"]["created"] == 21  # majors.csv carries a BOM


def test_every_city_indicator_matches_expected(imported):
    data = indicators_compute(year=EXPECTED["year"])
    assert _compare(EXPECTED["city"], data) == []


def test_every_district_indicator_matches_expected(imported):
    scope = scope_resolve(district_code=EXPECTED["district"])
    data = indicators_compute(year=EXPECTED["year"], scope=scope)
    assert _compare(EXPECTED["district_scope"], data) == []


def test_identical_reimport_changes_nothing(imported):
    again = submission_import(path_or_file=SAMPLE / "submission", actor=None)
    assert again.ok
    assert all(c.created == 0 and c.corrected == 0 for c in again.counts.values())
    assert again.counts["records"].unchanged == 962
    assert _compare(EXPECTED["city"], indicators_compute(year=EXPECTED["year"])) == []


def test_indicators_command_json_matches(imported, capsys):
    call_command("indicators", "--year", str(EXPECTED["year"]), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert [i["code"] for i in data["indicators"]] == [
        "X1", "X2", "X3", "A1", "V1", "V2", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "C1", "C2", "C3"]
    assert _compare(EXPECTED["city"], data) == []
    for item in data["indicators"]:
        assert set(item) >= {"code", "key", "value", "unit", "numerator", "denominator", "target", "comparison",
                             "met", "source"}
    call_command("indicators", "--year", str(EXPECTED["year"]), "--format", "json", "--district", EXPECTED["district"])
    assert _compare(EXPECTED["district_scope"], json.loads(capsys.readouterr().out)) == []


def test_import_command_exit_status(db, capsys):
    call_command("import_records", str(SAMPLE / "submission"))
    out = capsys.readouterr().out
    assert "records.csv: created 962" in out
