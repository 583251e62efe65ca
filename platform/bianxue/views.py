"""Project-level views: health check and error pages."""

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Checks the database and, when configured, Redis. 200 when all answer, 503 otherwise."""
    checks: dict[str, str] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # a health check reports, it does not raise
        checks["database"] = f"error: {exc.__class__.__name__}"
        healthy = False
    if settings.REDIS_URL:
        try:
            from .cache import redis_client

            redis_client(settings.REDIS_URL).ping()  # the process's bounded pool, not a connection per probe
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
            healthy = False
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the error may be the database.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Public media (images and renditions). CMS documents are served only through Wagtail's document view,
    which checks who may have them (bianxue.institutions.wagtail_hooks), never straight from the folder."""
    if path.lstrip("/").startswith("documents/"):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
