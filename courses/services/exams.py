"""1+X exams: schedule, change and cancel a sitting; enter results (one by one or pasted), each of
which becomes an exam record (category x_certificate) for the indicators and the credit bank.

Trust (docs/trust.md): a sitting is held only by an institution the bureau registered as an exam site (考核站点)
for its certificate (``credits.services.exam_site_is_registered``); results are entered only for candidates
registered for that sitting (``registrations``); a pasted list is all or nothing."""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bianxue.accounts.services import audit_record, institution_require_role
from bianxue.vocab import Category, RecordKind
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credits.records.services import record_upsert
from credits.services import exam_site_is_registered

from ..constants import SCHEDULE_ROLES
from ..models import ExamResult, ExamSession
from .registrations import registered_candidate_get


def _exam_check(*, institution_id: int, certificate_id: int, programme) -> None:
    if programme is not None and programme.provider_id != institution_id:
        raise ValidationError(_("培训项目须属于本机构。"))
    if not exam_site_is_registered(institution_id=institution_id, certificate_id=certificate_id):
        raise ValidationError(_("本机构不是该证书的考核站点：只有教育局登记的考核站点可以安排该证书的考试。"))


@transaction.atomic
def exam_session_create(*, user, institution_id: int, certificate_id: int, cert_level: str, date: datetime.date,
                        venue: str = "", programme=None) -> ExamSession:
    """Schedule a 1+X exam sitting of one of the user's institutions (teacher/registrar)."""
    institution_require_role(user=user, institution_id=institution_id, roles=SCHEDULE_ROLES)
    _exam_check(institution_id=institution_id, certificate_id=certificate_id, programme=programme)
    exam = ExamSession(institution_id=institution_id, certificate_id=certificate_id, cert_level=cert_level,
                       date=date, venue=venue, programme=programme)
    exam.full_clean()
    exam.save()
    audit_record(actor=user, action="exam_session.create", obj=exam, institution_id=institution_id)
    return exam


EXAM_FIELDS = ("certificate_id", "cert_level", "date", "venue", "programme")


