"""Reading a submission (a folder of CSV files, an .xlsx workbook, or uploaded files) into rows.

Every row keeps its row number (header = row 1). Header problems (unknown, duplicate or missing
required columns) are reported like row errors: the importer collects them all.
"""

import csv
import datetime
import io
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from .report import ImportIssue
from .schema import CODE_SHEET_TITLES, FILES_BY_NAME, FileSpec, is_example_row


@dataclass
class ParsedFile:
    spec: FileSpec
    display: str  # what errors call the file: "records.csv" or "book.xlsx:records"
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # key → the header as the file wrote it
    chinese: bool = False  # the file named (some of) its columns by their Chinese labels

    def column_name(self, key: str) -> str:
        """A column as the file named it (errors say that); for a column the file lacks, its Chinese label when
        the file used Chinese headers, else its key."""
        if key in self.headers:
            return self.headers[key]
        if self.chinese and key in self.spec.keys:
            return self.spec.label(key)
        return key


@dataclass
class ParsedSubmission:
    files: dict[str, ParsedFile] = field(default_factory=dict)
    errors: list[ImportIssue] = field(default_factory=list)


def _cell_text(value) -> str:
    """An xlsx cell as the text a CSV would carry."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value).strip()


def _header_map(spec: FileSpec, display: str, header: list[str], out: list[ImportIssue],
                parsed: ParsedFile | None = None) -> list[str | None] | None:
    """Map header cells to keys: English keys (any case) or Chinese labels, mixed if need be. ``parsed`` learns
    how the file named each column."""
    by_name = {}
    for column in spec.columns:
        by_name[column.key.lower()] = column.key
        by_name[column.label] = column.key
    keys: list[str | None] = []
    seen: set[str] = set()
    ok = True
    for raw in header:
        name = (raw or "").strip().lstrip("\ufeff").strip()
        if not name:
            keys.append(None)  # an empty header cell: its values must be empty too (checked per row)
            continue
        key = by_name.get(name) or by_name.get(name.lower())
        if key is None:
            out.append(ImportIssue(display, 1, name, f"未知的列“{name}”", f"Unknown column '{name}'"))
            ok = False
            keys.append(None)
            continue
        if key in seen:
            out.append(ImportIssue(display, 1, key, f"重复的列“{name}”", f"Duplicate column '{name}'"))
            ok = False
        seen.add(key)
        keys.append(key)
        if parsed is not None:
            parsed.headers.setdefault(key, name)
            parsed.chinese = parsed.chinese or name == spec.label(key)
    for column in spec.columns:
        if column.required and column.key not in seen:
            missing = column.label if parsed is not None and parsed.chinese else column.key
            out.append(ImportIssue(display, 1, missing, f"缺少必填列“{column.key}（{column.label}）”",
                                   f"Missing required column '{column.key}' ({column.label})"))
            ok = False
    return keys if ok else None


def _read_rows(spec: FileSpec, display: str, rows: Iterator[list[str]], out: list[ImportIssue]) -> ParsedFile:
    parsed = ParsedFile(spec=spec, display=display)
    header = next(rows, None)
    if header is None:
        return parsed  # an empty file: no rows
    keys = _header_map(spec, display, header, out, parsed)
    if keys is None:
        return parsed
    blank = dict.fromkeys(spec.keys, "")
    last = settings.IMPORT_MAX_ROWS + 1  # the header is row 1
    for number, cells in enumerate(rows, start=2):
        if number > last:
            out.append(ImportIssue(display, number, "", f"文件超过 {settings.IMPORT_MAX_ROWS} 行数据的上限，请分成几次提交",
                                   f"The file has more than {settings.IMPORT_MAX_ROWS} data rows: submit it in parts"))
            break
        if not any((c or "").strip() for c in cells):
            continue  # blank line
        row = dict(blank)
        for index, cell in enumerate(cells):
            value = (cell or "").strip()
            key = keys[index] if index < len(keys) else None
            if key is None:
                if value:
                    out.append(ImportIssue(display, number, f"#{index + 1}", "该列没有列名",
                                           "A value in a column without a header"))
                continue
            row[key] = value
        if is_example_row(spec.name, row):
            out.append(ImportIssue(display, number, "", "这是模板中的示例行，请删除后再上传",
                                   "This is the template's example row: delete it before uploading"))
            continue
        parsed.rows.append((number, row))
    return parsed


def _csv_rows(data: bytes, display: str, out: list[ImportIssue]) -> Iterator[list[str]] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        out.append(ImportIssue(display, 0, "", f"文件不是 UTF-8 编码（字节 {exc.start}）",
                               f"The file is not UTF-8 encoded (byte {exc.start})"))
        return None
    return iter(csv.reader(io.StringIO(text, newline="")))


def _add(submission: ParsedSubmission, name: str, display: str, rows: Iterator[list[str]] | None) -> None:
    spec = FILES_BY_NAME.get(name)
    if spec is None:
        submission.errors.append(ImportIssue(display, 0, "", f"未知的文件“{display}”（可用：{', '.join(FILES_BY_NAME)}）",
                                             f"Unknown file '{display}' (expected: {', '.join(FILES_BY_NAME)})"))
        return
    if name in submission.files:
        submission.errors.append(ImportIssue(display, 0, "", "同一文件提交了两次", "The same file was submitted twice"))
        return
    if rows is not None:
        submission.files[name] = _read_rows(spec, display, rows, submission.errors)


def _too_large(size: int | None, display: str, out: list[ImportIssue]) -> bool:
    limit = settings.IMPORT_MAX_FILE_BYTES
    if size is not None and size > limit:
        out.append(ImportIssue(display, 0, "", f"文件太大：上限为 {limit // 1024 // 1024} MB",
                               f"The file is too large: the limit is {limit // 1024 // 1024} MB"))
        return True
    return False


def _xlsx_within_limits(source, display: str, out: list[ImportIssue]) -> bool:
    """Refuse a workbook that would unpack to more than the limits before openpyxl reads any of it: an .xlsx is
    a zip, and a small file can hold gigabytes of XML (a zip bomb) or a huge shared-strings table."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return True  # not a zip: openpyxl reports the unreadable workbook
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    mb = 1024 * 1024
    total = sum(m.file_size for m in members)
    if total > settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES:
        limit = settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES // mb
        out.append(ImportIssue(display, 0, "", f"工作簿解压后超过 {limit} MB 的上限（{total // mb} MB），请分成几个文件或改用 CSV",
                               f"The workbook unpacks to {total // mb} MB, over the {limit} MB limit: "
                               "split it or use CSV files"))
        return False
    strings = sum(m.file_size for m in members if m.filename.lower().endswith("sharedstrings.xml"))
    if strings > settings.IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES:
        limit = settings.IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES // mb
        out.append(ImportIssue(display, 0, "", f"工作簿的共享字符串表超过 {limit} MB 的上限，请分成几个文件或改用 CSV",
                               f"The workbook's shared-strings table is over the {limit} MB limit: "
                               "split it or use CSV files"))
        return False
    return True


