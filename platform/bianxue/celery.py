"""The Celery app. Broker and result store come from REDIS_URL; without it tasks run in process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianxue.settings.dev")

app = Celery("bianxue")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="bianxue.ping")
def ping() -> str:
    """A trivial task used by health checks and the worker test."""
    return "pong"