@transaction.atomic
def exam_session_update(*, user, exam_session: ExamSession, **changes) -> ExamSession:
    """Change an exam sitting. Once results are entered only the venue may change (results are records)."""
    exam = ExamSession.objects.select_for_update().get(pk=exam_session.pk)
    institution_require_role(user=user, institution_id=exam.institution_id, roles=SCHEDULE_ROLES)
    if exam.is_cancelled:
        raise ValidationError(_("考试已取消，不能修改。"))
    unknown = set(changes) - set(EXAM_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改 %(fields)s。") % {"fields": ", ".join(sorted(unknown))})
    changed = {f for f, v in changes.items() if v != getattr(exam, f)}
    if changed - {"venue"} and exam.results.exists():
        raise ValidationError(_("已登记成绩，只能修改考点。"))
    _exam_check(institution_id=exam.institution_id, certificate_id=changes.get("certificate_id", exam.certificate_id),
                programme=changes.get("programme", exam.programme))
    before = {f: str(getattr(exam, f)) for f in changes}
    for field, value in changes.items():
        setattr(exam, field, value)
    exam.full_clean()
    exam.save()
    audit_record(actor=user, action="exam_session.update", obj=exam, institution_id=exam.institution_id,
                 data={"before": before})
    return exam


@transaction.atomic
def exam_session_cancel(*, user, exam_session: ExamSession, reason: str) -> ExamSession:
    """Cancel an exam sitting; refused once results are entered."""
    exam = ExamSession.objects.select_for_update().get(pk=exam_session.pk)
    institution_require_role(user=user, institution_id=exam.institution_id, roles=SCHEDULE_ROLES)
    if not reason.strip():
        raise ValidationError(_("请填写取消原因。"))
    if exam.is_cancelled:
        return exam
    if exam.results.exists():
        raise ValidationError(_("已登记成绩，不能取消。"))
    exam.cancelled_at = timezone.now()
    exam.cancel_reason = reason.strip()[:200]
    exam.save(update_fields=["cancelled_at", "cancel_reason"])
    audit_record(actor=user, action="exam_session.cancel", obj=exam, institution_id=exam.institution_id,
                 reason=reason)
    return exam


@transaction.atomic
def exam_result_record(*, user, exam_session: ExamSession, identifier: str, name: str, result: str,
                       score: Decimal | None = None, certificate_no: str = "") -> ExamResult:
    """Enter one result for a candidate registered for the sitting; it becomes an exam record (category
    x_certificate) for indicators and credit. A resident who did not register is refused, nothing written."""
    institution_require_role(user=user, institution_id=exam_session.institution_id)
    if result not in ExamResult.Result.values:
        raise ValidationError(_("结果应为 passed 或 failed：%(result)s。") % {"result": result})
    if result == ExamResult.Result.PASSED and not certificate_no:
        raise ValidationError(_("通过者须填写证书编号。"))
    if exam_session.is_cancelled:
        raise ValidationError(_("考试已取消。"))
    if exam_session.date > timezone.localdate():
        raise ValidationError(_("考试尚未举行。"))
    learner = registered_candidate_get(exam_session=exam_session, identifier=identifier, name=name)
    row, created = ExamResult.objects.update_or_create(
        exam_session=exam_session, learner=learner,
        defaults={"result": result, "score": score, "certificate_no": certificate_no, "recorded_by": user},
    )
    record_upsert(
        institution_id=exam_session.institution_id,
        record_id=f"exam-{exam_session.pk}-{learner.pk}",
        kind=RecordKind.EXAM,
        learner=learner,
        programme_code=f"X-{exam_session.certificate.code}-{exam_session.cert_level}",
        programme_name=f"{exam_session.certificate.name}（{exam_session.get_cert_level_display()}）",
        category=Category.X_CERTIFICATE,
        date=exam_session.date,
        result=result,
        certificate_id=exam_session.certificate_id,
        cert_level=exam_session.cert_level,
        certificate_no=certificate_no,
        source="platform",
        correction=not created,
        actor=user,
    )
    audit_record(actor=user, action="exam_result.record" if created else "exam_result.correct", obj=row,
                 institution_id=exam_session.institution_id, data={"result": result})
    return row


@dataclass
class BulkResult:
    saved: int
    errors: list[str]


RESULT_WORDS = {"passed": "passed", "通过": "passed", "合格": "passed", "failed": "failed", "未通过": "failed",
                "不合格": "failed"}


def exam_results_bulk(*, user, exam_session: ExamSession, text: str) -> BulkResult:
    """Paste or CSV: one line per candidate, ``identifier,name,result[,score[,certificate_no]]``.

    All or nothing: every line is checked (a candidate not registered for the sitting, a bad result...); when
    any line is refused nothing is saved and the errors name the lines."""
    institution_require_role(user=user, institution_id=exam_session.institution_id)
    saved, errors = 0, []
    rows = csv.reader(io.StringIO(text.replace("\t", ",").replace("，", ",")))
    with transaction.atomic():
        for number, row in enumerate(rows, start=1):
            cells = [c.strip() for c in row]
            if not any(cells) or cells[0].lower() in ("learner_id", "identifier", "证件号"):
                continue
            try:
                with transaction.atomic():
                    _bulk_line(user=user, exam_session=exam_session, cells=cells)
                saved += 1
            except ValidationError as exc:
                errors.append(_("第 %(number)s 行: %(messages)s") % {"number": number,
                                                                     "messages": " ".join(exc.messages)})
        if errors:
            transaction.set_rollback(True)
            errors.insert(0, _("有 %(n)s 行未通过检查，本次没有保存任何成绩。") % {"n": len(errors)})
            saved = 0
    return BulkResult(saved=saved, errors=errors)


def _bulk_line(*, user, exam_session: ExamSession, cells: list[str]) -> None:
    if len(cells) < 3:
        raise ValidationError(_("至少需要 证件号,姓名,结果。"))
    result = RESULT_WORDS.get(cells[2].lower())
    if result is None:
        raise ValidationError(_("无法识别的结果 %(result)s。") % {"result": cells[2]})
    score = None
    if len(cells) > 3 and cells[3]:
        try:
            score = Decimal(cells[3])
        except InvalidOperation as exc:
            raise ValidationError(_("分数无效 %(score)s。") % {"score": cells[3]}) from exc
    exam_result_record(user=user, exam_session=exam_session, identifier=cells[0], name=cells[1],
                       result=result, score=score, certificate_no=cells[4] if len(cells) > 4 else "")
