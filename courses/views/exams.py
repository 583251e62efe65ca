"""1+X exam registration pages (考试报名): upcoming sittings, register, cancel. Thin: the services check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..models import ExamRegistration, ExamSession


def exams(request):
    """Upcoming sittings open for registration (optionally of one certificate), and the learner's own."""
    certificate = request.GET.get("certificate")
    certificate_id = int(certificate) if certificate and certificate.isdigit() else None
    mine = list(selectors.exam_registrations_for_user(user=request.user))
    return render(request, "courses/exams.html", {
        "sittings": selectors.exam_sessions_open(certificate_id=certificate_id)[:100],
        "registrations": mine, "registered_ids": {r.exam_session_id for r in mine}, "today": timezone.localdate(),
    })


@require_POST
@login_required
def exam_register(request, exam_id: int):
    exam = get_object_or_404(ExamSession, pk=exam_id)
    try:
        services.exam_registration_create(user=request.user, exam_session=exam)
        messages.success(request, _("报名成功。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("courses:exams")


@require_POST
@login_required
def exam_registration_cancel(request, registration_id: int):
    registration = get_object_or_404(ExamRegistration, pk=registration_id)
    try:
        services.exam_registration_cancel(user=request.user, registration=registration)
        messages.success(request, _("已取消报名。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.POST.get("next") == "staff":
        return redirect("courses:staff_exam", registration.exam_session_id)
    return redirect("courses:exams")
