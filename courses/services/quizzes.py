"""Quizzes: the questions of an attempt (all, or a stable draw), marking a submitted attempt, and the per-question
feedback shown after it. A submission that leaves a question unanswered is refused before it counts as an attempt."""

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
    _require_every_answer(questions=questions, answers=answers)
    right = sum(1 for index, question in questions if _is_right(question, answers.get(index, [])))
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



def _is_right(question, chosen) -> bool:
    return set(chosen) == {i for i, c in enumerate(question["choices"]) if c["correct"]}


def _require_every_answer(*, questions: list[tuple[int, dict]], answers: dict[int, list[int]]) -> None:
    """Refuse (nothing written, no attempt used) when a question of the attempt has no valid choice ticked."""
    missing = [number for number, (index, question) in enumerate(questions, start=1)
               if not any(0 <= choice < len(question["choices"]) for choice in answers.get(index, []))]
    if missing:
        raise ValidationError(
            _("还有 %(count)s 道题没有作答（第 %(numbers)s 题）。请全部作答后再提交；这次不算作答次数。"),
            code="unanswered",
            params={"count": len(missing), "numbers": "、".join(str(n) for n in missing)},
        )


def quiz_attempt_feedback(*, enrolment: Enrolment, lesson: dict, attempt: QuizAttempt, attempt_number: int,
                          attempts_left: int) -> dict:
    """Per question of a marked attempt: what was chosen, right or wrong, and (when the quiz block shows them
    after every attempt, or once passed or out of attempts) the correct choices and the explanation."""
    reveal = bool(lesson["value"].get("show_answers", True)) or attempt.passed or attempts_left <= 0
    items = []
    for number, (index, question) in enumerate(
        quiz_questions_for_attempt(enrolment=enrolment, lesson=lesson, attempt_number=attempt_number), start=1
    ):
        chosen = [int(c) for c in attempt.answers.get(str(index), [])]
        texts = [c["text"] for c in question["choices"]]
        items.append({
            "number": number, "text": question["text"], "right": _is_right(question, chosen),
            "chosen": [texts[c] for c in chosen if 0 <= c < len(texts)],
            "correct": [t for t, c in zip(texts, question["choices"], strict=True) if c["correct"]] if reveal else [],
            "explanation": question.get("explanation", "") if reveal else "",
        })
    return {"questions": items, "revealed": reveal, "right": sum(1 for i in items if i["right"]), "total": len(items)}
