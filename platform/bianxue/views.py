"""Project-level views: health check and error pages."""

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve


def _database_check() -> str:
    """"ok", or the error's class name: a health check reports, it does not raise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Checks the database and, when configured, Redis. 200 when all answer, 503 otherwise."""
    checks: dict[str, str] = {"database": _database_check()}
    healthy = checks["database"] == "ok"
    if settings.REDIS_URL:
        try:
            from .cache import redis_client

            redis_client(settings.REDIS_URL).ping()  # the process's bounded pool, not a connection per probe
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
            healthy = False
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness (design.md "Health"): 503 only when the database does not answer. Redis, the broker and the
    checks the apps register (search: Elasticsearch) are reported as "degraded", never as a failure: the site
    still serves without them (the database answers searches, the outbox keeps work until the broker is back)."""
    checks: dict[str, object] = {"database": _database_check()}
    ready = checks["database"] == "ok"
    degraded = False
    for name, url in (("redis", settings.REDIS_URL), ("broker", getattr(settings, "CELERY_BROKER_URL", ""))):
        if not url or not str(url).startswith(("redis://", "rediss://")):
            continue  # not configured, or in-process (the embedded default's memory broker)
        try:
            from .cache import redis_client

            redis_client(url).ping()
            checks[name] = "ok"
        except Exception:
            checks[name], degraded = "degraded", True
    from .registry import health_checks

    for name, check in health_checks().items():
        try:
            answer = check()
        except Exception:
            answer = "degraded"
        status = answer.get("status", "degraded") if isinstance(answer, dict) else str(answer)
        if status not in ("ok", "degraded"):
            status = "degraded"
        checks[name] = {**answer, "status": status} if isinstance(answer, dict) else status
        degraded |= status != "ok"
    overall = "error" if not ready else ("degraded" if degraded else "ok")
    return JsonResponse({"status": overall, "checks": checks}, status=200 if ready else 503)


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
