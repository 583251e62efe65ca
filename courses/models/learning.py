"""Online learning activity: counters of a course, enrolments, lesson progress and quiz attempts."""


from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .pages import CoursePage


class CourseStats(models.Model):
    """Counters of a course, kept out of page revisions (so publishing never overwrites them)."""

    course = models.OneToOneField(CoursePage, on_delete=models.CASCADE, primary_key=True, related_name="stats")
    enrolled = models.PositiveIntegerField(default=0, db_index=True)
    waitlisted = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("课程统计")

    def __str__(self) -> str:
        return f"{self.course_id}: {self.enrolled}/{self.completed}"


class Enrolment(models.Model):
    """A learner's place in a course (or on its waiting list)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("在学")
        WAITLISTED = "waitlisted", _("候补")
        COMPLETED = "completed", _("已结业")
        WITHDRAWN = "withdrawn", _("已退出")

    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey("people.Learner", on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ENROLLED)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_lesson_id = models.CharField(max_length=36, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("enrolment", "报名")
        verbose_name_plural = pgettext_lazy("enrolments", "报名")
        constraints = [models.UniqueConstraint(fields=["course", "learner"], name="uniq_enrolment")]
        indexes = [
            models.Index(fields=["learner", "status"], name="enrol_learner_status"),
            models.Index(fields=["course", "status", "created_at"], name="enrol_course_status"),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} @ {self.course_id} ({self.status})"


class LessonProgress(models.Model):
    """Progress of one enrolment in one lesson: resume position, furthest point, completion."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson_id = models.CharField(max_length=36)
    position = models.PositiveIntegerField(default=0)  # seconds, where to resume
    furthest = models.PositiveIntegerField(default=0)  # seconds, furthest point watched
    duration = models.PositiveIntegerField(default=0)  # seconds, the media's measured duration (LessonMedia)
    # Learning evidence: seconds of playback credited by the server, each heartbeat at most the wall-clock time
    # since the previous one (``beat_at``, the server's clock cursor); never the client's position or duration.
    watched = models.FloatField(default=0)
    beat_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("课时进度")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson_id"], name="uniq_lesson_progress")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.lesson_id} {self.position}s"


class LessonMedia(models.Model):
    """The duration of a lesson's video or audio, measured from the file when the course page was saved.

    Keyed by (course, lesson, source): ``source`` names the media measured (``document:<id>`` or the URL), so a
    draft that changes the file measures the new one without touching what the live lesson uses. ``duration``
    empty: the media could not be measured (an external URL, an unreadable file); such a lesson does not count
    toward completion.
    """

    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="lesson_media")
    lesson_id = models.CharField(max_length=36)
    source = models.CharField(max_length=500)
    duration = models.PositiveIntegerField(_("时长（秒）"), null=True, blank=True)
    problem = models.CharField(max_length=200, blank=True)
    measured_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("课时音视频时长")
        constraints = [
            models.UniqueConstraint(fields=["course", "lesson_id", "source"], name="uniq_lesson_media_source"),
        ]
        indexes = [models.Index(fields=["source"], name="lesson_media_source")]

    def __str__(self) -> str:
        return f"{self.course_id} {self.lesson_id} {self.duration}s"


class QuizAttempt(models.Model):
    """One submitted attempt at a quiz lesson, marked automatically."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson_id = models.CharField(max_length=36)
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()  # percent
    passed = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("测验作答")
        indexes = [models.Index(fields=["enrolment", "lesson_id"], name="quiz_enrol_lesson")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.lesson_id} {self.score}"
