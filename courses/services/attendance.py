"""Attendance of offline sessions: the trainer's session code, the learner's personal code, staff
corrections, and the training record (attended) kept in step with them. Every door records attendance only for
learners enrolled in the course (``attendance_require_enrolled``)."""

import datetime
import hmac

from bianxue.accounts.services import audit_record, institution_require_role
from bianxue.people.models import Learner
from bianxue.people.services import learner_for_user_get_or_create
from bianxue.vocab import RecordKind, RecordResult
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from credits.records.models import LearningRecord
from credits.records.services import record_upsert

from ..constants import SCHEDULE_ROLES
from ..models import Attendance, Enrolment, Session
from .completion import enrolment_complete_if_done
from .enrolment import ACTIVE

# Attendance codes are valid from this long before a session starts until this long after it ends.
ATTENDANCE_MARGIN = datetime.timedelta(minutes=30)
SESSION_CODE_SALT = "courses.session-code"
PERSONAL_CODE_SALT = "courses.personal-code"
SHORT_CODE_SALT = "courses.session-short-code"
# The short code learners may type instead of scanning: no 0/O, 1/I/L (easily mixed up when read from a screen).
SHORT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SHORT_CODE_LENGTH = 6
# No session is longer than this (for the window query's index range).
LONGEST_SESSION = datetime.timedelta(days=1)


def _session_window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    return session.starts_at - ATTENDANCE_MARGIN, session.ends_at + ATTENDANCE_MARGIN


def session_code_make(*, user, session: Session) -> str:
    """The signed code a trainer shows in class (staff of the provider only)."""
    institution_require_role(user=user, institution_id=session.course.provider_id)
    return signing.TimestampSigner(salt=SESSION_CODE_SALT).sign(str(session.pk))


def session_short_code(*, session: Session) -> str:
    """The session's six-character code (``K7Q2MX``), derived from the session with the site's secret: the same
    for the whole session, accepted only within its window (``attendance_by_short_code``)."""
    digest = salted_hmac(SHORT_CODE_SALT, str(session.pk), algorithm="sha256").digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _i in range(SHORT_CODE_LENGTH):
        number, index = divmod(number, len(SHORT_CODE_ALPHABET))
        chars.append(SHORT_CODE_ALPHABET[index])
    return "".join(chars)


