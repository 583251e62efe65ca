"""Pages: upload (validate first, import on confirmation), templates, dashboard, drill-down, exports."""

import io

import pytest
from bianxue.accounts.models import Role
from bianxue.institutions.models import Institution
from bianxue.spreadsheets import cell_safe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from credits.records.imports import submission_import
from credits.records.models import ImportBatch, IndicatorSnapshot, LearningRecord
from tests.factories import UserFactory, staff_user

from .factories import base_files, write_folder

pytestmark = pytest.mark.django_db


def _uploads(tmp_path, files):
    folder = write_folder(tmp_path / "up", files)
    return [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv") for p in sorted(folder.iterdir())]


def test_upload_validates_first_then_imports_on_confirmation(admin_client, tmp_path):
    response = admin_client.post(reverse("records:import"), {"files": _uploads(tmp_path, base_files())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "valid" and batch.dry_run
    assert LearningRecord.objects.count() == 0
    page = admin_client.get(reverse("records:import_detail", args=[batch.pk]))
    assert "确认导入" in page.content.decode() and "records.csv" in page.content.decode()
    admin_client.post(reverse("records:import_detail", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "done" and LearningRecord.objects.count() == 3
    assert admin_client.get(reverse("records:import_progress", args=[batch.pk])).json()["running"] is False


def test_upload_with_errors_shows_the_error_table(admin_client, tmp_path):
    files = base_files()
    files["records"][0]["kind"] = "lecture"
    admin_client.post(reverse("records:import"), {"files": _uploads(tmp_path, files)})
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid"
    html = admin_client.get(reverse("records:import_detail", args=[batch.pk])).content.decode()
    assert "records.csv" in html and "kind" in html and "确认导入" not in html
    assert admin_client.post(reverse("records:import_detail", args=[batch.pk])).status_code == 302
    assert LearningRecord.objects.count() == 0


@pytest.mark.parametrize(("language", "shown", "not_shown"), [
    ("zh-hans", "只接受 .csv 或 .xlsx 文件：notes.txt。", "Only .csv"),
    ("en", "Only .csv or .xlsx files: notes.txt.", "只接受"),
])
def test_upload_error_speaks_only_the_reader_language(admin_client, language, shown, not_shown):
    admin_client.cookies["django_language"] = language
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    response = admin_client.post(reverse("records:import"), {"files": [upload]}, follow=True)
    body = response.content.decode()
    assert shown in body and not_shown not in body


def test_teacher_may_not_upload(client):
    from tests.factories import InstitutionFactory

    client.force_login(staff_user(institution=InstitutionFactory(), role=Role.TEACHER))
    assert client.get(reverse("records:import")).status_code == 403


def test_templates_download():
    from django.test import Client

    c = Client()
    for name in ("submission-en.xlsx", "submission-zh.xlsx"):
        response = c.get(reverse("records:template", args=[name]))
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["institutions", "certificates", "majors", "students", "records", "代码表"]
        header = [cell.value for cell in book["records"][1]]
        assert header[0] == ("记录编号" if "zh" in name else "record_id")
    assert c.get(reverse("records:template", args=["records.csv"])).content.decode("utf-8-sig").startswith("record_id,")
    assert c.get(reverse("records:template", args=["records-zh.csv"])).content.decode("utf-8-sig").startswith("记录编号,")
    assert c.get(reverse("records:template", args=["nope.csv"])).status_code == 404


@pytest.fixture
def imported(tmp_path):
    assert submission_import(path_or_file=write_folder(tmp_path / "d", base_files()), actor=None).ok


def test_dashboard_for_bureau_admin(admin_client, imported, django_assert_max_num_queries):
    response = admin_client.get(reverse("records:dashboard"), {"year": 2025})
    html = response.content.decode()
    assert response.status_code == 200
    for code in ("X1", "X2", "V1", "V2", "L1", "L8", "C3"):
        assert f'<span class="tag">{code}</span>' in html
    assert "未达标" in html and "数据计算时间" in html and "data-chart-district" in html and "各县区数据表" in html
    assert IndicatorSnapshot.objects.filter(year=2025, level="city").exists()
    with django_assert_max_num_queries(40):  # computes and stores the district snapshot
        admin_client.get(reverse("records:dashboard"), {"year": 2025, "district": "410202"})
    with django_assert_max_num_queries(16):  # reads it
        admin_client.get(reverse("records:dashboard"), {"year": 2025, "district": "410202"})


def test_dashboard_read_only_for_institution_staff(client, imported):
    school = Institution.objects.get(code="T-VS-1")
    client.force_login(staff_user(institution=school, role=Role.REGISTRAR))
    html = client.get(reverse("records:dashboard"), {"year": 2025, "district": "410221"}).content.decode()
    assert "只读" in html and "测试职业学校" in html and "立即重新计算" not in html
    assert client.get(reverse("records:dashboard"), {"institution": "T-CC-1"}).content.decode().count("测试社区学院") == 0


def test_dashboard_refused_to_learners(client):
    client.force_login(UserFactory())
    assert client.get(reverse("records:dashboard")).status_code == 403


def test_drilldown_pages_are_masked_and_keyset_paginated(admin_client, imported, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("records:drilldown", args=["V1"]), {"year": 2025})
    html = response.content.decode()
    assert "R1" in html and "R3" in html
    from tests.credits.records.factories import ID_A

    assert ID_A not in html and ID_A[:4] + "**********" + ID_A[-4:] in html
    page = admin_client.get(reverse("records:drilldown", args=["X2"]), {"year": 2025}).content.decode()
    assert ">是<" in page and "yes" not in page
    export = admin_client.get(reverse("records:drilldown", args=["V1"]), {"year": 2025, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert len(rows) == 3 and ID_A not in str(rows)


def test_report_exports(admin_client, imported):
    xlsx = admin_client.get(reverse("records:report", args=["xlsx"]), {"year": 2025})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert [r[0] for r in book["indicators"].iter_rows(min_row=2, values_only=True)][:3] == ["X1", "X2", "X3"]
    pdf = admin_client.get(reverse("records:report", args=["pdf"]), {"year": 2025})
    assert pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "X1" in text


def test_formula_injection_is_neutralised():
    assert cell_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell_safe("+1") == "'+1" and cell_safe("-1") == "'-1" and cell_safe("@SUM") == "'@SUM"
    assert cell_safe("王") == "王" and cell_safe(5) == 5
