"""Exports: xlsx (formula injection neutralised), PDF (reportlab, embedded font: credits.pdf_fonts), templates."""

import csv
import io

from bianxue.spreadsheets import cell_safe, xlsx_bytes
from bianxue.vocab import Category
from django.utils import timezone

from .importer.schema import CODED, CODED_BY_LABEL, EXAMPLES, FILES, FILES_BY_NAME, example_value
from .indicators import META_BY_CODE

CODE_SHEET = "代码表"


def _template_header(spec, *, chinese: bool) -> list[str]:
    return [c.label if chinese else c.key for c in spec.columns]


def _template_example(spec, *, chinese: bool) -> list[str]:
    example = EXAMPLES[spec.name]
    return [example_value(c.key, example.get(c.key, ""), chinese=chinese) for c in spec.columns]


def template_xlsx(*, chinese: bool) -> bytes:
    """The submission workbook: one sheet per file with its header (English keys or Chinese labels), an example
    row (marked as such: left in an upload it is refused, never imported) and drop-down lists (data validation)
    on the coded columns; then the code sheet 代码表 listing each code with its Chinese name (the importer skips
    it). The Chinese template's lists offer the Chinese names (accepted as the codes are), the district its codes.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    last_row = 2000
    for spec in FILES:
        sheet = book.create_sheet(spec.name)
        sheet.append([cell_safe(h) for h in _template_header(spec, chinese=chinese)])
        sheet.append([cell_safe(v) for v in _template_example(spec, chinese=chinese)])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="808080")
        sheet["A2"].comment = Comment("示例行：请照此填写，上传前删除本行。Example row: delete it before uploading.",
                                      "汴学")
        sheet.freeze_panes = "A2"
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, len(column.label) * 2 + 4, len(column.key) + 4)
            vocab = CODED.get(column.key)
            if vocab is None:
                continue
            by_label = chinese and column.key in CODED_BY_LABEL
            choices = list(vocab.values()) if by_label else list(vocab)
            validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                        showErrorMessage=True, errorTitle="代码 code",
                                        error="请从下拉列表中选择（见“代码表”）。Choose from the list (see the code sheet).")
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
    codes = book.create_sheet(CODE_SHEET)
    codes.append(["列 column", "代码 code", "中文名称 Chinese name"])
    for cell in codes[1]:
        cell.font = Font(bold=True)
    for key, vocab in CODED.items():
        column = next(c for spec in FILES for c in spec.columns if c.key == key)
        for code, label in vocab.items():
            codes.append([cell_safe(column.label if chinese else key), code, label])
    for letter, width in (("A", 20), ("B", 24), ("C", 30)):
        codes.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(*, name: str, chinese: bool) -> bytes:
    """One file's CSV template: its header and the example row (the CSV has no room for lists or notes)."""
    spec = FILES_BY_NAME[name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_template_header(spec, chinese=chinese))
    writer.writerow([cell_safe(v) for v in _template_example(spec, chinese=chinese)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _fmt(value) -> str:
    return "—" if value is None else str(value)


def report_rows(data: dict) -> list[list]:
    rows = []
    for item in data["indicators"]:
        meta = META_BY_CODE[item["code"]]
        target = f"{item['comparison']} {item['target']}" if item["target"] is not None else ""
        met = {True: "达标 met", False: "未达标 not met", None: ""}[item["met"]]
        rows.append([item["code"], meta.zh, meta.en, item["value"], item["unit"], item["numerator"],
                     item["denominator"], target, met, item["source"]])
    return rows


REPORT_HEADER = ["代码 code", "指标", "indicator", "值 value", "单位 unit", "分子 numerator", "分母 denominator",
                 "目标 target", "是否达标 met", "依据 source"]


def report_xlsx(data: dict, *, taken_at=None) -> bytes:
    sheets = [("indicators", REPORT_HEADER, report_rows(data))]
    categories = dict(Category.choices)  # codes as names (smart_tech: 智能技术应用)
    for item in data["indicators"]:
        if item.get("by_category"):
            sheets.append((f"{item['code']} by category", ["类别 category", "数量 count"],
                           [[str(categories.get(k, k)), v] for k, v in item["by_category"].items()]))
        if item.get("by_institution"):
            sheets.append((f"{item['code']} by institution", ["机构 institution", "培训人次 person-times",
                                                               "在校生 enrolment", "比值 ratio"],
                           [[r["institution"], r["numerator"], r["denominator"], r["value"]]
                            for r in item["by_institution"]]))
    scope = data["scope"]
    sheets.append(("about", ["项目 item", "值 value"], [
        ["年度 year", data["year"]], ["范围 scope", f"{scope['level']} {scope.get('code', '')} {scope.get('name', '')}"],
        ["计算时间 taken at", timezone.localtime(taken_at).isoformat() if taken_at else ""]]))
    return xlsx_bytes(sheets)


def report_pdf(data: dict, *, taken_at=None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from credits.pdf_fonts import pdf_fallback_font, pdf_font, pdf_markup

    font = pdf_font()
    title_style = ParagraphStyle("t", fontName=font, fontSize=16, leading=22)
    body = ParagraphStyle("b", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    scope = data["scope"]
    scope_text = {"city": "开封市 全市 city"}.get(scope["level"], f"{scope.get('name', '')} {scope.get('code', '')}")
    cells = [REPORT_HEADER, *([_fmt(v) for v in row] for row in report_rows(data))]
    fallback = pdf_fallback_font([text for row in cells for text in row] + [scope_text])
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=f"规划指标 Plan indicators {data['year']}",
                            initialFontName=font)
    story = [Paragraph(pdf_markup(f"开封市教育规划指标 Plan indicators · {data['year']} · {scope_text}", fallback),
                       title_style),
             Paragraph(f"计算时间 taken at: {timezone.localtime(taken_at):%Y-%m-%d %H:%M}" if taken_at else "", body),
             Spacer(1, 8)]
    rows = [[Paragraph(pdf_markup(text, fallback), body) for text in row] for row in cells]
    table = Table(rows, repeatRows=1, colWidths=[34, 150, 150, 50, 60, 60, 60, 50, 60, 60])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    doc.build(story)
    return out.getvalue()
