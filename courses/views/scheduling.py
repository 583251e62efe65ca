"""Staff scheduling of offline sessions and 1+X exam sittings: new, edit and cancel.

The pages of both are one shape (a plain form whose valid POST calls a service, which checks the
permissions again; a cancel button with a reason), written once in ``schedule_new``, ``schedule_edit``
and ``schedule_cancel``. A ``Schedulable`` says what differs: the form, the services, the texts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import ExamSessionForm, SessionForm
from .staff import require_staff


@dataclass(frozen=True)
class Schedulable:
    """One kind of scheduled object on the staff pages. Texts are gettext_noop msgids, translated per request."""

    form_class: type[forms.Form]
    detail_url: str  # the object's staff page (URL name taking its pk)
    get: Callable[[Any, int], Any]  # (user, pk) -> object; PermissionDenied unless the user acts for it
    create: Callable[[Any, dict], Any]  # (user, cleaned data) -> new object
    update: Callable[[Any, Any, dict], Any]  # (user, object, cleaned data)
    cancel: Callable[[Any, Any, str], Any]  # (user, object, reason)
    initial: Callable[[Any], dict]  # the edit form's initial data
    subject: Callable[[Any], str]  # what the edit page is about
    new_heading: str
    new_submit: str
    created: str
    edit_heading: str
    updated: str
    cancelled: str


def _form_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (on its field when it names one)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _form_page(request, kind: Schedulable, form, *, save: Callable[[dict], Any], saved: str, context: dict):
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _(saved))
            return redirect(kind.detail_url, obj.pk)
    return render(request, "courses/staff_form.html", {"form": form, **context})


def schedule_new(request, kind: Schedulable):
    """GET: the empty form; POST: create through the service and go to the new object's staff page."""
    require_staff(request)
    form = kind.form_class(request.POST or None, user=request.user)
    return _form_page(request, kind, form, save=lambda data: kind.create(request.user, data), saved=kind.created,
                      context={"heading": _(kind.new_heading), "submit_label": _(kind.new_submit)})


def schedule_edit(request, kind: Schedulable, pk: int):
    """GET: the form with the object's values; POST: change it through the service."""
    obj = kind.get(request.user, pk)
    form = kind.form_class(request.POST or None, user=request.user, editing=True, initial=kind.initial(obj))

    def save(data):
        kind.update(request.user, obj, data)
        return obj

    return _form_page(request, kind, form, save=save, saved=kind.updated, context={
        "heading": _(kind.edit_heading), "subject": kind.subject(obj), "submit_label": _("保存修改"),
        "back_url": reverse(kind.detail_url, args=[obj.pk]),
    })


def schedule_cancel(request, kind: Schedulable, pk: int):
    """POST: cancel with the given reason; back to the object's staff page either way."""
    obj = kind.get(request.user, pk)
    try:
        kind.cancel(request.user, obj, request.POST.get("reason", ""))
        messages.success(request, _(kind.cancelled))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(kind.detail_url, obj.pk)


# --- offline sessions -----------------------------------------------------------------------

SESSIONS = Schedulable(
    form_class=SessionForm,
    detail_url="courses:staff_session",
    get=lambda user, pk: selectors.staff_session_get(user=user, session_id=pk),
    create=lambda user, data: services.session_create(
        user=user, course=data["course"], starts_at=data["starts_at"], ends_at=data["ends_at"],
        venue=data["venue"], title=data["title"], capacity=data["capacity"],
    ),
    update=lambda user, session, data: services.session_update(
        user=user, session=session, **{f: data[f] for f in services.SESSION_FIELDS}
    ),
    cancel=lambda user, session, reason: services.session_cancel(user=user, session=session, reason=reason),
    initial=lambda session: {f: getattr(session, f) for f in services.SESSION_FIELDS},
    subject=lambda session: f"{session.course.title} · {timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}",
    new_heading=gettext_noop("安排线下课次"),
    new_submit=gettext_noop("保存课次"),
    created=gettext_noop("课次已安排。"),
    edit_heading=gettext_noop("修改课次"),
    updated=gettext_noop("课次已修改。"),
    cancelled=gettext_noop("课次已取消。"),
)


@login_required
def staff_session_new(request):
    return schedule_new(request, SESSIONS)


@login_required
def staff_session_edit(request, session_id: int):
    return schedule_edit(request, SESSIONS, session_id)


@require_POST
@login_required
def staff_session_cancel(request, session_id: int):
    return schedule_cancel(request, SESSIONS, session_id)


# --- 1+X exam sittings ----------------------------------------------------------------------


def _exam_fields(data: dict) -> dict:
    """The exam form's cleaned data as the keyword arguments of the exam services."""
    return {"certificate_id": data["certificate"].pk, "cert_level": data["cert_level"], "date": data["date"],
            "venue": data["venue"], "programme": data["programme"]}


EXAMS = Schedulable(
    form_class=ExamSessionForm,
    detail_url="courses:staff_exam",
    get=lambda user, pk: selectors.staff_exam_get(user=user, exam_id=pk),
    create=lambda user, data: services.exam_session_create(
        user=user, institution_id=data["institution"].pk, **_exam_fields(data)
    ),
    update=lambda user, exam, data: services.exam_session_update(user=user, exam_session=exam, **_exam_fields(data)),
    cancel=lambda user, exam, reason: services.exam_session_cancel(user=user, exam_session=exam, reason=reason),
    initial=lambda exam: {"certificate": exam.certificate_id, "cert_level": exam.cert_level,
                          "programme": exam.programme_id, "date": exam.date, "venue": exam.venue},
    subject=lambda exam: f"{exam.institution.name} · {exam}",
    new_heading=gettext_noop("安排 1+X 考试"),
    new_submit=gettext_noop("保存考试场次"),
    created=gettext_noop("考试场次已安排。"),
    edit_heading=gettext_noop("修改考试场次"),
    updated=gettext_noop("考试场次已修改。"),
    cancelled=gettext_noop("考试场次已取消。"),
)


@login_required
def staff_exam_new(request):
    return schedule_new(request, EXAMS)


@login_required
def staff_exam_edit(request, exam_id: int):
    return schedule_edit(request, EXAMS, exam_id)


@require_POST
@login_required
def staff_exam_cancel(request, exam_id: int):
    return schedule_cancel(request, EXAMS, exam_id)
