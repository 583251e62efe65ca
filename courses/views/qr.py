"""The QR codes of the attendance pages (a session's code for the class, a learner's personal code), and the
page where a learner types the session's short code instead of scanning it."""

import base64
import io

import qrcode
import qrcode.image.svg
from allauth.core import ratelimit
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import services


def qr_svg(data: str) -> str:
    """An SVG data URL of a QR code of ``data``."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@login_required
def attend_code(request):
    """GET: a box for the six-character code shown in class; POST: check the signed-in learner in, exactly as
    the QR code does. Attempts are rate-limited per login and IP (``ACCOUNT_RATE_LIMITS["attend_code"]``)."""
    context = {"typed": True, "code_value": ""}
    if request.method == "POST":
        code = request.POST.get("code", "")
        context["code_value"] = services.short_code_normalize(code)[:12]
        if not ratelimit.consume(request, action="attend_code", user=request.user):
            context["error"] = _("尝试次数过多，请稍后再试。")
            return render(request, "courses/attend.html", context, status=429)
        try:
            attendance = services.attendance_by_short_code(user=request.user, code=code)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            return render(request, "courses/attend.html", context, status=400)
        return render(request, "courses/attend.html", {"session": attendance.session, "done": True})
    return render(request, "courses/attend.html", context)
