"""Transcript (学习成果证明): issued as a snapshot with a short code, rendered to PDF with reportlab.

Text is set in an embedded font that covers every character drawn (credits.pdf_fonts); table cells and the
verification address wrap; dates are Asia/Shanghai. A QR code and the short code point to the public
verification page /credits/verify/<code>/.
"""

import io
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import LearnerAccount, LedgerEntry, Outcome, OutcomeStatus, Transcript
from .pdf_fonts import pdf_fallback_font, pdf_font, pdf_markup

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O/1/I: read aloud and typed by hand


def transcript_statement(*, account: LearnerAccount) -> dict:
    outcomes = list(account.outcomes.filter(status=OutcomeStatus.CERTIFIED).select_related("institution")
                    .order_by("date", "pk"))
    conversions = list(account.entries.filter(kind=LedgerEntry.Kind.CONVERSION)
                       .select_related("application__institution").order_by("seq"))
    return {
        "name": account.learner.name,
        "id_masked": account.learner.id_masked,
        "account": account.number,
        "outcomes": [{"id": o.pk, "date": o.date.isoformat(), "title": o.title, "type": o.get_type_display(),
                      "institution": o.institution.name, "credits": str(o.credits)} for o in outcomes],
        "conversions": [{"course": e.memo, "institution": e.application.institution.name if e.application else "",
                         "credits": str(e.credits), "date": timezone.localtime(e.created_at).date().isoformat(),
                         "outcome_id": e.outcome_id} for e in conversions],
        "total": str(sum((o.credits or Decimal("0") for o in outcomes), Decimal("0"))),
    }


def transcript_issue(*, account: LearnerAccount) -> Transcript:
    statement = transcript_statement(account=account)
    for _attempt in range(5):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        try:
            with transaction.atomic():
                return Transcript.objects.create(
                    code=code, account=account, outcome_ids=[o["id"] for o in statement["outcomes"]],
                    statement=statement, total_credits=Decimal(statement["total"]))
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a transcript code")


def transcript_validity(*, transcript: Transcript) -> dict:
    """Still valid unless an outcome it lists, or an outcome behind a conversion it lists, has since been revoked.

    ``revoked_ids``: every such outcome id; ``revoked_conversions``: the listed conversions whose outcome was
    revoked (the receiving institution's exemption rests on an outcome that no longer holds)."""
    conversions = transcript.statement.get("conversions", [])
    ids = set(transcript.outcome_ids) | {c["outcome_id"] for c in conversions if c.get("outcome_id")}
    revoked = sorted(Outcome.objects.filter(pk__in=ids, status=OutcomeStatus.REVOKED).values_list("pk", flat=True))
    flagged = [c for c in conversions if c.get("outcome_id") in revoked]
    return {"valid": not revoked, "revoked_ids": revoked, "revoked_conversions": flagged}


