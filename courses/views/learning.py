"""Learner pages of /learn/: the catalog, lessons, enrolment, progress, quizzes, 我的学习 and attendance."""

import json

from bianxue.institutions.models import District, Institution
from bianxue.links import absolute_url
from bianxue.vocab import Category
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..constants import CATALOG_FILTER_CATEGORIES
from ..models import AUDIENCES, CoursePage, Enrolment, Mode
from .qr import qr_svg

PAGE_SIZE = 12
SORT_CHOICES = [("start", gettext_noop("按开课时间")), ("popular", gettext_noop("按热度")),
                ("new", gettext_noop("最新发布"))]


# The catalog's filters under the site search's facet names (search.contract.FACETS), for words typed in its box.
SEARCH_FACETS = {"category": "category", "district": "district", "mode": "mode", "audience": "audience",
                 "group": "target_group"}


def _words_go_to_search(params: dict) -> str:
    """Words typed in the catalog's box are answered by the site search (/search/, courses only, same filters): one
    search everywhere, with pinyin, typos and synonyms, instead of the catalog's own substring match."""
    query = {"q": params["q"], "kind": "course"}
    query.update({SEARCH_FACETS[k]: params[k] for k in SEARCH_FACETS if params[k]})
    if params["provider"].isdigit():  # the catalog names a provider by id, the search by its code
        code = Institution.objects.filter(pk=int(params["provider"])).values_list("code", flat=True).first()
        if code:
            query["provider"] = code
    if params["free"] == "1":
        query["fee"] = "free"
    return f"{reverse('search:page')}?{urlencode(query)}"


