"""Transcript (学习成果证明): issued as a snapshot with a short code, rendered to PDF with reportlab.

Chinese is set in the built-in CID font STSong-Light (Adobe-GB1), which every PDF reader provides, so no font
file is embedded and the text stays extractable. A QR code and the short code point to the public
verification page /credits/verify/<code>/.
"""

import io
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction

from .models import LearnerAccount, LedgerEntry, Outcome, OutcomeStatus, Transcript

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
                         "credits": str(e.credits), "date": e.created_at.date().isoformat(),
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


FONT = "STSong-Light"


def transcript_pdf(*, transcript: Transcript, verify_url: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    s = transcript.statement
    validity = transcript_validity(transcript=transcript)
    revoked = set(validity["revoked_ids"])
    buf = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(f"学习成果证明 Transcript {transcript.code}")
    c.setAuthor("汴学·开封终身学习平台 学分银行")
    y = _header(c, height - 25 * mm)
    size = 32 * mm
    _qr_draw(c, verify_url, x=width - 20 * mm - size, y=height - 20 * mm - size, size=size)
    y = _facts_draw(c, y, transcript=transcript, valid=validity["valid"])
    c.setFont(FONT, 8)
    c.drawString(width - 20 * mm - size, height - 24 * mm - size, verify_url[:60])
    y -= 4 * mm
    y = _heading(c, y, "认证成果 Certified outcomes")
    _row(c, y, ("日期 Date", "成果 Outcome", "类型 Type", "机构 Institution", "学分 Credits"), 9)
    y -= 6 * mm
    y = _rows_draw(c, y, [
        (o["date"], o["title"][:30], o["type"][:12], o["institution"][:14],
         f'{o["credits"]} 已撤销 revoked' if o["id"] in revoked else o["credits"]) for o in s["outcomes"]],
        page_height=height)
    if s["conversions"]:
        y = _heading(c, y - 4 * mm, "学分转换 Conversions")
        y = _rows_draw(c, y, [
            (e["date"], e["course"][:30], "成果已撤销 revoked" if e.get("outcome_id") in revoked else "",
             e["institution"][:14], e["credits"]) for e in s["conversions"]], page_height=height)
    c.setFont(FONT, 8)
    c.drawString(20 * mm, 15 * mm, f"扫码或访问 {verify_url} 核验本证明是否仍然有效。Scan or visit the address to verify "
                                   "that this document still holds.")
    c.showPage()
    c.save()
    return buf.getvalue()


def _header(c, y: float) -> float:
    from reportlab.lib.units import mm

    c.setFont(FONT, 18)
    c.drawString(20 * mm, y, "学习成果证明 Transcript of Learning Outcomes")
    c.setFont(FONT, 10)
    c.drawString(20 * mm, y - 7 * mm, "汴学·开封终身学习平台 学分银行  Bianxue Kaifeng Credit Bank")
    return y - 16 * mm


def _heading(c, y: float, text: str) -> float:
    from reportlab.lib.units import mm

    c.setFont(FONT, 13)
    c.drawString(20 * mm, y, text)
    return y - 7 * mm


def _qr_draw(c, url: str, *, x: float, y: float, size: float) -> None:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, c, x, y)


def _facts_draw(c, y: float, *, transcript: Transcript, valid: bool) -> float:
    from reportlab.lib.units import mm

    s = transcript.statement
    c.setFont(FONT, 11)
    for label, value in (
        ("姓名 Name", s["name"]), ("证件号 ID (masked)", s["id_masked"]), ("账号 Account number", s["account"]),
        ("签发日期 Issued", transcript.issued_at.date().isoformat()), ("验证码 Verification code", transcript.code),
        ("累计学分 Total credits", s["total"]),
        ("状态 Status", "有效 Valid" if valid else "部分成果已撤销 Some outcomes listed here have been revoked"),
    ):
        c.drawString(20 * mm, y, f"{label}：{value}")
        y -= 6.5 * mm
    return y


def _row(c, y: float, cols, size: int = 10) -> None:
    from reportlab.lib.units import mm

    c.setFont(FONT, size)
    for x, text in zip((20, 45, 115, 150, 182), cols, strict=False):
        c.drawString(x * mm, y, str(text)[:34])


def _rows_draw(c, y: float, rows: list[tuple], *, page_height: float) -> float:
    """Table rows from ``y`` down, on a new page (under the header) when the page is full."""
    from reportlab.lib.units import mm

    for cols in rows:
        if y < 25 * mm:
            c.showPage()
            y = _header(c, page_height - 25 * mm)
        _row(c, y, cols)
        y -= 6 * mm
    return y
