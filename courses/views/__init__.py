"""Thin views of /learn/: learner pages (``learning``), staff pages (``staff``) and staff scheduling of
sessions and exam sittings (``scheduling``). Re-exported here for ``courses.urls``."""

from .exams import exam_register, exam_registration_cancel, exams
from .learning import (
    attend,
    catalog,
    enrol,
    heartbeat,
    lesson,
    lesson_done,
    my_learning,
    quiz_submit,
    scan_personal,
    withdraw,
)
from .qr import attend_code
from .scheduling import (
    staff_exam_cancel,
    staff_exam_edit,
    staff_exam_new,
    staff_session_cancel,
    staff_session_edit,
    staff_session_new,
)
from .staff import (
    staff,
    staff_course_roster,
    staff_exam,
    staff_export,
    staff_session,
    staff_session_qr,
    staff_session_roster,
)

__all__ = [
    "attend",
    "attend_code",
    "catalog",
    "enrol",
    "exam_register",
    "exam_registration_cancel",
    "exams",
    "heartbeat",
    "lesson",
    "lesson_done",
    "my_learning",
    "quiz_submit",
    "scan_personal",
    "staff",
    "staff_course_roster",
    "staff_exam",
    "staff_exam_cancel",
    "staff_exam_edit",
    "staff_exam_new",
    "staff_export",
    "staff_session",
    "staff_session_cancel",
    "staff_session_edit",
    "staff_session_new",
    "staff_session_qr",
    "staff_session_roster",
    "withdraw",
]
