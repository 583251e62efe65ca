"""Evidence files of the demo declarations: a training certificate and an attendance statement, generated as real
multi-page-capable PDFs with reportlab (the library of credits/documents.py), set in the CID font STSong-Light
(every PDF reader provides it; text stays extractable) with paragraphs that wrap."""

import io

FONT = "STSong-Light"


def _styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("base", fontName=FONT, fontSize=12, leading=20, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=24, leading=34, alignment=1, spaceAfter=12),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, alignment=1, spaceAfter=18),
        "body": ParagraphStyle("body", parent=base, fontSize=13, leading=24, firstLineIndent=26, spaceAfter=8),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10.5, leading=15),
        "right": ParagraphStyle("right", parent=base, alignment=2, spaceBefore=24),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=14, textColor="#555555", spaceBefore=18),
    }


def _document(story: list, *, title: str, author: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=25 * mm,
                            bottomMargin=22 * mm, title=title, author=author)
    doc.build(story)
    return buf.getvalue()


def _table(rows: list[list[str]], widths: list[float], styles: dict):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    table = Table([[Paragraph(str(cell), styles["cell"]) for cell in row] for row in rows], colWidths=widths,
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def certificate_pdf(*, name: str, id_masked: str, course: str, organiser: str, hours: str, start: str, end: str,
                    number: str, issued: str, items: list[str]) -> bytes:
    """A training certificate (培训合格证书) as an organiser would issue it."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    s = _styles()
    story = [
        Paragraph("培训合格证书", s["title"]),
        Paragraph(f"证书编号：{number}", s["subtitle"]),
        Paragraph(f"学员 {name}（身份证号 {id_masked}）于 {start} 至 {end} 参加{organiser}举办的「{course}」，"
                  f"完成全部 {hours} 学时的理论学习与实操训练，经考核合格，特发此证。", s["body"]),
        Spacer(1, 4 * mm),
        _table([["培训内容", "考核结果"], *[[item, "合格"] for item in items]], [110 * mm, 46 * mm], s),
        Paragraph(f"{organiser}（盖章）", s["right"]),
        Paragraph(f"发证日期：{issued}", s["right"]),
        Paragraph("本证书为演示数据，由汴学平台生成，人物与编号均为虚构。", s["small"]),
    ]
    return _document(story, title=f"培训合格证书 {number}", author=organiser)


def attendance_pdf(*, name: str, id_masked: str, course: str, organiser: str, sessions: list[tuple[str, ...]],
                   issued: str) -> bytes:
    """An attendance statement (出勤证明): one row per session (date, time, topic, hours, sign-in)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    s = _styles()
    hours = sum(float(row[3]) for row in sessions)
    story = [
        Paragraph("学习出勤证明", s["title"]),
        Paragraph(organiser, s["subtitle"]),
        Paragraph(f"兹证明 {name}（身份证号 {id_masked}）参加本单位举办的「{course}」，共 {len(sessions)} 次课，"
                  f"出勤情况如下，累计 {hours:g} 学时。", s["body"]),
        Spacer(1, 4 * mm),
        _table([["日期", "时间", "内容", "学时", "签到"], *[list(row) for row in sessions]],
               [28 * mm, 28 * mm, 66 * mm, 14 * mm, 20 * mm], s),
        Paragraph(f"{organiser}（盖章）", s["right"]),
        Paragraph(f"出具日期：{issued}", s["right"]),
        Paragraph("本证明为演示数据，由汴学平台生成，人物均为虚构。", s["small"]),
    ]
    return _document(story, title=f"学习出勤证明 {course}", author=organiser)
