"""Declarations: a learner declares an outcome with evidence; it always goes to the institution's queue."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import CERTIFICATE_TYPES, Outcome, OutcomeSource, OutcomeStatus, OutcomeType
from .accounts import account_for_user_get_or_create
from .conversion import LEVEL_ORDER

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
MAGIC = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def evidence_check(*, upload) -> tuple[str, str]:
    """PDF, JPEG or PNG by their first bytes (not by name or declared type), at most 10 MB."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(_("证明材料不能超过 10 MB。"))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, mime, ext in MAGIC:
        if head.startswith(magic):
            return mime, ext
    raise ValidationError(_("证明材料须为 PDF、JPEG 或 PNG 文件。"))


@transaction.atomic
def declaration_submit(
    *, user, outcome_type: str, title: str, institution_id: int, date: datetime.date, evidence,
    hours: Decimal | None = None, certificate_id: int | None = None, cert_level: str = "", certificate_no: str = "",
) -> Outcome:
    """A learner declares an outcome with evidence; it always goes to the institution's review queue (also an
    officer's own declaration: ``entered_by`` is the declaring user, so another officer must decide)."""
    if outcome_type not in OutcomeType.values:
        raise ValidationError(_("未知的成果类型。"))
    if date > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))
    if outcome_type in CERTIFICATE_TYPES and cert_level and cert_level not in LEVEL_ORDER:
        raise ValidationError(_("未知的证书等级。"))
    mime, ext = evidence_check(upload=evidence)
    account = account_for_user_get_or_create(user=user)
    outcome = Outcome(account=account, type=outcome_type, title=title[:200], institution_id=institution_id,
                      source=OutcomeSource.DECLARATION, date=date, hours=hours, certificate_id=certificate_id,
                      cert_level=cert_level, certificate_no=certificate_no, status=OutcomeStatus.SUBMITTED,
                      entered_by=user,
                      evidence_name=(getattr(evidence, "name", "") or "evidence")[:200], evidence_type=mime)
    outcome.evidence.save(f"{account.number}{ext}", evidence, save=False)
    outcome.save()
    return outcome
