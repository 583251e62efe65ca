"""The Celery app: tasks run in process without a broker, through a real worker on Redis in CI,
and beat's schedule names only registered tasks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bianxue.celery import app, clearsessions, ping
from celery.contrib.testing.worker import start_worker
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_is_importable_from_the_project_package():
    import bianxue

    assert bianxue.celery_app is app
    assert app.main == "bianxue"


def test_tasks_run_in_process_in_tests():
    assert app.conf.task_always_eager is True
    assert ping.delay().get(timeout=1) == "pong"


@pytest.mark.django_db
def test_clearsessions_task_is_safe_to_run_twice():
    clearsessions.delay().get()
    clearsessions.delay().get()


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()  # every app's tasks.py, as the worker loads them
    assert settings.CELERY_BEAT_SCHEDULE, "the beat schedule is empty"
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    for key, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"beat entry {key!r} names an unregistered task {entry['task']!r}"
        assert "schedule" in entry


def test_worker_keeps_django_logging():
    assert app.conf.worker_hijack_root_logger is False


def test_beat_answers_health_checks():
    """docker-compose.yml's beat health check relies on `beat --enable-remote-control`."""
    out = subprocess.run([sys.executable, "-m", "celery", "-A", "bianxue", "beat", "--help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "--enable-remote-control" in out.stdout


@pytest.fixture
def worker_on_redis():
    """A real Celery worker (solo pool, in a thread) consuming from REDIS_URL. Restores eager mode."""
    url = os.environ["REDIS_URL"]
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=url, result_backend=url)
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.update(saved)


@pytest.mark.redis
def test_task_through_a_real_worker_on_redis(worker_on_redis):
    assert app.conf.broker_url.startswith("redis://")
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    assert result.successful()
    assert type(result.backend).__name__ == "RedisBackend"


def test_eager_mode_restored_after_the_worker_test():
    # Runs after the worker test in file order: other tests still get tasks in process.
    assert app.conf.task_always_eager is True
