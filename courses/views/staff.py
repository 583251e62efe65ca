"""Staff pages of /learn/staff/: course figures (and their spreadsheet), a session's attendance roster
and QR code, an exam sitting's results."""

from bianxue.accounts.selectors import user_institution_ids, user_is_bureau_admin
from bianxue.links import absolute_url
from bianxue.people.models import Learner
from bianxue.spreadsheets import xlsx_bytes
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rosters, selectors, services
from ..constants import SCHEDULE_ROLES
from .qr import qr_svg


def require_staff(request):
    """PermissionDenied unless the user is staff of an institution or a bureau administrator."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not (user_is_bureau_admin(user=request.user) or user_institution_ids(user=request.user)):
        raise PermissionDenied(_("仅限机构工作人员。"))


@login_required
def staff(request):
    require_staff(request)
    rows = selectors.staff_course_figures(user=request.user)
    bureau = user_is_bureau_admin(user=request.user)
    roster_ids = set() if bureau else user_institution_ids(user=request.user, roles=SCHEDULE_ROLES)
    for row in rows:  # the per-learner roster: teachers and registrars of the provider (and the bureau)
        row["can_roster"] = bureau or row["provider"].pk in roster_ids
    exams = selectors.exam_sessions_for_user(user=request.user)
    return render(request, "courses/staff.html", {"rows": rows, "sessions": selectors.staff_sessions(user=request.user),
                                                  "exams": exams[:50]})


XLSX_HEADERS = ["机构 institution", "课程 course", "类别 category", "方式 mode", "学时 hours", "报名 enrolled",
                "候补 waiting", "结业 completed", "结业率 completion %", "课次 sessions", "签到人次 attendances"]


@login_required
def staff_export(request):
    require_staff(request)
    rows = [
        (r["provider"].name, r["course"].title, r["course"].get_category_display(), r["course"].get_mode_display(),
         float(r["course"].hours), r["enrolled"], r["waiting"], r["completed"], r["completion_rate"], r["sessions"],
         r["attendances"])
        for r in selectors.staff_course_figures(user=request.user)
    ]
    response = HttpResponse(xlsx_bytes([("courses", XLSX_HEADERS, rows)]),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="courses.xlsx"'
    return response


@login_required
def staff_session(request, session_id: int):
    session = selectors.staff_session_get(user=request.user, session_id=session_id)
    roster = selectors.session_attendance(user=request.user, session=session)
    if request.method == "POST":
        learner = get_object_or_404(Learner, pk=request.POST.get("learner"))
        try:
            services.attendance_correct(user=request.user, session=session, learner=learner,
                                        present=request.POST.get("present") == "1",
                                        reason=request.POST.get("reason", ""))
            messages.success(request, _("考勤已更正。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("courses:staff_session", session.pk)
    context = {"session": session, "roster": roster, "cancel_form": not session.is_cancelled}
    if not session.is_cancelled:
        context.update(_session_codes(request, session))
    return render(request, "courses/staff_session.html", context)


def _session_codes(request, session) -> dict:
    """The class's QR code (an image of the signed attendance URL), its short code and where to type it."""
    code = services.session_code_make(user=request.user, session=session)
    url = absolute_url(reverse("courses:attend", args=[code]))
    return {"qr": qr_svg(url), "code_url": url, "short_code": services.session_short_code(session=session),
            "type_url": absolute_url(reverse("courses:attend_code")),
            "opens_at": session.starts_at - services.ATTENDANCE_MARGIN,
            "closes_at": session.ends_at + services.ATTENDANCE_MARGIN}


@login_required
def staff_session_qr(request, session_id: int):
    """The class's QR code full screen, for a projector or a phone held up in the room: the code as large as the
    screen allows, the short code in letters readable from the back, where to type it and until when."""
    session = selectors.staff_session_get(user=request.user, session_id=session_id)
    if session.is_cancelled:
        return redirect("courses:staff_session", session.pk)
    return render(request, "courses/staff_session_qr.html", {"session": session, **_session_codes(request, session)})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _roster_xlsx(roster: dict) -> bytes:
    """A roster as one sheet: a row per learner, a column per session (出勤 / 缺勤 / blank)."""
    sessions = roster["sessions"]
    header = [_("姓名"), _("手机号（隐去中间四位）"), _("报名日期"), _("状态"), _("已完成课时"), _("课时总数")]
    header += [timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M") for s in sessions]
    header += [_("出勤次数"), _("结业日期")]
    words = {True: _("出勤"), False: _("缺勤"), None: ""}
    rows = []
    for r in roster["rows"]:
        rows.append([
            r["name"], r["phone"], timezone.localtime(r["enrolled_at"]).date().isoformat(), r["status"],
            r["lessons_done"], r["lessons_total"], *[words[m] for m in r["attendance"]], r["attended"],
            timezone.localtime(r["completed_at"]).date().isoformat() if r["completed_at"] else "",
        ])
    return xlsx_bytes([(_("学员名单"), header, rows)])


def _roster_download(request, *, course, session=None):
    roster = rosters.course_roster(user=request.user, course=course, session=session)
    services.roster_export_audit(user=request.user, course=course, session=session, rows=len(roster["rows"]))
    name = f"roster-course-{course.pk}" + (f"-session-{session.pk}" if session else "") + ".xlsx"
    response = HttpResponse(_roster_xlsx(roster), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def staff_course_roster(request, course_id: int):
    """A course's roster per learner (xlsx): every session of the course as a column. Audited."""
    return _roster_download(request, course=rosters.staff_course_get(user=request.user, course_id=course_id))


@login_required
def staff_session_roster(request, session_id: int):
    """One session's roster (xlsx): the course's learners with their attendance at this session. Audited."""
    session = selectors.staff_session_get(user=request.user, session_id=session_id)
    course = rosters.staff_course_get(user=request.user, course_id=session.course_id)
    return _roster_download(request, course=course, session=session)


@login_required
def staff_exam(request, exam_id: int):
    """An exam sitting: its registered candidates (register one by ID number and name), results (one by one or
    pasted, only for registered candidates; a pasted list is all or nothing)."""
    exam = selectors.staff_exam_get(user=request.user, exam_id=exam_id)
    candidates = selectors.exam_candidates(user=request.user, exam_session=exam)
    if request.method == "POST":
        _staff_exam_post(request, exam)
        return redirect("courses:staff_exam", exam.pk)
    return render(request, "courses/staff_exam.html", {"exam": exam, "candidates": candidates,
                                                       "results": [c for c in candidates if c["result"]],
                                                       "today": timezone.localdate()})


def _staff_exam_post(request, exam) -> None:
    post = request.POST
    if post.get("bulk"):
        result = services.exam_results_bulk(user=request.user, exam_session=exam, text=post["bulk"])
        if result.errors:
            for error in result.errors:
                messages.error(request, error)
        else:
            messages.success(request, _("已保存 %(n)s 条成绩。") % {"n": result.saved})
        return
    try:
        if post.get("action") == "register":
            services.exam_registration_by_staff(user=request.user, exam_session=exam,
                                                identifier=post.get("identifier", ""), name=post.get("name", ""))
            messages.success(request, _("考生已报名。"))
        else:
            services.exam_result_record(
                user=request.user, exam_session=exam, identifier=post.get("identifier", ""),
                name=post.get("name", ""), result=post.get("result", ""),
                certificate_no=post.get("certificate_no", ""),
            )
            messages.success(request, _("成绩已保存。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
