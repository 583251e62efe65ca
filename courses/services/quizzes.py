"""Quizzes: the questions of an attempt (all, or a stable draw) and marking a submitted attempt."""

import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Enrolment, QuizAttempt
from .completion import enrolment_complete_if_done
from .enrolment import enrolment_require_active, enrolment_require_own


def quiz_questions_for_attempt(*, enrolment: Enrolment, lesson: dict, attempt_number: int) -> list[tuple[int, dict]]:
    """The questions (index in the bank, question) shown in an attempt: all, or ``draw`` drawn stably."""
    questions = list(enumerate(lesson["value"]["questions"]))
    draw = lesson["value"].get("draw") or 0
    if draw and draw < len(questions):
        rng = random.Random(f"{enrolment.pk}-{lesson['id']}-{attempt_number}")
        questions = sorted(rng.sample(questions, draw), key=lambda q: q[0])
    return questions


@transaction.atomic
def quiz_submit(*, user, enrolment: Enrolment, lesson_id: str, answers: dict[int, list[int]]) -> QuizAttempt:
    """Mark an attempt. ``answers`` maps question index (in the bank) to chosen choice indexes."""
    enrolment_require_own(user=user, enrolment=enrolment)
    enrolment_require_active(enrolment=enrolment)
    lesson = enrolment.course.lesson_get(lesson_id)
    if lesson is None or lesson["type"] != "quiz":
        raise ValidationError(_("没有这个测验。"))
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()  # one attempt at a time
    done = QuizAttempt.objects.filter(enrolment=enrolment, lesson_id=lesson_id)
    if done.filter(passed=True).exists():
        raise ValidationError(_("测验已通过。"))
    attempts = done.count()
    if attempts >= lesson["value"]["max_attempts"]:
        raise ValidationError(_("作答次数已用完。"))
    questions = quiz_questions_for_attempt(enrolment=enrolment, lesson=lesson, attempt_number=attempts + 1)
    right = 0
    for index, question in questions:
        correct = {i for i, c in enumerate(question["choices"]) if c["correct"]}
        if set(answers.get(index, [])) == correct:
            right += 1
    score = round(100 * right / len(questions)) if questions else 0
    passed = score >= lesson["value"]["pass_mark"]
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment, lesson_id=lesson_id, answers={str(k): v for k, v in answers.items()},
        score=score, passed=passed,
    )
    if passed:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson_id=lesson_id)
        enrolment_complete_if_done(enrolment=enrolment)
    return attempt

