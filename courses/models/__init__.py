"""The course catalog (Wagtail pages) and the learning activity behind it.

Pages (``pages``): CourseIndexPage (one section per category, under the home page), ProgrammePage
(groups courses; a 1+X certificate training programme carries the certificate and level) and
CoursePage. Lessons are blocks of ``CoursePage.lessons`` (see blocks.py), identified by their block id.

Activity rows are compact and indexed for the queries that read them: Enrolment, LessonProgress
(one row per enrolment and lesson, updated in place by the player heartbeat), QuizAttempt
(``learning``), Session and Attendance (offline teaching, ``sessions``), ExamSession, ExamRegistration and ExamResult
(1+X exams, ``exams``), TargetGroup and the fee/subsidy fields (``facts``). Counters shown in lists
(enrolments, completions) live in CourseStats,
outside page revisions. Every name is re-exported here, so ``courses.models.<name>`` keeps working.
"""

from .exams import ExamRegistration, ExamResult, ExamSession
from .facts import TARGET_GROUPS, ExamEligibility, SubsidyPolicy, TargetGroup
from .learning import CourseStats, Enrolment, LessonMedia, LessonProgress, QuizAttempt
from .pages import (
    AUDIENCES,
    CATALOG_CATEGORIES,
    SECTION_TITLES,
    Audience,
    CourseIndexPage,
    CoursePage,
    CoursePageForm,
    Mode,
    ProgrammePage,
)
from .sessions import Attendance, Session

__all__ = [
    "AUDIENCES",
    "TARGET_GROUPS",
    "CATALOG_CATEGORIES",
    "SECTION_TITLES",
    "Attendance",
    "Audience",
    "CourseIndexPage",
    "CoursePage",
    "CoursePageForm",
    "CourseStats",
    "Enrolment",
    "ExamEligibility",
    "ExamRegistration",
    "ExamResult",
    "ExamSession",
    "LessonMedia",
    "LessonProgress",
    "Mode",
    "ProgrammePage",
    "QuizAttempt",
    "Session",
    "SubsidyPolicy",
    "TargetGroup",
]
