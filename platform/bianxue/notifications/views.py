"""The notifications page: the user's notices, marking them read, and the digest preference. Thin: services and
selectors decide."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Digest


class PreferenceForm(forms.Form):
    instant = forms.BooleanField(label=gettext_lazy("重要通知（如学分银行审核结果）立即发邮件和短信"), required=False)
    digest = forms.ChoiceField(label=gettext_lazy("每日汇总"), choices=Digest.choices, widget=forms.RadioSelect)


@login_required
def notification_list(request):
    before = request.GET.get("before")
    notes = selectors.notifications_for_user(user=request.user, limit=30,
                                             before_id=int(before) if before and before.isdigit() else None)
    pref = selectors.notification_preference_for_user(user=request.user)
    form = PreferenceForm(initial={"instant": pref.instant, "digest": pref.digest})
    return render(request, "notifications/list.html", {
        "notes": notes, "form": form, "more": notes[-1].pk if len(notes) == 30 else None,
    })


@login_required
@require_POST
def notification_read(request, pk: int):
    services.notification_mark_read(user=request.user, notification_id=pk)
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/") else "notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    services.notification_mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
@require_POST
def preference_update(request):
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.notification_preference_set(user=request.user, instant=form.cleaned_data["instant"],
                                             digest=form.cleaned_data["digest"])
        messages.success(request, _("通知设置已保存。"))
    else:
        messages.error(request, _("请选择每日汇总的方式。"))
    return redirect("notifications:list")
