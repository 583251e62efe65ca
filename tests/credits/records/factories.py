"""Small submissions for importer tests, written as CSV folders (or xlsx workbooks)."""

import csv
from pathlib import Path

from bianxue.people.identifiers import resident_id_check_char

from credits.records.importer.schema import FILES_BY_NAME


def rid(first17: str) -> str:
    """A resident ID number with a valid check character."""
    return first17 + resident_id_check_char(first17)


ID_A = rid("41020219500101001")  # born 1950
ID_B = rid("41022120080202002")  # born 2008


def base_files() -> dict[str, list[dict]]:
    return {
        "institutions": [
            {"code": "T-VS-1", "name": "测试职业学校", "type": "secondary_vocational", "district": "410202",
             "quality_vocational": "1", "parent_code": ""},
            {"code": "T-CC-1", "name": "测试社区学院", "type": "community_college", "district": "410221",
             "quality_vocational": "0", "parent_code": "T-VS-1"},
        ],
        "certificates": [{"cert_code": "TX1", "name": "测试证书", "issuer": "评价组织"}],
        "majors": [{"institution_code": "T-VS-1", "major_code": "010101", "major_name": "专业1", "cert_codes": "TX1"}],
        "students": [{"year": "2025", "institution_code": "T-VS-1", "major_code": "010101", "learner_id": ID_B,
                      "name": "李四", "apprenticeship": "0"}],
        "records": [
            {"record_id": "R1", "kind": "training", "learner_id": ID_B, "name": "李四", "birth_year": "",
             "district": "410221", "institution_code": "T-VS-1", "programme_code": "P1", "programme_name": "培训",
             "category": "x_certificate", "cert_code": "TX1", "cert_level": "junior", "date": "2025-03-01",
             "hours": "16", "result": "completed", "certificate_no": ""},
            {"record_id": "R2", "kind": "exam", "learner_id": ID_B, "name": "李四", "birth_year": "2008",
             "district": "410221", "institution_code": "T-VS-1", "programme_code": "P1", "programme_name": "考试",
             "category": "x_certificate", "cert_code": "TX1", "cert_level": "junior", "date": "2025-06-01",
             "hours": "", "result": "passed", "certificate_no": "C-1"},
            {"record_id": "R3", "kind": "training", "learner_id": ID_A, "name": "张三", "birth_year": "",
             "district": "410202", "institution_code": "T-CC-1", "programme_code": "S1", "programme_name": "智能手机",
             "category": "smart_tech", "cert_code": "", "cert_level": "", "date": "2025-12-31",
             "hours": "4.5", "result": "attended", "certificate_no": ""},
        ],
    }


def write_folder(folder: Path, files: dict[str, list[dict]], *, chinese: bool = False, bom: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        spec = FILES_BY_NAME.get(name)
        keys = list(rows[0]) if rows else list(spec.keys)
        header = [spec.label(k) if chinese and spec and k in spec.keys else k for k in keys]
        with open(folder / f"{name}.csv", "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for row in rows:
                writer.writerow([row.get(k, "") for k in keys])
    return folder


def write_xlsx(path: Path, files: dict[str, list[dict]], *, chinese: bool = False) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in files.items():
        spec = FILES_BY_NAME[name]
        sheet = book.create_sheet(name)
        keys = list(rows[0]) if rows else list(spec.keys)
        sheet.append([spec.label(k) if chinese else k for k in keys])
        for row in rows:
            sheet.append([row.get(k, "") for k in keys])
    book.save(path)
    return path
