"""The Celery app. Broker and result store come from REDIS_URL; without it tasks run in process.

Run a worker with ``celery -A bianxue worker`` and the scheduler with ``celery -A bianxue beat``.
Every app's tasks.py is discovered automatically; periodic work is declared in one place,
``CELERY_BEAT_SCHEDULE`` in bianxue/settings/base.py.
"""

from celery import Celery

app = Celery("bianxue")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="bianxue.ping")
def ping() -> str:
    """A trivial task used by health checks and the worker test."""
    return "pong"


@app.task(name="bianxue.clearsessions")
def clearsessions() -> None:
    """Delete expired sessions (scheduled nightly by beat; safe to run twice)."""
    from django.core.management import call_command

    call_command("clearsessions")
