"""Writes of the courses app: enrolment, progress, quizzes, completion, attendance, sessions, 1+X
exams and exam registration, the catalog set-up and learner merges, one module each.

Every function takes the acting user and checks what they may do. Completion, attendance and
exam results become learning records through ``credits.records.services.record_upsert`` in the
same transaction (it hands eligible records on to the credit bank).

This package re-exports the public names, so ``courses.services.<name>`` keeps working; modules
inside it import each other directly, never through this file.
"""

from ..constants import SCHEDULE_ROLES
from .attendance import (
    ATTENDANCE_MARGIN,
    PERSONAL_CODE_SALT,
    SESSION_CODE_SALT,
    attendance_by_personal_code,
    attendance_by_session_code,
    attendance_by_short_code,
    attendance_correct,
    attendance_require_enrolled,
    personal_code_make,
    personal_code_read,
    roster_export_audit,
    session_code_make,
    session_from_code,
    session_short_code,
    short_code_normalize,
)
from .catalog import BUREAU_GROUP, STAFF_GROUP, TASK_NAME, WORKFLOW_NAME, catalog_setup
from .completion import (
    enrolment_complete_if_done,
    enrolment_counting_lessons,
    enrolment_missing_lessons,
    enrolment_sessions_state,
)
from .enrolment import (
    ACTIVE,
    enrolment_create,
    enrolment_require_active,
    enrolment_require_own,
    enrolment_withdraw,
)
from .exams import (
    EXAM_FIELDS,
    RESULT_WORDS,
    BulkResult,
    exam_result_record,
    exam_results_bulk,
    exam_session_cancel,
    exam_session_create,
    exam_session_update,
)
from .media import (
    lesson_counts_toward_completion,
    lesson_media_durations,
    lesson_media_measure,
    lesson_media_unmeasured_titles,
    on_document_saved,
    on_page_published,
)
from .merges import learner_rows_move, on_learner_merged
from .progress import lesson_complete, lesson_heartbeat, lesson_watch_state, watched_share_required
from .quizzes import quiz_attempt_feedback, quiz_questions_for_attempt, quiz_submit
from .registrations import (
    exam_registration_by_staff,
    exam_registration_cancel,
    exam_registration_create,
    registered_candidate_get,
)
from .sessions import SESSION_FIELDS, session_cancel, session_create, session_update

__all__ = [
    "ACTIVE",
    "ATTENDANCE_MARGIN",
    "BUREAU_GROUP",
    "EXAM_FIELDS",
    "PERSONAL_CODE_SALT",
    "RESULT_WORDS",
    "SCHEDULE_ROLES",
    "SESSION_CODE_SALT",
    "SESSION_FIELDS",
    "STAFF_GROUP",
    "TASK_NAME",
    "WORKFLOW_NAME",
    "BulkResult",
    "attendance_by_personal_code",
    "attendance_by_session_code",
    "attendance_by_short_code",
    "attendance_correct",
    "attendance_require_enrolled",
    "catalog_setup",
    "enrolment_complete_if_done",
    "enrolment_counting_lessons",
    "enrolment_create",
    "enrolment_missing_lessons",
    "enrolment_sessions_state",
    "enrolment_require_active",
    "enrolment_require_own",
    "enrolment_withdraw",
    "exam_registration_by_staff",
    "exam_registration_cancel",
    "exam_registration_create",
    "exam_result_record",
    "exam_results_bulk",
    "exam_session_cancel",
    "exam_session_create",
    "exam_session_update",
    "learner_rows_move",
    "lesson_complete",
    "lesson_counts_toward_completion",
    "lesson_heartbeat",
    "lesson_media_durations",
    "lesson_media_measure",
    "lesson_media_unmeasured_titles",
    "lesson_watch_state",
    "on_document_saved",
    "on_learner_merged",
    "on_page_published",
    "registered_candidate_get",
    "personal_code_make",
    "personal_code_read",
    "roster_export_audit",
    "quiz_attempt_feedback",
    "quiz_questions_for_attempt",
    "quiz_submit",
    "session_cancel",
    "session_code_make",
    "session_short_code",
    "short_code_normalize",
    "session_create",
    "session_from_code",
    "session_update",
    "watched_share_required",
]
