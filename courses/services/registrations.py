"""1+X exam-sitting registration (考试报名): results are entered only for registered candidates.

Learners register themselves on the site (``exam_registration_create``) and may cancel before the date; staff
of the sitting's institution register candidates by ID number and name (``exam_registration_by_staff``).
Registration closes at the end of the day before the sitting, so nobody is registered and given a result on the
day itself. Every registration and cancellation is audited.
"""

from bianxue.accounts.services import audit_record, institution_require_role
from bianxue.people.identifiers import identifier_mask
from bianxue.people.selectors import learner_get_by_identifier
from bianxue.people.services import identifier_validate, learner_for_user_get_or_create, learner_get_or_create
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import SCHEDULE_ROLES
from ..models import ExamRegistration, ExamSession


def _open_check(exam_session: ExamSession) -> None:
    if exam_session.is_cancelled:
        raise ValidationError(_("考试已取消。"))
    if exam_session.date <= timezone.localdate():
        raise ValidationError(_("报名已截止：考试前一天截止报名。"))


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def _register(*, user, exam_session: ExamSession, learner) -> ExamRegistration:
    registration, created = ExamRegistration.objects.get_or_create(
        exam_session=exam_session, learner=learner, defaults={"registered_by": user})
    if created:
        audit_record(actor=user, action="exam_registration.create", obj=registration,
                     institution_id=exam_session.institution_id, data={"exam_session": exam_session.pk})
    return registration


@transaction.atomic
def exam_registration_create(*, user, exam_session: ExamSession) -> ExamRegistration:
    """A learner registers for an upcoming sitting (idempotent)."""
    exam_session = ExamSession.objects.select_for_update().get(pk=exam_session.pk)
    _open_check(exam_session)
    learner = learner_for_user_get_or_create(user=user)
    return _register(user=user, exam_session=exam_session, learner=learner)


@transaction.atomic
def exam_registration_by_staff(*, user, exam_session: ExamSession, identifier: str, name: str) -> ExamRegistration:
    """Staff (teacher, registrar) of the sitting's institution register a candidate by ID number and name."""
    institution_require_role(user=user, institution_id=exam_session.institution_id, roles=SCHEDULE_ROLES)
    exam_session = ExamSession.objects.select_for_update().get(pk=exam_session.pk)
    _open_check(exam_session)
    if not name.strip():
        raise ValidationError(_("请填写考生姓名。"))
    learner = learner_get_or_create(identifier=identifier, name=name.strip())
    if not _same_name(learner.name, name):
        raise ValidationError(_("姓名与该证件号已有的记录不一致，请核对。"))
    return _register(user=user, exam_session=exam_session, learner=learner)


@transaction.atomic
def exam_registration_cancel(*, user, registration: ExamRegistration) -> None:
    """The candidate cancels before the date; staff of the institution may remove a candidate without result."""
    registration = ExamRegistration.objects.select_for_update().select_related("exam_session", "learner").get(
        pk=registration.pk)
    exam = registration.exam_session
    if registration.learner.user_id == user.pk:
        if exam.date <= timezone.localdate():
            raise ValidationError(_("考试前一天起不能取消报名。"))
    else:
        institution_require_role(user=user, institution_id=exam.institution_id, roles=SCHEDULE_ROLES)
        if exam.results.filter(learner_id=registration.learner_id).exists():
            raise ValidationError(_("该考生已有成绩，不能取消报名。"))
    audit_record(actor=user, action="exam_registration.cancel", obj=registration, institution_id=exam.institution_id,
                 data={"exam_session": exam.pk, "learner": registration.learner_id})
    registration.delete()


def registered_candidate_get(*, exam_session: ExamSession, identifier: str, name: str):
    """The learner behind ``identifier`` when registered for the sitting under that name; ValidationError (and
    nothing created) otherwise. Used before any result is written."""
    value = identifier_validate(identifier=identifier)
    learner = learner_get_by_identifier(identifier=value)
    if learner is None or not ExamRegistration.objects.filter(exam_session=exam_session, learner=learner).exists():
        raise ValidationError(
            _("证件号 %(masked)s 的考生未报名本场考试：只能为已报名的考生登记成绩。") % {"masked": identifier_mask(value)})
    if not _same_name(learner.name, name):
        raise ValidationError(_("姓名与报名信息不一致，请核对。"))
    return learner