def _parse_xlsx(source, display: str, submission: ParsedSubmission) -> None:
    from openpyxl import load_workbook

    size = Path(source).stat().st_size if isinstance(source, str | os.PathLike) else getattr(source, "size", None)
    if _too_large(size, display, submission.errors) or not _xlsx_within_limits(source, display, submission.errors):
        return
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # any unreadable workbook is one error
        submission.errors.append(ImportIssue(display, 0, "", f"无法读取工作簿：{exc}", f"Cannot read the workbook: {exc}"))
        return
    try:
        for sheet in workbook.worksheets:
            rows = ([_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True))
            name = sheet.title.strip().removesuffix(".csv")
            if name in CODE_SHEET_TITLES:
                continue  # the template's code sheet (schema.CODE_SHEET_TITLES)
            if name not in FILES_BY_NAME:
                first = next(rows, None)
                if first is None or not any(first):
                    continue  # an empty default sheet
            _add(submission, name, f"{display}:{sheet.title}", rows)
    finally:
        workbook.close()


def _add_csv_path(submission: ParsedSubmission, path: Path) -> None:
    if not _too_large(path.stat().st_size, path.name, submission.errors):
        _add(submission, path.stem, path.name, _csv_rows(path.read_bytes(), path.name, submission.errors))


def parse_submission(path_or_file) -> ParsedSubmission:
    """Parse a folder, an .xlsx or .csv path, an uploaded file, or an iterable of (name, file-like)."""
    submission = ParsedSubmission()
    if isinstance(path_or_file, str | os.PathLike):
        path = Path(path_or_file)
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.suffix.lower() == ".csv":
                    _add_csv_path(submission, child)
                elif child.suffix.lower() == ".xlsx" and not child.name.startswith("~$"):
                    _parse_xlsx(child, child.name, submission)
        elif path.suffix.lower() == ".xlsx":
            _parse_xlsx(path, path.name, submission)
        elif path.suffix.lower() == ".csv":
            _add_csv_path(submission, path)
        else:
            submission.errors.append(ImportIssue(str(path), 0, "", "路径应为文件夹、.xlsx 或 .csv 文件",
                                                 "The path must be a folder, an .xlsx or a .csv file"))
        return submission
    items: Iterable = path_or_file if isinstance(path_or_file, list | tuple) else [(path_or_file.name, path_or_file)]
    for name, handle in items:
        base = os.path.basename(name)
        stem, ext = os.path.splitext(base)
        if ext.lower() == ".xlsx":
            _parse_xlsx(handle, base, submission)
        elif ext.lower() == ".csv":
            if not _too_large(getattr(handle, "size", None), base, submission.errors):
                _add(submission, stem, base, _csv_rows(handle.read(), base, submission.errors))
        else:
            submission.errors.append(ImportIssue(base, 0, "", "只接受 .csv 或 .xlsx 文件", "Only .csv or .xlsx files are accepted"))
    return submission
