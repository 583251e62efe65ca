"""Measured media durations: the length of a lesson's video or audio, read from the file when the course page is
saved (CMS create/edit, publish, the demo loader), never taken from the learner's player.

A lesson whose media cannot be measured (an external URL, an unreadable file) is kept, and marked as not counting
toward completion (``LessonMedia.duration`` empty); editors are told when they save, learners on the lesson.
The file is read with hachoir (pure Python; WebM/Matroska, MP4, WAV, MP3, Ogg...), which reads the headers only.
"""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..models import CoursePage, LessonMedia

logger = logging.getLogger(__name__)
MEDIA_TYPES = {"video": ("video", "video_url"), "audio": ("audio", "audio_url")}
PROBLEMS = {
    "external": gettext_noop("外部地址，无法测量时长"),
    "missing": gettext_noop("找不到文件"),
    "unreadable": gettext_noop("无法读取时长"),
}


def lesson_media_source(lesson: dict) -> str:
    """What a media lesson plays: ``document:<id>`` or its URL ('' for a lesson without media)."""
    fields = MEDIA_TYPES.get(lesson["type"])
    if not fields:
        return ""
    value = lesson["value"]
    document = value.get(fields[0])
    if document:
        return f"document:{getattr(document, 'pk', document)}"
    return (value.get(fields[1]) or "").strip()[:500]


@contextmanager
def _open_source(source: str, lesson: dict):
    """A binary file object for the source, or None when it is not a file of this site."""
    fields = MEDIA_TYPES[lesson["type"]]
    document = lesson["value"].get(fields[0])
    if source.startswith("document:") and document is not None:
        with document.file.open("rb") as handle:
            yield handle
        return
    if source.startswith(settings.STATIC_URL):
        path = finders.find(source[len(settings.STATIC_URL):].split("?")[0])
        if path:
            with open(path, "rb") as handle:
                yield handle
            return
        yield None
        return
    if source.startswith(settings.MEDIA_URL):
        name = source[len(settings.MEDIA_URL):].split("?")[0]
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                yield handle
            return
    yield None


def media_duration_read(handle) -> int | None:
    """Seconds of the media in an open binary file (rounded), or None when its format or headers are unknown."""
    from hachoir.core import config as hachoir_config
    from hachoir.metadata import extractMetadata
    from hachoir.parser import guessParser
    from hachoir.stream import InputIOStream

    hachoir_config.quiet = True
    try:
        parser = guessParser(InputIOStream(handle, source="lesson media", tags=[]))
        if parser is None:
            return None
        with parser:
            metadata = extractMetadata(parser)
            duration = metadata.get("duration") if metadata and metadata.has("duration") else None
    except Exception:  # a damaged or hostile file: not measured, never a crash of the editor's save
        logger.warning("media duration: unreadable file", exc_info=True)
        return None
    if duration is None:
        return None
    seconds = round(duration.total_seconds())
    return seconds if seconds > 0 else None


def _measure(source: str, lesson: dict) -> tuple[int | None, str]:
    if source.startswith(("http://", "https://", "//")):
        return None, "external"
    try:
        with _open_source(source, lesson) as handle:
            if handle is None:
                return None, "missing"
            seconds = media_duration_read(handle)
    except OSError:
        return None, "missing"
    return (seconds, "") if seconds else (None, "unreadable")


def lesson_media_measure(*, course: CoursePage, lessons: list | None = None) -> list[LessonMedia]:
    """Measure every video and audio lesson of the course (of ``lessons`` when given: a draft's). Idempotent: a
    source already measured for that lesson is measured again (the file may have been replaced)."""
    rows = []
    for lesson in lessons if lessons is not None else course.lesson_list():
        source = lesson_media_source(lesson)
        if lesson["type"] not in MEDIA_TYPES or not source:
            continue
        seconds, problem = _measure(source, lesson)
        row, _created = LessonMedia.objects.update_or_create(
            course=course, lesson_id=lesson["id"], source=source,
            defaults={"duration": seconds, "problem": problem, "measured_at": timezone.now()},
        )
        rows.append(row)
    return rows


def lesson_media_unmeasured_titles(*, rows: list[LessonMedia], lessons: list) -> list[str]:
    """Titles of the lessons whose media could not be measured, with the reason (for the editor's message)."""
    titles = {lesson["id"]: lesson["value"].get("title", "") for lesson in lessons}
    return [_("「%(title)s」（%(problem)s）") % {"title": titles.get(r.lesson_id, r.lesson_id),
                                              "problem": _(PROBLEMS.get(r.problem, PROBLEMS["unreadable"]))}
            for r in rows if r.duration is None]


def lesson_media_durations(*, course: CoursePage, lessons: list | None = None) -> dict[str, int | None]:
    """{lesson_id: measured seconds or None} for the media lessons of the course as it is (one query)."""
    lessons = lessons if lessons is not None else course.lesson_list()
    wanted = {lesson["id"]: lesson_media_source(lesson) for lesson in lessons if lesson["type"] in MEDIA_TYPES}
    found = {
        (row.lesson_id, row.source): row.duration
        for row in LessonMedia.objects.filter(course=course, lesson_id__in=list(wanted)).only(
            "lesson_id", "source", "duration")
    }
    return {lesson_id: found.get((lesson_id, source)) for lesson_id, source in wanted.items()}


def lesson_counts_toward_completion(*, lesson: dict, durations: dict) -> bool:
    """A media lesson counts only when its media was measured; other lessons always count."""
    return lesson["type"] not in MEDIA_TYPES or bool(durations.get(lesson["id"]))


def on_page_published(sender, instance, **kwargs) -> None:
    """Wagtail's ``page_published``: measure the media of a course as published (CMS, workflow, demo loader)."""
    page = instance.specific if hasattr(instance, "specific") else instance
    if isinstance(page, CoursePage):
        lesson_media_measure(course=page)


def on_document_saved(sender, instance, **kwargs) -> None:
    """A document's file may have been replaced: measure again every lesson that plays it."""
    rows = LessonMedia.objects.filter(source=f"document:{instance.pk}").select_related("course")
    for course in {row.course for row in rows}:
        lesson_media_measure(course=course)
