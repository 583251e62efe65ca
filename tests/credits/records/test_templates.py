"""The import templates (exports.template_xlsx / template_csv) and how an upload is reported: an example row,
drop-down lists and a code sheet; errors name the column as the file did; an .xlsx is reported by its name."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from credits.records.importer.parsing import parse_submission
from credits.records.importer.schema import FILES, FILES_BY_NAME
from credits.records.imports import submission_import
from credits.records.models import ImportBatch, LearningRecord

from .factories import base_files, write_folder, write_xlsx

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _template(client, name):
    response = client.get(reverse("records:template", args=[name]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _validations(sheet) -> dict[str, str]:
    """{column letter: list formula} of a sheet's data validations."""
    out = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        for ref in str(validation.sqref).split():
            out[ref.split(":")[0].rstrip("0123456789")] = validation.formula1
    return out


def test_chinese_workbook_has_example_rows_dropdowns_and_a_code_sheet(client):
    book = _template(client, "submission-zh.xlsx")
    assert book.sheetnames == [f.name for f in FILES] + ["代码表"]
    records = book["records"]
    header = [c.value for c in records[1]]
    assert header == [c.label for c in FILES_BY_NAME["records"].columns]
    example = dict(zip(header, [c.value for c in records[2]], strict=True))
    assert example["类型"] == "培训" and example["类别"] == "职业技能培训" and example["结果"] == "结业"
    assert "示例" in example["姓名"] or "示例" in example["项目名称"]
    lists = _validations(records)
    letter = {label: chr(ord("A") + i) for i, label in enumerate(header)}
    assert "智能技术应用" in lists[letter["类别"]] and "x_certificate" not in lists[letter["类别"]]
    assert "410202" in lists[letter["县区代码"]]
    assert set(lists) == {letter[k] for k in ("类型", "县区代码", "类别", "证书等级", "结果")}
    codes = [tuple(r) for r in book["代码表"].iter_rows(min_row=2, values_only=True)]
    assert ("类别", "smart_tech", "智能技术应用") in codes and ("县区代码", "410225", "兰考县") in codes
    assert ("结果", "passed", "通过") in codes and ("机构类型", "open_university", "开放大学") in codes


def test_english_workbook_lists_the_codes(client):
    book = _template(client, "submission-en.xlsx")
    records = book["records"]
    header = [c.value for c in records[1]]
    assert header[:3] == ["record_id", "kind", "learner_id"]
    example = dict(zip(header, [c.value for c in records[2]], strict=True))
    assert (example["kind"], example["category"], example["result"]) == ("training", "vocational", "completed")
    category = _validations(records)[chr(ord("A") + header.index("category"))]
    assert "x_certificate" in category and "smart_tech" in category
    assert _validations(book["students"])  # apprenticeship 0/1
    assert ("category", "smart_tech", "智能技术应用") in [
        tuple(r) for r in book["代码表"].iter_rows(min_row=2, values_only=True)]


def test_csv_template_has_the_header_and_the_example_row(client):
    text = client.get(reverse("records:template", args=["records-zh.csv"])).content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("记录编号,类型,") and ",培训," in lines[1]
    english = client.get(reverse("records:template", args=["records.csv"])).content.decode("utf-8-sig")
    assert english.splitlines()[1].split(",")[1] == "training"


def test_an_untouched_template_is_refused_row_by_row_and_its_code_sheet_is_skipped(client, tmp_path):
    for name in ("submission-zh.xlsx", "submission-en.xlsx"):
        path = tmp_path / name
        path.write_bytes(client.get(reverse("records:template", args=[name])).content)
        report = submission_import(path_or_file=path)
        assert not report.ok
        messages = [(e.file, e.row, e.zh) for e in report.errors]
        assert {(f"{name}:{spec.name}", 2) for spec in FILES} == {(f, r) for f, r, _zh in messages}
        assert all("示例行" in zh for _f, _r, zh in messages)  # no "unknown file 代码表"
    assert LearningRecord.objects.count() == 0


def test_a_filled_in_template_imports(client, tmp_path):
    """The template with its example rows replaced by real ones: the code sheet does not get in the way."""
    book = load_workbook(io.BytesIO(client.get(reverse("records:template", args=["submission-zh.xlsx"])).content))
    for name, rows in base_files().items():
        sheet = book[name]
        sheet.delete_rows(2)
        spec = FILES_BY_NAME[name]
        for row in rows:
            sheet.append([row.get(c.key, "") for c in spec.columns])
    path = tmp_path / "填好的模板.xlsx"
    book.save(path)
    report = submission_import(path_or_file=path)
    assert report.ok, report.errors
    assert LearningRecord.objects.count() == 3


def test_errors_name_the_column_as_the_file_named_it(tmp_path):
    files = base_files()
    files["records"][0]["kind"] = "lecture"
    files["records"][1]["learner_id"] = ""
    chinese = submission_import(path_or_file=write_folder(tmp_path / "zh", files, chinese=True))
    columns = {e.column for e in chinese.errors}
    assert columns == {"类型", "学习者标识"} and "learner_id" not in columns
    english = submission_import(path_or_file=write_folder(tmp_path / "en", files))
    assert {e.column for e in english.errors} == {"kind", "learner_id"}
    mixed = parse_submission(write_folder(tmp_path / "missing", {"records": [
        {k: v for k, v in files["records"][0].items() if k != "learner_id"}]}, chinese=True))
    assert [e.column for e in mixed.errors] == ["学习者标识"]  # a missing column, in the file's language


def test_an_xlsx_upload_is_reported_by_its_real_name(admin_client, tmp_path):
    path = write_xlsx(tmp_path / "2025年培训记录.xlsx", base_files(), chinese=True)
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type=XLSX)
    admin_client.post(reverse("records:import"), {"files": [upload]})
    batch = ImportBatch.objects.get()
    assert batch.status == "valid" and batch.counts["records"]["file"] == "2025年培训记录.xlsx:records"
    page = admin_client.get(reverse("records:import_detail", args=[batch.pk])).content.decode()
    assert "2025年培训记录.xlsx:records" in page and "records.csv" not in page


def test_the_command_summary_names_the_workbook(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", base_files())
    report = submission_import(path_or_file=path, dry_run=True)
    assert any(line.startswith("book.xlsx:records: created 3") for line in report.summary_lines())
