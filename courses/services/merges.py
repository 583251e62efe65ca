"""Learner merges: a merged learner's rows in the courses app follow the surviving learner."""

from django.db import transaction

from ..models import Attendance, Enrolment, ExamRegistration, ExamResult


@transaction.atomic
def learner_rows_move(*, source, target) -> int:
    """Move a merged learner's enrolments, attendance, exam registrations and results to the surviving learner.

    Where the target already has a row for the same course / session / exam, the target's row is
    kept and the source's stays behind (unique constraints). Returns the number of rows moved.
    """
    moved = Enrolment.objects.filter(learner=source).exclude(
        course_id__in=Enrolment.objects.filter(learner=target).values("course_id")
    ).update(learner=target)
    moved += Attendance.objects.filter(learner=source).exclude(
        session_id__in=Attendance.objects.filter(learner=target).values("session_id")
    ).update(learner=target)
    moved += ExamResult.objects.filter(learner=source).exclude(
        exam_session_id__in=ExamResult.objects.filter(learner=target).values("exam_session_id")
    ).update(learner=target)
    moved += ExamRegistration.objects.filter(learner=source).exclude(
        exam_session_id__in=ExamRegistration.objects.filter(learner=target).values("exam_session_id")
    ).update(learner=target)
    return moved


def on_learner_merged(sender, *, source, target, **kwargs) -> None:
    """Receiver of ``bianxue.people.signals.learner_merged`` (connected in CoursesConfig.ready)."""
    learner_rows_move(source=source, target=target)