def short_code_normalize(code: str) -> str:
    """What the learner typed, as the code: spaces and dashes dropped, upper case (``k7q 2mx`` → ``K7Q2MX``)."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def personal_code_make(*, user, session: Session, learner=None) -> str:
    """The learner's own code for a session, for the trainer to scan (``learner``: the user's, when the caller
    already has it, so that a page listing many sessions looks it up once)."""
    learner = learner if learner is not None else learner_for_user_get_or_create(user=user)
    return signing.TimestampSigner(salt=PERSONAL_CODE_SALT).sign(f"{session.pk}.{learner.pk}")


def _session_from_code(code: str, salt: str) -> tuple[Session, str]:
    try:
        value = signing.TimestampSigner(salt=salt).unsign(code, max_age=datetime.timedelta(days=2))
    except signing.SignatureExpired as exc:
        raise ValidationError(_("签到码已过期。")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("签到码无效。")) from exc
    session_id, _sep, rest = value.partition(".")
    session = Session.objects.select_related("course").filter(pk=int(session_id)).first()
    if session is None:
        raise ValidationError(_("课次不存在。"))
    if session.is_cancelled:
        raise ValidationError(_("该课次已取消。"))
    opens, closes = _session_window(session)
    if not opens <= timezone.now() <= closes:
        raise ValidationError(_("不在上课时间内，不能签到。"))
    return session, rest


def session_from_code(*, code: str) -> Session:
    return _session_from_code(code, SESSION_CODE_SALT)[0]


@transaction.atomic
def attendance_by_session_code(*, user, code: str) -> Attendance:
    """A learner scanned the code shown in class."""
    if not user or not user.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    session, _rest = _session_from_code(code, SESSION_CODE_SALT)
    return _attendance_self_check_in(user=user, session=session)


@transaction.atomic
def attendance_by_short_code(*, user, code: str) -> Attendance:
    """A learner typed the session's short code instead of scanning: checked in exactly as by the QR code.

    The code is looked for only among the sessions, now within their window, of the courses the learner is
    enrolled in; anything else (unknown, another course, outside the window) is the same refusal. The view
    rate-limits the attempts."""
    if not user or not user.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    wanted = short_code_normalize(code)
    if len(wanted) != SHORT_CODE_LENGTH:
        raise ValidationError(_("签到码是 6 位字母或数字，请核对后再输入。"))
    learner = learner_for_user_get_or_create(user=user)
    now = timezone.now()
    candidates = (
        Session.objects.select_related("course")
        .filter(cancelled_at__isnull=True,
                starts_at__lte=now + ATTENDANCE_MARGIN,
                starts_at__gte=now - ATTENDANCE_MARGIN - LONGEST_SESSION,
                ends_at__gte=now - ATTENDANCE_MARGIN,
                course__enrolments__learner=learner, course__enrolments__status__in=ACTIVE)
        .distinct()
    )
    session = next((s for s in candidates if hmac.compare_digest(session_short_code(session=s), wanted)), None)
    if session is None:
        raise ValidationError(_("签到码不正确，或不是您所报课程此时的课次。"))
    return _attendance_self_check_in(user=user, session=session)


def _attendance_self_check_in(*, user, session: Session) -> Attendance:
    """The learner checks themself in to a session whose code they showed (the QR or the short code)."""
    learner = learner_for_user_get_or_create(user=user)
    if not Enrolment.objects.filter(course=session.course, learner=learner, status__in=ACTIVE).exists():
        raise ValidationError(_("您没有报名这门课程。"))
    Session.objects.select_for_update().filter(pk=session.pk).first()  # serialise the seat count
    if (session.capacity
            and not Attendance.objects.filter(session=session, learner=learner, present=True).exists()
            and Attendance.objects.filter(session=session, present=True).count() >= session.capacity):
        raise ValidationError(_("本课次座位已满，请联系老师登记。"))
    return _attendance_mark(session=session, learner=learner, method=Attendance.Method.SESSION_CODE, actor=user)


def personal_code_read(*, user, code: str) -> tuple[Session, Learner]:
    """The session and the learner of a learner's personal code, for the provider's staff (the scan page names
    the learner before the trainer confirms). PermissionDenied for anyone else; ValidationError as for any code."""
    session, learner_id = _session_from_code(code, PERSONAL_CODE_SALT)
    institution_require_role(user=user, institution_id=session.course.provider_id)
    learner = Learner.objects.select_related("user").get(pk=int(learner_id))
    return session, learner


@transaction.atomic
def attendance_by_personal_code(*, user, code: str) -> Attendance:
    """A trainer scanned a learner's personal code."""
    session, learner = personal_code_read(user=user, code=code)
    attendance_require_enrolled(session=session, learner=learner)
    attendance = _attendance_mark(session=session, learner=learner, method=Attendance.Method.PERSONAL_CODE, actor=user)
    audit_record(actor=user, action="attendance.scan", obj=attendance, institution_id=session.course.provider_id)
    return attendance


def attendance_require_enrolled(*, session: Session, learner, present: bool = True) -> None:
    """Attendance only for learners enrolled in the session's course (enrolled or completed), whatever the door.

    Marking absent is also allowed where attendance was recorded before (a learner who withdrew since): it only
    takes away. Refused: ValidationError, before anything is written.
    """
    if Enrolment.objects.filter(course_id=session.course_id, learner=learner, status__in=ACTIVE).exists():
        return
    if not present and Attendance.objects.filter(session=session, learner=learner).exists():
        return
    raise ValidationError(_("该学员没有报名这门课程，不能登记考勤。"))


