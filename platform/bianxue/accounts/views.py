from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import institutions_for_user, user_roles


@login_required
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {"roles": sorted(user_roles(user=request.user)), "institutions": institutions_for_user(user=request.user)},
    )
