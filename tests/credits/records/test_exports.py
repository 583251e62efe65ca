"""Dashboard over HTTP: the whole report downloads as xlsx and PDF with every indicator code; the chart data
island that Chart.js reads; snapshot refresh; institution staff get only their own figures."""

import io
import json
import re

import pytest
from bianxue.accounts.models import Role
from bianxue.institutions.models import Institution
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from credits.records.imports import submission_import
from credits.records.indicators import INDICATORS, Scope, snapshot_store
from tests.credits.test_documents import _embedded_glyph_check
from tests.factories import staff_user

from .factories import base_files, write_folder

pytestmark = pytest.mark.django_db

CODES = [m.code for m in INDICATORS]


@pytest.fixture
def imported(tmp_path):
    files = base_files()
    assert submission_import(path_or_file=write_folder(tmp_path / "d", files), actor=None).ok
    # a second year, so that the cards have a trend to draw
    for row in files["records"]:
        row["record_id"] += "-2024"
        row["date"] = row["date"].replace("2025", "2024")
    files["students"][0]["year"] = "2024"
    assert submission_import(path_or_file=write_folder(tmp_path / "e", files), actor=None).ok
    for year in (2024, 2025):  # what the import's on_commit refresh stores (not run inside a test transaction)
        snapshot_store(year=year, scope=Scope("city"))


def test_report_xlsx_has_every_indicator_code(admin_client, imported):
    response = admin_client.get(reverse("records:report", args=["xlsx"]), {"year": 2025})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="indicators-2025-city.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book["indicators"].iter_rows(values_only=True))
    assert rows[0][0] == "代码 code"
    assert [r[0] for r in rows[1:]] == CODES
    about = dict(book["about"].iter_rows(min_row=2, values_only=True))
    assert about["年度 year"] == 2025
    categories = [r[0] for r in book["V1 by category"].iter_rows(min_row=2, values_only=True)]
    assert categories and not any(re.fullmatch(r"[a-z_]+", c) for c in categories), categories  # names, not codes


def test_report_pdf_has_every_indicator_code(admin_client, imported):
    response = admin_client.get(reverse("records:report", args=["pdf"]), {"year": 2025, "district": "410202"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="indicators-2025-410202.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for code in CODES:
        assert re.search(rf"\b{code}\b", text), code
    assert "2025" in text and "410202" in text
    drawn, problems = _embedded_glyph_check(response.content)  # embedded fonts, a real glyph for every character
    assert not problems, problems[:5]
    assert {"开", "封", "·"} <= drawn


def test_unknown_report_format_is_404(admin_client, imported):
    assert admin_client.get(reverse("records:report", args=["docx"])).status_code == 404


def _island(html: str) -> dict:
    match = re.search(r'<script id="dashboard-chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no chart data island"
    return json.loads(match.group(1))


def test_dashboard_chart_data_island_and_text_alternatives(admin_client, imported):
    html = admin_client.get(reverse("records:dashboard"), {"year": 2025, "chart": "V1"}).content.decode()
    # Chart.js and the module are loaded from our own origin only; no inline script runs
    assert "frontend/vendor/chart.umd.min.js" in html and "records/dashboard-charts.js" in html
    assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))[^>]*>", html)
    data = _island(html)
    district = data["district"]
    assert district["code"] == "V1" and len(district["labels"]) == 9 and len(district["values"]) == 9
    assert "各县区" in district["label"] and "V1" in district["label"]
    trend = data["trends"]["V1"]
    assert trend["years"] == ["2024", "2025"] and None not in trend["values"]
    assert trend["label"].startswith("趋势 V1")
    # the text alternatives stay in the page: trend tables and the district table
    assert 'id="trend-V1"' in html and 'id="district-table"' in html
    assert 'data-chart-trend="V1"' in html and "data-chart-district" in html
    # no hand-drawn SVG left
    assert "<svg" not in html


def test_dashboard_chart_choice_falls_back_for_city_wide_indicators(admin_client, imported):
    html = admin_client.get(reverse("records:dashboard"), {"year": 2025, "chart": "L1"}).content.decode()
    assert _island(html)["district"]["code"] == "V1"


def test_snapshot_refresh_for_bureau_admin(admin_client, imported):
    response = admin_client.post(reverse("records:snapshot_refresh") + "?year=2025", follow=True)
    assert response.status_code == 200
    assert "指标已重新计算" in response.content.decode()


def test_institution_staff_export_and_island_only_their_own_figures(client, imported):
    school = Institution.objects.get(code="T-VS-1")
    client.force_login(staff_user(institution=school, role=Role.REGISTRAR))
    response = client.get(reverse("records:report", args=["xlsx"]), {"year": 2025, "institution": "T-CC-1"})
    assert 'filename="indicators-2025-T-VS-1.xlsx"' in response["Content-Disposition"]
    html = client.get(reverse("records:dashboard"), {"year": 2025}).content.decode()
    assert _island(html)["district"] is None and "data-chart-district" not in html
    assert client.post(reverse("records:snapshot_refresh")).status_code == 403
