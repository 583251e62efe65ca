"""Spreadsheet output shared by every export: one formula-injection escaper, one xlsx writer."""

import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value):
    """A value that a spreadsheet will not execute: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xlsx_bytes(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """[(sheet title, header, rows)] → xlsx bytes, every cell neutralised."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append([cell_safe(h) for h in header])
        for row in rows:
            sheet.append([cell_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
