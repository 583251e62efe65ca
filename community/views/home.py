from django.shortcuts import render

from ..selectors.live import live_rooms_open


def index(request):
    """The community's entry page (with the live Q&A rooms open now)."""
    return render(request, "community/index.html", {"live_rooms": live_rooms_open(limit=5)})
