"""The Celery app: tasks run in process without a broker, through a real worker on Redis in CI,
and beat's schedule names only registered tasks."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bianxue.celery import app, clearsessions, ping
from celery.contrib.testing.worker import start_worker

ROOT = Path(__file__).resolve().parents[2]


def test_a_task_runs_in_process_without_a_broker():
    assert ping.delay().get(timeout=1) == "pong"


@pytest.mark.django_db
def test_clearsessions_deletes_expired_sessions_and_keeps_live_ones_when_run_twice():
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1))
    clearsessions.delay().get()
    clearsessions.delay().get()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()  # every app's tasks.py, as the worker loads them
    assert app.conf.beat_schedule, "the beat schedule is empty"
    for key, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, f"beat entry {key!r} names an unregistered task {entry['task']!r}"


def test_beat_accepts_the_remote_control_flag_the_compose_health_check_needs():
    """docker-compose.yml's beat health check pings beat, which answers only with `--enable-remote-control`:
    the flag must exist in the pinned Celery, and the compose command must pass it."""
    import yaml

    out = subprocess.run([sys.executable, "-m", "celery", "-A", "bianxue", "beat", "--help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "--enable-remote-control" in out.stdout
    beat = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]["beat"]
    command = beat["command"] if isinstance(beat["command"], str) else " ".join(beat["command"])
    assert "--enable-remote-control" in command


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
    assert app.conf.task_always_eager is True  # the other tests still get their tasks in process


@pytest.mark.redis
def test_task_through_a_real_worker_on_redis(worker_on_redis):
    assert app.conf.broker_url.startswith("redis://")
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    assert result.successful()
    assert type(result.backend).__name__ == "RedisBackend"