def catalog(request):
    """GET /learn/: filters are plain GET parameters (links and a form), so no JavaScript is needed. With words
    (``q``) the site search answers (:func:`_words_go_to_search`)."""
    params = {k: request.GET.get(k, "").strip() for k in ("category", "district", "mode", "audience", "provider", "q",
                                                           "sort", "free", "group")}
    if params["q"]:
        return redirect(_words_go_to_search(params))
    provider = params["provider"] if params["provider"].isdigit() else None
    qs = selectors.course_list(
        category=params["category"] or None, district=params["district"] or None, mode=params["mode"] or None,
        audience=params["audience"] or None, provider=int(provider) if provider else None, q=params["q"] or None,
        sort=params["sort"] or "start", free=params["free"] == "1", target_group=params["group"] or None,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    category_labels = dict(Category.choices)
    return render(request, "courses/catalog.html", {
        "page": page, "params": params, "querystring": query.urlencode(),
        "categories": [(c.value, category_labels[c.value]) for c in CATALOG_FILTER_CATEGORIES],
        "districts": District.objects.all(), "modes": Mode.choices, "audiences": AUDIENCES,
        "providers": selectors.course_providers(), "sorts": SORT_CHOICES,
        "target_groups": selectors.target_groups(),
    })


def _course(course_id: int) -> CoursePage:
    return get_object_or_404(CoursePage.objects.live().select_related("provider"), pk=course_id)


@require_POST
@login_required
def enrol(request, course_id: int):
    course = _course(course_id)
    try:
        enrolment = services.enrolment_create(user=request.user, course=course)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if enrolment.status == Enrolment.Status.WAITLISTED:
            messages.info(request, _("名额已满，您已进入候补名单。"))
        else:
            messages.success(request, _("报名成功。"))
    return redirect(course.url)


@require_POST
@login_required
def withdraw(request, course_id: int):
    course = _course(course_id)
    enrolment = selectors.enrolment_for_user(user=request.user, course_id=course.pk)
    if enrolment is None:
        raise PermissionDenied
    try:
        services.enrolment_withdraw(user=request.user, enrolment=enrolment)
        messages.success(request, _("已退出课程。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(course.url)


def _enrolment_or_403(request, course_id):
    enrolment = selectors.enrolment_for_user(user=request.user, course_id=course_id)
    if enrolment is None or enrolment.status not in services.ACTIVE:
        raise PermissionDenied(_("请先报名这门课程。"))
    return enrolment


@login_required
def lesson(request, course_id: int, lesson_id: str):
    course = _course(course_id)
    enrolment = _enrolment_or_403(request, course.pk)
    if course.lesson_get(lesson_id) is None:
        return render(request, "404.html", status=404)
    return render(request, "courses/lesson.html", _lesson_context(course=course, enrolment=enrolment,
                                                                  lesson_id=lesson_id))


def _lesson_context(*, course, enrolment, lesson_id: str, refused: dict | None = None) -> dict:
    """The lesson page; for a quiz, the questions of the next attempt (after a ``refused`` submission, with its
    ticks kept and its unanswered questions marked) and the feedback on the last marked attempt."""
    item = course.lesson_get(lesson_id)
    state = selectors.enrolment_progress(enrolment=enrolment)
    lessons = course.lesson_list()
    index = next(i for i, x in enumerate(lessons) if x["id"] == lesson_id)
    context = {
        "course": course, "enrolment": enrolment, "lesson": item, "state": state.get(lesson_id, {}),
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
        "total": len(lessons),
    }
    if item["type"] in ("video", "audio"):
        context["watch"] = services.lesson_watch_state(enrolment=enrolment, lesson=item)
    if item["type"] == "quiz":
        attempts = state.get(lesson_id, {}).get("attempts", 0)
        chosen = refused or {}
        context["questions"] = [
            {"index": i, "question": q, "chosen": chosen.get(i, []), "missing": refused is not None and not chosen.get(i)}
            for i, q in services.quiz_questions_for_attempt(enrolment=enrolment, lesson=item,
                                                            attempt_number=attempts + 1)
        ]
        context["attempts_left"] = max(0, item["value"]["max_attempts"] - attempts)
        last = enrolment.quiz_attempts.filter(lesson_id=lesson_id).order_by("-pk").first()
        context["last_attempt"] = last
        if last is not None:
            context["feedback"] = services.quiz_attempt_feedback(
                enrolment=enrolment, lesson=item, attempt=last, attempt_number=attempts,
                attempts_left=context["attempts_left"],
            )
    return context


@require_POST
@login_required
def heartbeat(request, course_id: int, lesson_id: str):
    """The player's progress beacon: position (to resume) and seconds played since its previous beacon. JSON or
    form body. A duration sent by the player is ignored (the server measured the file); the watched time credited
    is the server's, bounded by its clock."""
    enrolment = _enrolment_or_403(request, course_id)
    data = request.POST
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return HttpResponseBadRequest("bad json")
    try:
        position = int(float(data.get("position", 0)))
        played = data.get("played")
        played = None if played in (None, "") else float(played)
        done = services.lesson_heartbeat(
            user=request.user, enrolment=enrolment, lesson_id=lesson_id, position=position, played=played
        )
    except (TypeError, ValueError, OverflowError):
        return HttpResponseBadRequest("bad position")
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    enrolment.refresh_from_db(fields=["status"])
    return JsonResponse({"done": done, "course_completed": enrolment.status == Enrolment.Status.COMPLETED})


@require_POST
@login_required
def lesson_done(request, course_id: int, lesson_id: str):
    enrolment = _enrolment_or_403(request, course_id)
    try:
        services.lesson_complete(user=request.user, enrolment=enrolment, lesson_id=lesson_id)
        messages.success(request, _("本课时已完成。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_next_url(enrolment, lesson_id))


def _next_url(enrolment, lesson_id):
    lessons = enrolment.course.lesson_list()
    ids = [x["id"] for x in lessons]
    i = ids.index(lesson_id) if lesson_id in ids else -1
    if 0 <= i < len(ids) - 1:
        return reverse("courses:lesson", args=[enrolment.course_id, ids[i + 1]])
    return enrolment.course.url


@require_POST
@login_required
def quiz_submit(request, course_id: int, lesson_id: str):
    """Mark an attempt. With a question unanswered the page comes back (400) with the ticks kept, the unanswered
    questions marked, and no attempt used."""
    enrolment = _enrolment_or_403(request, course_id)
    answers: dict[int, list[int]] = {}
    for key in request.POST:
        if key.startswith("q"):
            try:
                answers[int(key[1:])] = [int(v) for v in request.POST.getlist(key)]
            except ValueError:
                continue
    try:
        attempt = services.quiz_submit(user=request.user, enrolment=enrolment, lesson_id=lesson_id, answers=answers)
    except ValidationError as exc:
        if exc.code == "unanswered":
            messages.error(request, " ".join(exc.messages))
            context = _lesson_context(course=enrolment.course, enrolment=enrolment, lesson_id=lesson_id,
                                      refused=answers)
            return render(request, "courses/lesson.html", context, status=400)
        messages.error(request, " ".join(exc.messages))
    else:
        if attempt.passed:
            messages.success(request, _("测验通过，得分 %(score)s。") % {"score": attempt.score})
        else:
            messages.error(request, _("未通过，得分 %(score)s。请看下面每道题的对错，复习后再试。") % {"score": attempt.score})
    return redirect("courses:lesson", course_id, lesson_id)


@login_required
def my_learning(request):
    """我的学习: only the signed-in user's own learning (selectors take the user)."""
    data = selectors.my_learning(user=request.user)
    sessions = []
    for session in data["sessions"]:
        code = services.personal_code_make(user=request.user, session=session, learner=data["learner"])
        url = absolute_url(reverse("courses:scan_personal", args=[code]))
        sessions.append({"session": session, "qr": qr_svg(url)})
    return render(request, "courses/my_learning.html", {
        **data, "session_items": sessions, "credits": selectors.credits_summary_for_user(user=request.user),
    })


@login_required
def attend(request, code: str):
    """The URL in the trainer's session QR code: confirm (GET) then record (POST)."""
    try:
        session = services.session_from_code(code=code)
    except ValidationError as exc:
        return render(request, "courses/attend.html", {"error": " ".join(exc.messages)}, status=400)
    if request.method == "POST":
        try:
            services.attendance_by_session_code(user=request.user, code=code)
        except ValidationError as exc:
            return render(request, "courses/attend.html", {"session": session, "error": " ".join(exc.messages)},
                          status=400)
        return render(request, "courses/attend.html", {"session": session, "done": True})
    return render(request, "courses/attend.html", {"session": session, "code": code})


@login_required
def scan_personal(request, code: str):
    """The URL in a learner's personal code: the trainer (staff of the provider) confirms it."""
    if request.method == "POST":
        try:
            attendance = services.attendance_by_personal_code(user=request.user, code=code)
        except ValidationError as exc:
            return render(request, "courses/attend.html", {"error": " ".join(exc.messages)}, status=400)
        return render(request, "courses/attend.html", {"session": attendance.session, "done": True,
                                                       "learner": attendance.learner, "staff_scan": True})
    try:
        session, learner = services.personal_code_read(user=request.user, code=code)
    except ValidationError as exc:
        return render(request, "courses/attend.html", {"error": " ".join(exc.messages)}, status=400)
    return render(request, "courses/attend.html", {"code": code, "staff_scan": True, "session": session,
                                                   "learner": learner})
