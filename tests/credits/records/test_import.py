"""Every rule of data exchange format v1: each bad input gives its error (file, row, column) and
writes nothing; identical re-imports change nothing; corrections replace and audit; row scoping."""

import copy
import datetime
import sys
from io import StringIO

import pytest
from bianxue.accounts.models import AuditEntry, Role
from bianxue.institutions.models import Certificate, Institution, Major
from bianxue.people.models import Learner
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from credits.records.imports import submission_import
from credits.records.models import ImportBatch, LearningRecord, StudentRoster
from tests.factories import InstitutionFactory, bureau_admin, staff_user

from .factories import ID_A, ID_B, base_files, rid, write_folder, write_xlsx

pytestmark = pytest.mark.django_db


def state():
    return (LearningRecord.objects.count(), StudentRoster.objects.count(), Institution.objects.count(),
            Certificate.objects.count(), Major.objects.count(), Learner.objects.count())


def run(tmp_path, files, **kwargs):
    folder = write_folder(tmp_path / f"sub{len(list(tmp_path.iterdir()))}", files)
    return submission_import(path_or_file=folder, actor=kwargs.pop("actor", None), **kwargs)


def test_valid_submission_imports_with_counts(tmp_path):
    report = run(tmp_path, base_files())
    assert report.ok, [str(e) for e in report.errors]
    assert {k: v.created for k, v in report.counts.items()} == {
        "institutions": 2, "certificates": 1, "majors": 1, "students": 1, "records": 3}
    record = LearningRecord.objects.get(record_id="R3")
    assert record.birth_year == 1950  # read from the resident ID number
    assert record.hours == pytest.approx(4.5)
    assert Institution.objects.get(code="T-CC-1").parent.code == "T-VS-1"
    learner = Learner.objects.get(pk=record.learner_id)
    assert ID_A not in (learner.id_masked, learner.id_encrypted, learner.id_hash)  # protected
    assert learner.id_masked == ID_A[:4] + "*" * 10 + ID_A[-4:]
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.status == "done" and batch.counts["records"]["created"] == 3
    assert AuditEntry.objects.filter(action="records.import").count() == 1


def _set(files, name, index, **changes):
    files = copy.deepcopy(files)
    files[name][index].update(changes)
    return files


FUTURE = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
BAD_CASES = [
    # (id, file, row index, changes, column with the error)
    ("required record field", "records", 0, {"programme_code": ""}, "programme_code"),
    ("unknown kind", "records", 0, {"kind": "lecture"}, "kind"),
    ("result does not fit kind", "records", 0, {"result": "passed"}, "result"),
    ("unknown category", "records", 0, {"category": "sports"}, "category"),
    ("x_certificate without cert_code", "records", 0, {"cert_code": ""}, "cert_code"),
    ("unknown certificate", "records", 0, {"cert_code": "NOPE"}, "cert_code"),
    ("exam without cert_level", "records", 1, {"cert_level": ""}, "cert_level"),
    ("bad cert_level", "records", 1, {"cert_level": "expert"}, "cert_level"),
    ("wrong ID check character", "records", 2, {"learner_id": ID_A[:17] + ("0" if ID_A[17] != "0" else "1")}, "learner_id"),
    ("identifier too long", "records", 2, {"learner_id": "X" * 65}, "learner_id"),
    ("unknown institution", "records", 2, {"institution_code": "NOPE"}, "institution_code"),
    ("unknown district", "records", 2, {"district": "999999"}, "district"),
    ("impossible date", "records", 2, {"date": "2025-02-30"}, "date"),
    ("badly formed date", "records", 2, {"date": "2025/03/01"}, "date"),
    ("future date", "records", 2, {"date": FUTURE}, "date"),
    ("negative hours", "records", 2, {"hours": "-1"}, "hours"),
    ("two decimals in hours", "records", 2, {"hours": "1.25"}, "hours"),
    ("hours not a number", "records", 2, {"hours": "abc"}, "hours"),
    ("birth year too early", "records", 2, {"birth_year": "1899"}, "birth_year"),
    ("birth year in the future", "records", 2, {"birth_year": str(datetime.date.today().year + 1)}, "birth_year"),
    ("bad boolean", "institutions", 0, {"quality_vocational": "yes"}, "quality_vocational"),
    ("unknown institution type", "institutions", 0, {"type": "school"}, "type"),
    ("unknown parent", "institutions", 1, {"parent_code": "NOPE"}, "parent_code"),
    ("institution district unknown", "institutions", 1, {"district": "110101"}, "district"),
    ("major of unknown institution", "majors", 0, {"institution_code": "NOPE"}, "institution_code"),
    ("major linked to unknown certificate", "majors", 0, {"cert_codes": "TX1;NOPE"}, "cert_codes"),
    ("student with unknown major", "students", 0, {"major_code": "999999"}, "major_code"),
    ("student bad year", "students", 0, {"year": "20x5"}, "year"),
    ("student bad apprenticeship", "students", 0, {"apprenticeship": "2"}, "apprenticeship"),
    ("student wrong ID check", "students", 0, {"learner_id": ID_B[:17] + ("0" if ID_B[17] != "0" else "1")}, "learner_id"),
]


