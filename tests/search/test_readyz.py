"""/readyz (design.md "Health"): the database decides; Redis, the broker and search are only ever "degraded"."""

import socket

import pytest
from bianxue.registry import health_check_register
from django.db import connection

from search import selectors

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ready_when_search_is_degraded_and_redis_down(client, settings, monkeypatch):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    monkeypatch.setattr(selectors, "search_backend_health",
                        lambda: {"status": "degraded", "backend": "database"}, raising=False)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == body["checks"]["broker"] == "degraded"
    assert body["checks"]["search"]["status"] == "degraded"


def test_a_failing_check_is_degraded_not_an_error(client, settings):
    settings.REDIS_URL = ""
    health_check_register(key="zz-test", check=lambda: 1 / 0)
    try:
        response = client.get("/readyz")
    finally:
        from bianxue.registry import health as registry

        registry._checks.pop("zz-test")
    assert response.status_code == 200 and response.json()["checks"]["zz-test"] == "degraded"


def test_not_ready_without_the_database(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("database is gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "error"
