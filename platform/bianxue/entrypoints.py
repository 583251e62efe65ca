"""What the server entry points (ASGI, WSGI) check before Django is set up. The Celery app names no default
settings module either, so a worker without one is refused by Django itself."""

import os

from django.core.exceptions import ImproperlyConfigured


def require_settings_module() -> str:
    """The settings module must be named explicitly: a server started without it must not fall back to the
    development settings (DEBUG on, a public SECRET_KEY). ``manage.py`` keeps its development default for
    developers at their own machine; the Docker image and compose set the production module."""
    name = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    if not name:
        raise ImproperlyConfigured(
            "DJANGO_SETTINGS_MODULE is not set: set it to bianxue.settings.production (servers) or "
            "bianxue.settings.dev (development). 未设置 DJANGO_SETTINGS_MODULE：服务器请设为 "
            "bianxue.settings.production，开发环境请设为 bianxue.settings.dev。"
        )
    return name
