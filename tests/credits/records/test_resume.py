"""A stuck import (queued while the broker was down, or claimed by a worker that died) can be resumed by its
uploader; a run claims its batch first, so a second delivery never runs it twice."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from credits.records import imports
from credits.records.models import ImportBatch, LearningRecord
from tests.factories import bureau_admin, mfa_enable

from .factories import base_files, write_folder

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    user = bureau_admin()
    mfa_enable(user)
    client.force_login(user)
    return user


def _queued_upload(client, tmp_path, monkeypatch) -> ImportBatch:
    monkeypatch.setattr(imports, "UPLOAD_ASYNC_BYTES", 0)
    monkeypatch.setattr(imports, "outbox_enqueue", lambda **kw: None)  # the broker is down: nothing is sent
    folder = write_folder(tmp_path / "up", base_files())
    uploads = [SimpleUploadedFile(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]
    client.post(reverse("records:import"), {"files": uploads})
    monkeypatch.undo()
    return ImportBatch.objects.get()


@pytest.mark.parametrize(("language", "button"), [("zh-hans", "继续导入"), ("en", "Resume the import")])
def test_a_queued_upload_is_resumed_by_hand_after_a_while(admin, client, tmp_path, monkeypatch,
                                                          django_capture_on_commit_callbacks, language, button):
    batch = _queued_upload(client, tmp_path, monkeypatch)
    assert batch.status == ImportBatch.Status.PENDING
    client.cookies["django_language"] = language
    page = client.get(reverse("records:import_detail", args=[batch.pk])).content.decode()
    assert button not in page  # just queued: not stuck yet
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    page = client.get(reverse("records:import_detail", args=[batch.pk])).content.decode()
    assert button in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("records:import_detail", args=[batch.pk]), {"action": "resume"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.VALID  # the validation ran


def test_a_run_claims_its_batch_so_a_second_delivery_does_nothing(admin, client, tmp_path, monkeypatch):
    batch = _queued_upload(client, tmp_path, monkeypatch)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, started_at=timezone.now())
    assert imports.upload_batch_run(batch_id=batch.pk) == ImportBatch.Status.RUNNING  # another worker has it
    assert LearningRecord.objects.count() == 0
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now() - imports.STUCK_AFTER * 2)
    assert imports.upload_batch_run(batch_id=batch.pk) == ImportBatch.Status.VALID  # its worker died: run again


def test_only_the_uploader_may_resume_and_only_when_stuck(admin, client, tmp_path, monkeypatch):
    from django.core.exceptions import PermissionDenied, ValidationError

    batch = _queued_upload(client, tmp_path, monkeypatch)
    with pytest.raises(ValidationError):
        imports.upload_batch_resume(batch=batch, actor=admin)  # not stuck
    other = bureau_admin()
    with pytest.raises(PermissionDenied):
        imports.upload_batch_resume(batch=batch, actor=other)