def _attendance_mark(*, session: Session, learner, method: str, actor, present: bool = True) -> Attendance:
    attendance, created = Attendance.objects.get_or_create(
        session=session, learner=learner,
        defaults={"method": method, "recorded_by": actor if actor and actor.is_authenticated else None,
                  "present": present},
    )
    if not created and attendance.present != present:
        attendance.present = present
        attendance.method = method
        attendance.recorded_by = actor
        attendance.save(update_fields=["present", "method", "recorded_by"])
    if present or not created:
        # Staff-entered attendance names who entered it (the credit bank's four eyes: a teacher's own
        # attendance is not certified on arrival); a learner's own check-in with the session's code is a fact
        # the platform checked (the code is shown only during the session), entered by nobody.
        entered_by = None if method == Attendance.Method.SESSION_CODE else actor
        _attendance_record(session=session, learner=learner, actor=entered_by)
    if present:  # a blended course's last needed session may complete it (completion.enrolment_sessions_state)
        for enrolment in Enrolment.objects.filter(course_id=session.course_id, learner=learner,
                                                  status=Enrolment.Status.ENROLLED):
            enrolment_complete_if_done(enrolment=enrolment)
    return attendance


def _attendance_record(*, session: Session, learner, actor=None) -> None:
    """Keep the learner's training record (attended) of the course in step with their attendance.

    One record per learner and course (``att-<course>-<learner>``), dated at the first attended
    session. When corrections leave no attended session, the record cannot be deleted (records are
    append-only evidence): it is corrected to result "withdrawn", which the indicators do not count
    and for which the credit bank closes the outcome. Attending again corrects it back.
    """
    course = session.course
    first = (
        Attendance.objects.filter(session__course=course, learner=learner, present=True)
        .select_related("session").order_by("session__starts_at").first()
    )
    record_id = f"att-{course.pk}-{learner.pk}"
    if first is None:
        date = _record_date(institution_id=course.provider_id, record_id=record_id)
        if date is None:  # never recorded: nothing to withdraw
            return
        result = RecordResult.WITHDRAWN
    else:
        date = timezone.localdate(first.session.starts_at)
        if date > timezone.localdate():
            return
        result = RecordResult.ATTENDED
    record_upsert(
        institution_id=course.provider_id,
        record_id=record_id,
        kind=RecordKind.TRAINING,
        learner=learner,
        programme_code=course.programme_code,
        programme_name=course.title,
        category=course.category,
        date=date,
        result=result,
        hours=course.hours,
        certificate_id=course.certificate_id,
        cert_level=course.cert_level,
        source="platform",
        correction=True,
        actor=actor,
    )


def _record_date(*, institution_id: int, record_id: str):
    """The date of an existing learning record (read only; records are written through record_upsert)."""
    return (
        LearningRecord.objects.filter(institution_id=institution_id, record_id=record_id)
        .values_list("date", flat=True).first()
    )


@transaction.atomic
def attendance_correct(*, user, session: Session, learner, present: bool, reason: str) -> Attendance:
    """A staff correction (present or absent), with an audit entry and a reason."""
    institution_require_role(user=user, institution_id=session.course.provider_id)
    if not reason.strip():
        raise ValidationError(_("请填写更正原因。"))
    if Session.objects.filter(pk=session.pk, cancelled_at__isnull=False).exists():
        raise ValidationError(_("该课次已取消。"))
    attendance_require_enrolled(session=session, learner=learner, present=present)
    attendance = _attendance_mark(
        session=session, learner=learner, method=Attendance.Method.STAFF, actor=user, present=present
    )
    audit_record(actor=user, action="attendance.correct", obj=attendance, institution_id=session.course.provider_id,
                 reason=reason, data={"present": present, "learner": learner.pk, "session": session.pk})
    return attendance



def roster_export_audit(*, user, course, session: Session | None, rows: int) -> None:
    """Record that a staff member downloaded a course's (or a session's) roster of learners: it holds names
    and masked mobiles, so every download is audited (who, which course or session, how many learners)."""
    institution_require_role(user=user, institution_id=course.provider_id, roles=SCHEDULE_ROLES)
    audit_record(actor=user, action="courses.roster.export", obj=session or course,
                 institution_id=course.provider_id,
                 data={"course": course.pk, "session": session.pk if session else None, "rows": rows})
