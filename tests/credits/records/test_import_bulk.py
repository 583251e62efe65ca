"""The importer's bulk paths (COPY text built by hand, ids from the sequence, keys looked up as arrays)
store exactly what the ORM would: awkward text survives, content hashes equal record_content_hash, a
re-import of the same rows is recognised as unchanged and the credit bank gets the new ids."""

import datetime
import random
from decimal import Decimal

import pytest
from bianxue.bulk import text_array as _pg_text_array

from credits.records.hashing import record_content_hash, record_hasher
from credits.records.imports import submission_import
from credits.records.models import LearningRecord

from .factories import base_files, write_folder

pytestmark = pytest.mark.django_db

AWKWARD = ['tab\there', 'new\nline', 'back\\slash', 'quote"s', "comma, and 'single'", "\\N", "cr\rlf", "汴学 {a,b}"]


def test_record_hasher_is_record_content_hash():
    rng = random.Random(5)
    hasher = record_hasher()
    for _ in range(500):
        values = {
            "learner_id": rng.randint(1, 10**6), "kind": rng.choice(["training", "exam"]), "name": rng.choice(AWKWARD),
            "birth_year": rng.choice([None, 1950, 2008]), "district_code": rng.choice(["", "410202"]),
            "programme_code": "P1", "programme_name": rng.choice(["", "培训"]), "category": "community",
            "certificate_id": rng.choice([None, 3]), "cert_level": rng.choice(["", "junior"]),
            "date": datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 300)),
            "hours": rng.choice([None, Decimal("8"), Decimal("8.0"), Decimal("48.5"), Decimal("0")]),
            "result": "completed", "certificate_no": rng.choice(["", "C-1"]),
        }
        assert hasher(values) == record_content_hash(values)


def test_pg_text_array_literal():
    assert _pg_text_array(['a', 'b"c', "d\\e", "f,g"]) == '{"a","b\\"c","d\\\\e","f,g"}'


def _awkward_files():
    files = base_files()
    records = []
    for n, text in enumerate(AWKWARD):
        record = dict(files["records"][2], record_id=f"AW{n}\\{text[:3]}", name=text, programme_name=text,
                      certificate_no=text)
        records.append(record)
    files["records"] = records
    return files


def _stored():
    return sorted(LearningRecord.objects.values_list("record_id", "name", "programme_name", "certificate_no", "hours",
                                                     "date", "birth_year", "content_hash"))


def _check_awkward_import(tmp_path, monkeypatch):
    import credits.services as credit_services

    handed = []
    monkeypatch.setattr(credit_services, "outcomes_from_records",
                        lambda *, records, **_kwargs: handed.extend(r[0] for r in records) or 0, raising=False)
    files = _awkward_files()
    report = submission_import(path_or_file=write_folder(tmp_path / "a", files), actor=None, refresh_snapshots=False)
    assert report.ok, [str(e) for e in report.errors]
    stored = _stored()
    assert sorted(r[2] for r in stored) == sorted(AWKWARD)  # text arrives byte for byte
    assert {r[1] for r in stored} == set(AWKWARD)
    for record in LearningRecord.objects.all():
        values = {k: getattr(record, k) for k in ("kind", "name", "birth_year", "district_code", "programme_code",
                                                  "programme_name", "category", "certificate_id", "cert_level", "date",
                                                  "hours", "result", "certificate_no", "learner_id")}
        assert record.content_hash == record_content_hash(values)
        assert record.source == "import" and record.created_at is not None
    assert sorted(handed) == sorted(LearningRecord.objects.values_list("id", flat=True))
    # The same rows again: every record recognised as unchanged (keys with quotes and backslashes found).
    again = submission_import(path_or_file=write_folder(tmp_path / "b", files), actor=None, refresh_snapshots=False)
    assert again.ok and again.counts["records"].unchanged == len(AWKWARD) and again.counts["records"].created == 0
    assert _stored() == stored


def test_awkward_text_round_trips(tmp_path, monkeypatch):
    _check_awkward_import(tmp_path, monkeypatch)


@pytest.mark.postgres
def test_awkward_text_round_trips_through_copy_on_postgres(tmp_path, monkeypatch):
    from django.db import connection

    assert connection.vendor == "postgresql"
    _check_awkward_import(tmp_path, monkeypatch)

