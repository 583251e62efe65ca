"""Import uploads hold resident ID numbers and names in plain text: they live in private storage (never under
MEDIA_ROOT, never served by URL), are deleted when the import commits or fails, and are purged when a
validated upload is never confirmed. Limits on size, unpacked size, shared strings and rows, each with its own
message in Chinese and English, checked before anything is parsed or written."""

import datetime
import io
import os
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from credits.records.imports import submission_import, uploads_purge
from credits.records.models import ImportBatch, LearningRecord

from .factories import base_files, write_folder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_private_root(settings, tmp_path):
    """Each test its own private root: parallel workers upload too."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def _uploads(tmp_path, files):
    folder = write_folder(tmp_path / "up", files)
    return [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv") for p in sorted(folder.iterdir())]


def _files_under(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def test_upload_is_stored_privately_and_deleted_when_the_import_commits(admin_client, tmp_path):
    admin_client.post(reverse("records:import"), {"files": _uploads(tmp_path, base_files())})
    batch = ImportBatch.objects.get()
    folder = Path(batch.upload_dir)
    assert batch.status == "valid" and folder.is_dir()  # kept: the officer still has to confirm
    assert folder.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not folder.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not any("imports" in str(p) for p in _files_under(settings.MEDIA_ROOT))
    # no URL reaches it: /media/ serves MEDIA_ROOT only
    relative = folder.relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert admin_client.get(f"/media/{relative}/records.csv").status_code == 404

    admin_client.post(reverse("records:import_detail", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "done" and LearningRecord.objects.count() == 3
    assert not folder.exists() and batch.upload_dir == ""
    assert batch.counts  # the report stays


def test_upload_with_errors_is_deleted_and_its_report_kept(admin_client, tmp_path):
    files = base_files()
    files["records"][0]["kind"] = "lecture"
    admin_client.post(reverse("records:import"), {"files": _uploads(tmp_path, files)})
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid" and batch.upload_dir == "" and batch.errors
    assert _files_under(Path(settings.PRIVATE_MEDIA_ROOT) / "imports") == [] or all(
        str(batch.pk) not in str(p) for p in _files_under(Path(settings.PRIVATE_MEDIA_ROOT) / "imports"))


@pytest.mark.parametrize(("language", "message"), [("zh-hans", "上传的文件已超过保留时间被删除，请重新上传。"),
                                                   ("en", "The uploaded files were deleted after the retention "
                                                          "period: please upload them again.")])
def test_unconfirmed_upload_is_purged_and_cannot_be_confirmed_afterwards(admin_client, tmp_path, language, message):
    admin_client.post(reverse("records:import"), {"files": _uploads(tmp_path, base_files())})
    batch = ImportBatch.objects.get()
    folder = Path(batch.upload_dir)
    assert uploads_purge() == 0  # fresh: kept
    later = timezone.now() + datetime.timedelta(hours=settings.IMPORT_UPLOAD_RETENTION_HOURS + 1)
    assert uploads_purge(now=later) == 1
    assert not folder.exists()
    admin_client.cookies["django_language"] = language
    response = admin_client.post(reverse("records:import_detail", args=[batch.pk]), follow=True)
    assert message in response.content.decode()
    assert LearningRecord.objects.count() == 0


@pytest.mark.parametrize(("language", "message"), [("zh-hans", "上传的文件太大：上限为 1 MB。"),
                                                   ("en", "The uploaded file is too large: the limit is 1 MB.")])
def test_upload_over_the_limit_is_stopped_while_it_streams_in(admin_client, settings, language, message):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "/records/import/": 1024 * 1024}
    admin_client.cookies["django_language"] = language
    big = SimpleUploadedFile("records.csv", b"x" * (1024 * 1024 + 10), content_type="text/csv")
    response = admin_client.post(reverse("records:import"), {"files": [big]}, follow=True)
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert _files_under(Path(settings.PRIVATE_MEDIA_ROOT) / "imports") == []


def _xlsx_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_workbook_is_refused_before_it_is_unpacked(tmp_path, settings):
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_xlsx_bytes({"xl/worksheets/sheet1.xml": b"<a>" + b" " * (6 * 1024 * 1024) + b"</a>"}))
    assert path.stat().st_size < 100_000  # small on disk
    report = submission_import(path_or_file=str(path))
    assert not report.ok
    issue = report.errors[0]
    assert "工作簿解压后超过 5 MB 的上限" in issue.zh and "over the 5 MB limit" in issue.en
    assert LearningRecord.objects.count() == 0


def test_huge_shared_strings_table_is_refused(tmp_path, settings):
    settings.IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES = 1024 * 1024
    path = tmp_path / "strings.xlsx"
    path.write_bytes(_xlsx_bytes({"xl/sharedStrings.xml": b"<sst>" + b"<si><t>x</t></si>" * 100_000 + b"</sst>"}))
    report = submission_import(path_or_file=str(path))
    assert not report.ok
    assert "共享字符串表超过 1 MB 的上限" in report.errors[0].zh
    assert "shared-strings table is over the 1 MB limit" in report.errors[0].en


def test_row_limit_is_reported_with_the_row_and_nothing_written(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 2
    folder = write_folder(tmp_path / "sub", base_files())  # three records
    report = submission_import(path_or_file=str(folder))
    assert not report.ok
    issue = next(e for e in report.errors if "行数据的上限" in e.zh)
    assert issue.file == "records.csv" and issue.row == 4
    assert "more than 2 data rows" in issue.en
    assert LearningRecord.objects.count() == 0


def test_file_over_the_size_limit_is_refused_by_the_command_path_too(tmp_path, settings):
    folder = write_folder(tmp_path / "sub", base_files())
    settings.IMPORT_MAX_FILE_BYTES = os.path.getsize(folder / "records.csv") - 1
    report = submission_import(path_or_file=str(folder))
    assert not report.ok
    assert any("文件太大" in e.zh and e.file == "records.csv" for e in report.errors)
    assert LearningRecord.objects.count() == 0