def transcript_pdf(*, transcript: Transcript, verify_url: str) -> bytes:
    """A4, embedded fonts (credits.pdf_fonts), tables whose cells wrap, dates in Asia/Shanghai; headings in both
    languages (the document leaves the platform)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    s = transcript.statement
    validity = transcript_validity(transcript=transcript)
    revoked = set(validity["revoked_ids"])
    outcomes = [(o["date"], o["title"], o["type"], o["institution"],
                 f'{o["credits"]} 已撤销 revoked' if o["id"] in revoked else o["credits"]) for o in s["outcomes"]]
    conversions = [(e["date"], e["course"], "成果已撤销 revoked" if e.get("outcome_id") in revoked else "",
                    e["institution"], e["credits"]) for e in s["conversions"]]
    facts = _facts(transcript=transcript, valid=validity["valid"])
    footer = (f"扫码或访问 {verify_url} 核验本证明是否仍然有效。Scan the code or visit the address to verify that "
              "this document still holds.")
    texts = [TITLE, SUBTITLE, footer, *(f"{k}{v}" for k, v in facts), *("".join(map(str, r)) for r in outcomes),
             *("".join(map(str, r)) for r in conversions)]
    styles = _styles(fallback=pdf_fallback_font(texts))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"学习成果证明 Transcript {transcript.code}",
                            initialFontName=pdf_font(),  # else reportlab names a non-embedded Helvetica
                            author="汴学·开封终身学习平台 学分银行")
    story = [styles.p(TITLE, "title"), styles.p(SUBTITLE, "small"),
             _facts_table(styles, facts, verify_url, width=doc.width)]
    story += _section(styles, "认证成果 Certified outcomes", outcomes, width=doc.width)
    if conversions:
        story += _section(styles, "学分转换 Conversions", conversions, width=doc.width)
    story.append(styles.p(footer, "small"))
    doc.build(story)
    return buf.getvalue()


TITLE = "学习成果证明 Transcript of Learning Outcomes"
SUBTITLE = "汴学·开封终身学习平台 学分银行 · Bianxue Kaifeng Credit Bank"
COLUMNS = ("日期 Date", "成果 Outcome", "类型 Type", "机构 Institution", "学分 Credits")
COLUMN_SHARES = (0.14, 0.32, 0.16, 0.24, 0.14)


class _Styles:
    def __init__(self, *, fallback: str | None) -> None:
        from reportlab.lib.styles import ParagraphStyle

        font = pdf_font()
        self.fallback = fallback
        self.styles = {
            "title": ParagraphStyle("title", fontName=font, fontSize=17, leading=23, spaceAfter=2),
            "heading": ParagraphStyle("heading", fontName=font, fontSize=12.5, leading=17, spaceBefore=10,
                                      spaceAfter=4),
            "body": ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK"),
            "cell": ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK"),
            "small": ParagraphStyle("small", fontName=font, fontSize=8.5, leading=12, wordWrap="CJK", spaceBefore=8),
        }

    def p(self, text, style: str = "body"):
        from reportlab.platypus import Paragraph

        return Paragraph(pdf_markup(str(text), self.fallback), self.styles[style])


def _styles(*, fallback: str | None) -> _Styles:
    return _Styles(fallback=fallback)


def _facts(*, transcript: Transcript, valid: bool) -> list[tuple[str, str]]:
    s = transcript.statement
    return [
        ("姓名 Name", s["name"]), ("证件号 ID (masked)", s["id_masked"]), ("账号 Account number", s["account"]),
        ("签发日期 Issued", timezone.localtime(transcript.issued_at).date().isoformat()),
        ("验证码 Verification code", transcript.code), ("累计学分 Total credits", s["total"]),
        ("状态 Status", "有效 Valid" if valid else "部分成果已撤销 Some outcomes listed here have been revoked"),
    ]


def _facts_table(styles: _Styles, facts, verify_url: str, *, width: float):
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    qr = 34 * mm
    lines = Table([[styles.p(f"{label}：{value}")] for label, value in facts], colWidths=[width - qr - 6 * mm])
    lines.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf_font()), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    side = Table([[_qr(verify_url, size=qr)], [styles.p(verify_url, "cell")]], colWidths=[qr])
    side.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf_font()), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    table = Table([[lines, side]], colWidths=[width - qr - 6 * mm, qr + 6 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf_font()), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 8)]))
    return table


def _section(styles: _Styles, heading: str, rows: list[tuple], *, width: float) -> list:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    data = [[styles.p(c, "cell") for c in COLUMNS]] + [[styles.p(v, "cell") for v in row] for row in rows]
    table = Table(data, colWidths=[width * share for share in COLUMN_SHARES], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf_font()), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.grey),
                               ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
    return [styles.p(heading, "heading"), table]


def _qr(url: str, *, size: float):
    """The QR code as a PNG image (a reportlab Drawing would bring a non-embedded Helvetica into the PDF)."""
    import qrcode
    from reportlab.platypus import Image

    png = io.BytesIO()
    qrcode.make(url, border=2, box_size=8).save(png, format="PNG")
    png.seek(0)
    return Image(png, width=size, height=size)