@pytest.mark.parametrize("case", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_each_bad_input_reports_its_error_and_writes_nothing(tmp_path, case):
    _, name, index, changes, column = case
    before = state()
    report = run(tmp_path, _set(base_files(), name, index, **changes))
    assert not report.ok
    assert state() == before
    hits = [e for e in report.errors if e.file == f"{name}.csv" and e.row == index + 2 and e.column == column]
    assert hits, [str(e) for e in report.errors]
    assert hits[0].zh and hits[0].en and hits[0].zh != hits[0].en  # Chinese and English
    assert ImportBatch.objects.get(pk=report.batch_id).status == "invalid"


def test_every_error_is_collected_not_just_the_first(tmp_path):
    files = _set(base_files(), "records", 0, kind="nope", date="2025-13-01")
    files = _set(files, "records", 2, hours="-3")
    files = _set(files, "students", 0, year="x")
    report = run(tmp_path, files)
    where = {(e.file, e.row, e.column) for e in report.errors}
    assert {("records.csv", 2, "kind"), ("records.csv", 2, "date"), ("records.csv", 4, "hours"),
            ("students.csv", 2, "year")} <= where
    assert state() == (0, 0, 0, 0, 0, 0)


def test_unknown_and_missing_columns(tmp_path):
    files = base_files()
    for row in files["records"]:
        row["colour"] = "red"
        del row["result"]
    report = run(tmp_path, files)
    assert {(e.file, e.row, e.column) for e in report.errors} >= {("records.csv", 1, "colour"), ("records.csv", 1, "result")}
    assert state() == (0, 0, 0, 0, 0, 0)


def test_duplicate_student_and_duplicate_record_in_one_submission(tmp_path):
    files = base_files()
    files["students"].append(dict(files["students"][0]))
    files["records"].append(dict(files["records"][0]))
    report = run(tmp_path, files)
    assert ("students.csv", 3, "learner_id") in {(e.file, e.row, e.column) for e in report.errors}
    assert ("records.csv", 5, "record_id") in {(e.file, e.row, e.column) for e in report.errors}
    assert state() == (0, 0, 0, 0, 0, 0)


def test_chinese_headers_bom_and_chinese_values(tmp_path):
    files = base_files()
    files["records"][2].update(kind="培训", category="智能技术应用", result="参训")
    files["institutions"][0]["quality_vocational"] = "是"
    folder = write_folder(tmp_path / "zh", files, chinese=True, bom=True)
    report = submission_import(path_or_file=folder, actor=None)
    assert report.ok, [str(e) for e in report.errors]
    assert LearningRecord.objects.get(record_id="R3").category == "smart_tech"
    assert Institution.objects.get(code="T-VS-1").quality_vocational is True


def test_xlsx_workbook_with_both_header_languages(tmp_path):
    files = base_files()
    book = write_xlsx(tmp_path / "sub.xlsx", files, chinese=True)
    report = submission_import(path_or_file=book, actor=None)
    assert report.ok, [str(e) for e in report.errors]
    assert LearningRecord.objects.count() == 3
    again = submission_import(path_or_file=write_xlsx(tmp_path / "en.xlsx", files), actor=None)
    assert again.ok and again.counts["records"].unchanged == 3


def test_not_utf8_is_an_error(tmp_path):
    folder = tmp_path / "gbk"
    folder.mkdir()
    (folder / "certificates.csv").write_bytes("cert_code,name\nX1,证书\n".encode("gbk"))
    report = submission_import(path_or_file=folder, actor=None)
    assert not report.ok and report.errors[0].file == "certificates.csv"


def test_identical_reimport_changes_nothing(tmp_path):
    assert run(tmp_path, base_files()).ok
    before = state()
    stamps = list(LearningRecord.objects.order_by("id").values_list("id", "updated_at"))
    report = run(tmp_path, base_files())
    assert report.ok
    assert all(c.created == 0 and c.corrected == 0 for c in report.counts.values())
    assert report.counts["records"].unchanged == 3
    assert state() == before
    assert list(LearningRecord.objects.order_by("id").values_list("id", "updated_at")) == stamps


def test_changed_content_is_an_error_without_correction(tmp_path):
    assert run(tmp_path, base_files()).ok
    report = run(tmp_path, _set(base_files(), "records", 0, hours="20"))
    assert not report.ok
    assert ("records.csv", 2, "record_id") in {(e.file, e.row, e.column) for e in report.errors}
    assert LearningRecord.objects.get(record_id="R1").hours == 16
    report = run(tmp_path, _set(base_files(), "students", 0, apprenticeship="1"))
    assert not report.ok and ("students.csv", 2, "learner_id") in {(e.file, e.row, e.column) for e in report.errors}


def test_correction_replaces_and_audits(tmp_path):
    assert run(tmp_path, base_files()).ok
    admin = bureau_admin()
    files = _set(base_files(), "records", 0, hours="20", result="attended")
    files = _set(files, "students", 0, apprenticeship="1")
    report = run(tmp_path, files, correction=True, actor=admin)
    assert report.ok, [str(e) for e in report.errors]
    assert report.counts["records"].corrected == 1 and report.counts["records"].unchanged == 2
    assert report.counts["students"].corrected == 1
    record = LearningRecord.objects.get(record_id="R1")
    assert record.hours == 20 and record.result == "attended"
    entry = AuditEntry.objects.get(action="record.correct")
    assert entry.actor == admin and entry.object_id == str(record.pk) and entry.data["before"]["result"] == "completed"
    assert AuditEntry.objects.filter(action="roster.correct").count() == 1
    assert StudentRoster.objects.get().apprenticeship is True


def test_staff_may_import_only_their_own_institution(tmp_path):
    assert run(tmp_path, base_files()).ok
    school = Institution.objects.get(code="T-VS-1")
    registrar = staff_user(institution=school, role=Role.REGISTRAR)
    files = base_files()
    files["records"][0]["record_id"] = "R9"
    ok = run(tmp_path, {"records": [files["records"][0]]}, actor=registrar)
    assert ok.ok, [str(e) for e in ok.errors]
    before = state()
    other = {"records": [dict(files["records"][2], record_id="R10")]}  # T-CC-1 is not theirs
    refused = run(tmp_path, other, actor=registrar)
    assert not refused.ok and refused.errors[0].column == "institution_code"
    assert state() == before
    new_inst = {"institutions": [{"code": "T-NEW", "name": "新机构", "type": "other", "district": "410202"}]}
    assert not run(tmp_path, new_inst, actor=registrar).ok


def test_teachers_and_learners_may_not_import(tmp_path):
    teacher = staff_user(institution=InstitutionFactory(), role=Role.TEACHER)
    with pytest.raises(PermissionDenied):
        run(tmp_path, base_files(), actor=teacher)


def test_bureau_admin_may_import_for_any_institution(tmp_path):
    assert run(tmp_path, base_files(), actor=bureau_admin()).ok


def test_dry_run_writes_nothing_but_counts(tmp_path):
    report = run(tmp_path, base_files(), dry_run=True)
    assert report.ok and report.counts["records"].created == 3
    assert state() == (0, 0, 0, 0, 0, 0)


def test_command_fails_with_the_error_report_on_stderr(tmp_path, monkeypatch):
    folder = write_folder(tmp_path / "bad", _set(base_files(), "records", 0, kind="lecture"))
    err = StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_records", str(folder), stderr=err)
    assert exit_info.value.code != 0
    assert "records.csv" in err.getvalue() and "kind" in err.getvalue()
    assert state() == (0, 0, 0, 0, 0, 0)


def test_command_correction_flag(tmp_path):
    call_command("import_records", str(write_folder(tmp_path / "a", base_files())), stdout=StringIO())
    out = StringIO()
    call_command("import_records", str(write_folder(tmp_path / "b", _set(base_files(), "records", 0, hours="30"))),
                 "--correction", stdout=out)
    assert "records.csv: created 0, unchanged 2, corrected 1" in out.getvalue()


def test_other_identifiers_are_accepted(tmp_path):
    files = base_files()
    files["records"][2]["learner_id"] = "S2025-0001"
    files["records"][2]["birth_year"] = "1955"
    assert run(tmp_path, files).ok
    assert LearningRecord.objects.get(record_id="R3").birth_year == 1955
    assert rid("41020219500101001") == ID_A
