from django.shortcuts import render


def index(request):
    """The community's entry page."""
    return render(request, "community/index.html")
