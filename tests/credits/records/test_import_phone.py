"""The optional ``phone`` column of students.csv and records.csv (data exchange v1): a mainland mobile, kept by
the people app encrypted and masked, only for real-name binding codes; all or nothing with the rest."""

import copy

import pytest
from bianxue.people.identifiers import phone_decrypt
from bianxue.people.models import Learner, LearnerPhone

from credits.records.imports import submission_import
from credits.records.models import LearningRecord
from tests.credits.records.factories import ID_A, ID_B, base_files, write_folder, write_xlsx

pytestmark = pytest.mark.django_db


def run(tmp_path, files, **kwargs):
    folder = write_folder(tmp_path / f"sub{len(list(tmp_path.iterdir()))}", files, **kwargs)
    return submission_import(path_or_file=folder, actor=None)


def with_phones(*, student: str = "", records: tuple[str, str, str] = ("", "", "")) -> dict:
    files = copy.deepcopy(base_files())
    files["students"][0]["phone"] = student
    for row, phone in zip(files["records"], records, strict=True):
        row["phone"] = phone
    return files


def stored_phone(identifier: str, institution_code: str) -> LearnerPhone | None:
    from bianxue.people.identifiers import identifier_hash

    return LearnerPhone.objects.filter(learner__id_hash=identifier_hash(identifier),
                                       institution__code=institution_code).first()


def test_phone_column_is_stored_encrypted_and_masked(tmp_path):
    report = run(tmp_path, with_phones(student="138 0000 1234", records=("", "+86 139-0000-5678", "13700002222")))
    assert report.ok, [str(e) for e in report.errors]
    phone = stored_phone(ID_B, "T-VS-1")
    # the records row (later in the submission) replaces the students row for the same learner and institution
    assert phone.phone_masked == "139****5678" and phone_decrypt(phone.phone_encrypted) == "13900005678"
    assert "13900005678" not in phone.phone_encrypted + phone.phone_hash
    assert stored_phone(ID_A, "T-CC-1").phone_masked == "137****2222"
    assert LearnerPhone.objects.count() == 2


def test_students_phone_alone_is_recorded(tmp_path):
    assert run(tmp_path, with_phones(student="13800001234")).ok
    assert stored_phone(ID_B, "T-VS-1").phone_masked == "138****1234"


def test_files_without_the_column_stay_valid(tmp_path):
    assert run(tmp_path, base_files()).ok
    assert not LearnerPhone.objects.exists()


def test_chinese_header_and_xlsx(tmp_path):
    assert run(tmp_path, with_phones(student="13800001234"), chinese=True).ok
    assert stored_phone(ID_B, "T-VS-1").phone_masked == "138****1234"
    book = write_xlsx(tmp_path / "book.xlsx", with_phones(records=("", "", "13700002222")), chinese=True)
    assert submission_import(path_or_file=book, actor=None).ok
    assert stored_phone(ID_A, "T-CC-1").phone_masked == "137****2222"


@pytest.mark.parametrize("bad", ["12345", "23800001234", "1380000123", "138000012345", "tel:13800001234"])
def test_a_bad_phone_is_an_error_in_both_languages_and_nothing_is_written(tmp_path, bad):
    report = run(tmp_path, with_phones(records=("", bad, "")))
    assert not report.ok
    [error] = report.errors
    assert (error.file, error.row, error.column) == ("records.csv", 3, "phone")
    assert error.zh == f"“{bad}”不是有效的大陆手机号（11 位，以 1 开头）"
    assert error.en == f"'{bad}' is not a mainland China mobile number (11 digits starting with 1)"
    assert not LearningRecord.objects.exists() and not Learner.objects.exists() and not LearnerPhone.objects.exists()


def test_students_phone_error_names_its_file(tmp_path):
    report = run(tmp_path, with_phones(student="110"))
    assert [(e.file, e.row, e.column) for e in report.errors] == [("students.csv", 2, "phone")]


def test_reimport_with_a_new_phone_replaces_it_and_records_stay_unchanged(tmp_path):
    assert run(tmp_path, with_phones(records=("13800001234", "", ""))).ok
    before = stored_phone(ID_B, "T-VS-1")
    report = run(tmp_path, with_phones(records=("13900005678", "", "")))
    assert report.ok and report.counts["records"].unchanged == 3  # the phone is not part of the record
    after = stored_phone(ID_B, "T-VS-1")
    assert after.pk == before.pk and after.phone_masked == "139****5678"
    assert LearnerPhone.objects.count() == 1
