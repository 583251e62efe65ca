"""Server entry points (ASGI, WSGI, Celery) never fall back to the development settings, and load_demo
refuses the production settings module (not keyed on DEBUG)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bianxue.test_settings import PROD_ENV

ROOT = Path(__file__).resolve().parents[2]


def run(code: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run([sys.executable, *code], cwd=ROOT, env=clean, capture_output=True, text=True,
                          timeout=180)


@pytest.mark.parametrize("module", ["bianxue.asgi", "bianxue.wsgi"])
def test_entry_point_refuses_to_start_without_a_settings_module(module):
    proc = run(["-c", f"import {module}"])
    assert proc.returncode != 0
    assert "DJANGO_SETTINGS_MODULE is not set" in proc.stderr
    assert "未设置 DJANGO_SETTINGS_MODULE" in proc.stderr


def test_celery_worker_refuses_to_start_without_a_settings_module():
    """The Celery app names no default module, so Django refuses to configure itself (the package is imported
    by the settings modules too, so the app cannot check at import time)."""
    proc = run(["-m", "celery", "-A", "bianxue", "worker", "--pool", "solo"])
    assert proc.returncode != 0
    assert "DJANGO_SETTINGS_MODULE" in proc.stderr
    assert "Requested settings, but settings are not configured" in proc.stderr


def test_entry_point_starts_with_the_settings_module_named():
    proc = run(["-c", "import bianxue.wsgi; print(bianxue.wsgi.application.__class__.__name__)"],
               DJANGO_SETTINGS_MODULE="bianxue.settings.test")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("WSGIHandler")


def test_load_demo_refuses_the_production_settings_and_writes_nothing(tmp_path):
    database = tmp_path / "prod.sqlite3"
    proc = run(["manage.py", "load_demo"], DJANGO_SETTINGS_MODULE="bianxue.settings.production",
               SQLITE_PATH=str(database), CREDENTIAL_SIGNING_KEY="", **PROD_ENV)
    assert proc.returncode != 0
    assert "load_demo refuses the production settings" in proc.stderr
    assert "不能在生产环境加载" in proc.stderr
    assert not database.exists() or database.stat().st_size == 0


def test_load_demo_is_refused_by_environment_not_by_debug(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = True
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="load_demo refuses the production settings"):
        call_command("load_demo")
