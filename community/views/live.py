"""Pages of live Q&A rooms. Without JavaScript every action is a form post and the page reloads; with it
(community/static/community/live.js) the same forms go over the room's websocket. Thin: the services and
selectors decide who may do what."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from courses.participation import course_participation, course_sessions_for_staff

from ..models import LiveMessage, LiveRoom
from ..selectors import live as selectors
from ..services import live as services
from ..services.moderation import content_hide, content_report, content_restore


class RoomOpenForm(forms.Form):
    title = forms.CharField(label=_("主题"), max_length=120)
    session = forms.TypedChoiceField(label=_("对应的线下课次"), required=False, coerce=int, empty_value=None)
    askers = forms.ChoiceField(label=_("谁可以提问"), choices=LiveRoom.Askers.choices, widget=forms.RadioSelect,
                               initial=LiveRoom.Askers.ENROLLED)

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", _("不对应课次"))] + [
            (s.pk, f"{s.starts_at:%Y-%m-%d %H:%M} {s.title}") for s in sessions]


def _error(request, error: Exception) -> None:
    text = error.messages[0] if isinstance(error, ValidationError) else (str(error) or _("无权这样做。"))
    messages.error(request, text)


def live_list(request):
    """Open rooms and past transcripts; ``?course=<id>``: one course's rooms (linked from its page)."""
    course = request.GET.get("course", "")
    if course.isdigit():
        rooms = selectors.live_rooms_for_course(course_id=int(course))
        return render(request, "community/live/list.html", {
            "open_rooms": [r for r in rooms if r.is_open], "closed_rooms": [r for r in rooms if not r.is_open]})
    return render(request, "community/live/list.html", {
        "open_rooms": selectors.live_rooms_open(), "closed_rooms": selectors.live_rooms_recent_closed(),
    })


def live_room(request, pk: int):
    access = selectors.live_room_access(user=request.user, room_id=pk)
    return render(request, "community/live/room.html", {
        "access": access, "room": access.room, "items": selectors.live_room_transcript(access=access),
        "client_id": uuid.uuid4().hex,  # this form's message id: posting it twice stores it once
        "socket": f"/ws/community/live/{pk}/",
    })


@login_required
def live_open(request, course_id: int):
    part = course_participation(user=request.user, course_id=course_id)
    if part is None:
        raise Http404
    if not part["is_staff"]:
        raise PermissionDenied(_("只有本课程的老师可以开启直播答疑。"))
    sessions = course_sessions_for_staff(user=request.user, course_id=course_id)
    form = RoomOpenForm(request.POST or None, sessions=sessions,
                        initial={"title": _("%(course)s 直播答疑") % {"course": part["course"].title}})
    if request.method == "POST" and form.is_valid():
        try:
            room = services.live_room_open(user=request.user, course_id=course_id, title=form.cleaned_data["title"],
                                           session_id=form.cleaned_data["session"],
                                           askers=form.cleaned_data["askers"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("community:live_room", pk=room.pk)
    return render(request, "community/live/open.html", {"form": form, "course": part["course"]})


def _back(pk: int, anchor: str = ""):
    return redirect(reverse("community:live_room", args=[pk]) + anchor)


@login_required
@require_POST
def live_ask(request, pk: int):
    try:
        message, _created = services.live_question_ask(user=request.user, room_id=pk,
                                                       client_id=request.POST.get("client_id", ""),
                                                       text=request.POST.get("text", ""))
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
        return _back(pk, "#ask")
    if message.held:
        messages.info(request, _("您的提问已提交，审核通过后大家就能看到。"))
    return _back(pk, f"#m{message.pk}")


@login_required
@require_POST
def live_vote(request, pk: int, message_id: int):
    try:
        services.live_question_vote(user=request.user, room_id=pk, message_id=message_id)
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
    return _back(pk, f"#m{message_id}")


@login_required
@require_POST
def live_answer(request, pk: int, message_id: int):
    try:
        services.live_answer_post(user=request.user, room_id=pk, question_id=message_id,
                                  client_id=request.POST.get("client_id", ""), text=request.POST.get("text", ""))
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
    return _back(pk, f"#m{message_id}")


@login_required
@require_POST
def live_mark(request, pk: int, message_id: int):
    try:
        services.live_question_mark_answered(user=request.user, room_id=pk, message_id=message_id)
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
    return _back(pk, f"#m{message_id}")


@login_required
@require_POST
def live_close(request, pk: int):
    try:
        services.live_room_close(user=request.user, room_id=pk)
    except PermissionDenied as error:
        _error(request, error)
    else:
        messages.success(request, _("直播答疑已结束，问答记录保留在课程页上。"))
    return _back(pk)


def _message(pk: int, message_id: int) -> LiveMessage:
    message = LiveMessage.objects.select_related("room").filter(pk=message_id, room_id=pk).first()
    if message is None:
        raise Http404
    return message


@login_required
@require_POST
def live_hide(request, pk: int, message_id: int):
    """A moderator (the course's staff, the bureau) hides a message with a reason (audited, kept)."""
    try:
        content_hide(actor=request.user, target=_message(pk, message_id), reason=request.POST.get("reason", ""))
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
    return _back(pk, "#h-questions")


@login_required
@require_POST
def live_restore(request, pk: int, message_id: int):
    """A moderator shows a held message (approves it) or a hidden one again (audited)."""
    try:
        content_restore(actor=request.user, target=_message(pk, message_id))
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
    return _back(pk, f"#m{message_id}")


@login_required
@require_POST
def live_report(request, pk: int, message_id: int):
    """Anyone signed in reports a message to the course's moderators; it hides nothing by itself."""
    try:
        content_report(reporter=request.user, target=_message(pk, message_id),
                       reason=request.POST.get("reason", ""))
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
    else:
        messages.success(request, _("已举报，管理员会尽快处理。"))
    return _back(pk, f"#m{message_id}")
