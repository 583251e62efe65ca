"""Snapshots (beat task and after each import) and the hand-off of imported records to the credit bank."""

import pytest
from django.conf import settings

import credits.services as credit_services
from credits.records.imports import submission_import
from credits.records.models import IndicatorSnapshot, LearningRecord
from credits.records.tasks import indicator_snapshots_refresh

from .factories import base_files, write_folder

pytestmark = pytest.mark.django_db


def test_beat_schedule_names_the_snapshot_task():
    entry = settings.CELERY_BEAT_SCHEDULE["records.indicator_snapshots"]
    assert entry["task"] == indicator_snapshots_refresh.name


def test_import_refreshes_snapshots_after_commit(tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert submission_import(path_or_file=write_folder(tmp_path / "a", base_files()), actor=None).ok
    assert callbacks
    city = IndicatorSnapshot.objects.get(year=2025, level="city", code="")
    assert {i["code"]: i["numerator"] for i in city.data["indicators"]}["V1"] == 2
    assert IndicatorSnapshot.objects.filter(year=2025, level="district").count() == 9
    assert IndicatorSnapshot.objects.filter(year=2025, level="institution", code="T-VS-1").exists()


def test_refused_import_schedules_nothing(tmp_path, django_capture_on_commit_callbacks):
    files = base_files()
    files["records"][0]["kind"] = "x"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert not submission_import(path_or_file=write_folder(tmp_path / "a", files), actor=None).ok
    assert not callbacks and not IndicatorSnapshot.objects.exists()


def test_task_is_safe_to_run_twice(tmp_path):
    assert submission_import(path_or_file=write_folder(tmp_path / "a", base_files()), actor=None).ok
    first = indicator_snapshots_refresh(years=[2025])
    second = indicator_snapshots_refresh(years=[2025])
    assert first == second == IndicatorSnapshot.objects.count()


@pytest.mark.skipif(not hasattr(credit_services, "outcomes_from_records"), reason="credit bank bulk path missing")
def test_imported_records_become_outcomes_through_the_credit_bank(tmp_path):
    from credits.models import Outcome

    report = submission_import(path_or_file=write_folder(tmp_path / "a", base_files()), actor=None)
    assert report.ok and "outcomes_from_records" in report.credit_bank
    eligible = LearningRecord.objects.filter(result__in=["completed", "attended", "passed"])
    assert set(Outcome.objects.filter(record__in=eligible).values_list("record_id", flat=True)) == set(
        eligible.values_list("id", flat=True))
    # An identical re-import hands nothing over again.
    before = Outcome.objects.count()
    assert submission_import(path_or_file=write_folder(tmp_path / "b", base_files()), actor=None).ok
    assert Outcome.objects.count() == before
