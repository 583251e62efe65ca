"""The resident's identity page: link the login to their learner record (/me/identity/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import IdentityForm
from .selectors import learner_for_user
from .services import learner_link_user


@login_required
@require_http_methods(["GET", "POST"])
def identity(request):
    learner = learner_for_user(user=request.user)
    linked = learner if learner is not None and learner.is_resident_id else None
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            learner_link_user(
                user=request.user,
                identifier=form.cleaned_data["resident_id"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("身份已绑定，您以前的学习记录会显示在“我的”页面。"))
            return redirect("accounts:identity")
    # Never echo the full number back into the page.
    if form.is_bound:
        form.data = form.data.copy()
        form.data["resident_id"] = ""
    return render(request, "people/identity.html", {"form": form, "linked": linked})
