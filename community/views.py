from django.shortcuts import render


def index(request):
    """The community's entry page. Discussions, study circles and live Q&A are not built yet; the
    page says so plainly and points to what exists."""
    return render(request, "community/index.html")
