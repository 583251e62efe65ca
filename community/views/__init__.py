"""Pages of the community app, one module per part (live rooms in ``live``)."""

from django.shortcuts import render

from ..selectors.live import live_rooms_open


def index(request):
    """The community's entry page: what is open now (live rooms), and the ways in."""
    return render(request, "community/index.html", {"live_rooms": live_rooms_open(limit=5)})
