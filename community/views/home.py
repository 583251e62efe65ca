"""The community's entry page: boards of my courses, circles near me, and the live rooms slot."""

from django.shortcuts import render

from ..selectors.boards import boards_for_user
from ..selectors.circles import circles_for_user, circles_near_user
from ..selectors.live import live_rooms_open
from ..selectors.moderation import user_is_moderator


def index(request):
    user = request.user
    return render(request, "community/index.html", {
        "boards": boards_for_user(user=user),
        "my_circles": list(circles_for_user(user=user)[:12]),
        "circles_near": circles_near_user(user=user),
        "live_rooms": live_rooms_open(limit=5),
        "is_moderator": user_is_moderator(user=user),
    })
