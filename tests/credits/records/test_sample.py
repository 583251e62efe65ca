"""THE key test: the shared sample submission, imported, gives exactly the independently computed
indicators of expected-indicators.json (city and district scope: numerator, denominator, value,
and V2 per school)."""

import json

import pytest
from django.core.management import call_command

from credits.records.indicators import indicators_compute, scope_resolve
from tests import DATA

# A copy of the team's shared sample (shared/samples/exchange-v1), kept in the repository so a bare clone tests itself.
SAMPLE = DATA / "exchange-v1"
EXPECTED = json.loads((SAMPLE / "expected-indicators.json").read_text(encoding="utf-8"))
CODES = ["X1", "X2", "X3", "A1", "V1", "V2", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "C1", "C2", "C3"]

pytestmark = pytest.mark.django_db


def _compare(expected: dict, data: dict) -> list:
    got = {item["code"]: item for item in data["indicators"]}
    mismatches = []
    for code, want in expected.items():
        if code == "V2_by_institution":
            have = {row["institution"]: [row["numerator"], row["denominator"], row["value"]]
                    for row in got["V2"]["by_institution"]}
        else:
            have = [got[code]["numerator"], got[code]["denominator"], got[code]["value"]]
        if have != want:
            mismatches.append((code, want, have))
    return mismatches


def test_sample_through_the_command_matches_every_expected_indicator(capsys):
    call_command("import_records", str(SAMPLE / "submission"))
    out = capsys.readouterr().out
    assert "records.csv: created 962, unchanged 0, corrected 0" in out
    assert "students.csv: created 383" in out
    assert "majors.csv: created 21" in out  # majors.csv carries a UTF-8 BOM

    # City scope, through the service and through `manage.py indicators --format json`.
    assert _compare(EXPECTED["city"], indicators_compute(year=EXPECTED["year"])) == []
    call_command("indicators", "--year", str(EXPECTED["year"]), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == EXPECTED["year"] and data["scope"] == {"level": "city"}
    assert [i["code"] for i in data["indicators"]] == CODES
    assert _compare(EXPECTED["city"], data) == []
    for item in data["indicators"]:
        assert {"code", "key", "value", "unit", "numerator", "denominator", "target", "comparison", "met",
                "source"} <= set(item)

    # District scope.
    call_command("indicators", "--year", str(EXPECTED["year"]), "--format", "json", "--district", EXPECTED["district"])
    data = json.loads(capsys.readouterr().out)
    assert data["scope"]["level"] == "district" and data["scope"]["code"] == EXPECTED["district"]
    assert _compare(EXPECTED["district_scope"], data) == []
    scope = scope_resolve(district_code=EXPECTED["district"])
    assert _compare(EXPECTED["district_scope"], indicators_compute(year=EXPECTED["year"], scope=scope)) == []

    # The readable table names every indicator.
    call_command("indicators", "--year", str(EXPECTED["year"]), "--format", "table")
    table = capsys.readouterr().out
    assert all(f"\n{code}" in table for code in CODES)

    # An identical re-submission changes nothing, and the figures stay the same.
    call_command("import_records", str(SAMPLE / "submission"))
    out = capsys.readouterr().out
    assert "records.csv: created 0, unchanged 962, corrected 0" in out
    assert "students.csv: created 0, unchanged 383, corrected 0" in out
    assert _compare(EXPECTED["city"], indicators_compute(year=EXPECTED["year"])) == []
