"""Thin views of the accounts app: profile, institution overview for staff, membership grants."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .forms import MembershipGrantForm
from .models import Role
from .selectors import (
    institution_get_for_staff,
    institution_staff_list,
    memberships_for_user,
    memberships_recent,
    session_may_set_password_by_code,
    user_is_bureau_admin,
    user_roles,
)
from .services import membership_grant

ROLE_LABELS = {
    "learner": gettext_lazy("学员"),
    "bureau_admin": gettext_lazy("教育局管理员"),
    **{r.value: r.label for r in Role},
}


@login_required
def profile(request):
    user = request.user
    roles = user_roles(user=user)
    try:  # the people app builds on accounts: its Learner is reached through the relation, not imported
        learner = user.learner
    except ObjectDoesNotExist:
        learner = None
    return render(
        request,
        "accounts/profile.html",
        {
            "role_labels": [str(ROLE_LABELS.get(r, r)) for r in sorted(roles)],
            "memberships": memberships_for_user(user=user),
            "is_bureau_admin": "bureau_admin" in roles,
            "is_staff_role": len(roles - {"learner"}) > 0,
            "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
            "learner": learner if learner is not None and learner.is_resident_id else None,
            "may_set_password": session_may_set_password_by_code(request=request),
        },
    )


@login_required
def institution_overview(request, code: str):
    """An institution's staff list, for its own staff and for bureau admins (403 for others)."""
    institution = institution_get_for_staff(user=request.user, code=code)
    staff = list(institution_staff_list(user=request.user, institution_id=institution.pk))
    children = list(institution.children.order_by("code").only("code", "name", "type"))
    return render(
        request,
        "accounts/institution_overview.html",
        {"institution": institution, "staff": staff, "children": children},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_grant_view(request):
    """Bureau admins give a user a role at an institution (audited)."""
    if not user_is_bureau_admin(user=request.user):
        raise PermissionDenied(_("只有教育局管理员可以授予机构角色。"))
    form = MembershipGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = membership_grant(
                actor=request.user,
                user=form.cleaned_data["login"],
                institution_id=form.cleaned_data["institution"].pk,
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:  # e.g. the account has no verified email or mobile number
            form.add_error(None, error)
        else:
            messages.success(request, _("已授予：%(m)s") % {"m": membership})
            return redirect("accounts:membership_grant")
    return render(
        request,
        "accounts/membership_grant.html",
        {"form": form, "recent": list(memberships_recent(user=request.user, limit=30))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_new_after_code(request):
    """Set a new password without the old one, right after signing in with an SMS/email code."""
    from django.contrib.auth import update_session_auth_hash
    from django.contrib.auth.forms import SetPasswordForm

    if not session_may_set_password_by_code(request=request):
        messages.info(request, _("请先用短信或邮件验证码登录，再设置新密码。"))
        return redirect("account_request_login_code")
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, _("新密码已设置。"))
        return redirect("accounts:profile")
    return render(request, "accounts/password_new.html", {"form": form})


@login_required
def mfa_continue(request):
    """After the recovery codes shown at second-factor set-up: on to the page the staff member was going to."""
    from django.utils.http import url_has_allowed_host_and_scheme

    from .middleware import MFA_NEXT_SESSION_KEY

    target = request.session.pop(MFA_NEXT_SESSION_KEY, None)
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                         require_https=request.is_secure()):
        target = "accounts:profile"
    return redirect(target)
