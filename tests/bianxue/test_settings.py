"""Settings switch per environment variable. Each case imports a settings module in a fresh
interpreter with a controlled environment, so the ambient environment (CI exports DATABASE_URL
and REDIS_URL) never leaks into the assertions."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Production needs real secrets; these are well-formed throwaway values.
PROD_ENV = {
    "SECRET_KEY": "x7#kq2!vL9@pR4$wZ8^mN3&bT6*cY1(hJ5)dF0-gS2+aQ7=eU4_iO9",
    "PII_HASH_KEY": "test-hash-key-for-production-settings",
    "PII_ENCRYPTION_KEY": "hFv3q1H0n3l6gOZ7fQ1rO7o1Nw3wM0b1p8J3dXh0Y2s=",
    "ALLOWED_HOSTS": "bianxue.example.cn",
}

PROBE = r"""
import importlib, json, sys
s = importlib.import_module(sys.argv[1])
print(json.dumps({
    "db_engine": s.DATABASES["default"]["ENGINE"],
    "db": {k: s.DATABASES["default"].get(k) for k in ("NAME", "HOST", "PORT", "USER")},
    "cache": s.CACHES["default"]["BACKEND"],
    "cache_location": s.CACHES["default"].get("LOCATION"),
    "eager": getattr(s, "CELERY_TASK_ALWAYS_EAGER", False),
    "broker": s.CELERY_BROKER_URL,
    "result_backend": s.CELERY_RESULT_BACKEND,
    "channel_layer": s.CHANNEL_LAYERS["default"]["BACKEND"],
    "channel_hosts": s.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts"),
    "wagtail_search": s.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"],
    "wagtail_search_urls": s.WAGTAILSEARCH_BACKENDS["default"].get("URLS"),
    "search_backend": s.SEARCH_BACKEND,
    "debug": s.DEBUG,
    "language": s.LANGUAGE_CODE,
    "time_zone": s.TIME_ZONE,
    "allowed_hosts": s.ALLOWED_HOSTS,
    "x_frame_options": s.X_FRAME_OPTIONS,
    "hsts": getattr(s, "SECURE_HSTS_SECONDS", 0),
    "session_cookie_secure": getattr(s, "SESSION_COOKIE_SECURE", False),
}))
"""


def run_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, "-c", PROBE, module], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def load(module: str = "bianxue.settings.base", **env: str) -> dict:
    proc = run_settings(module, **env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_nothing_set_runs_on_one_machine():
    s = load()
    assert s["db_engine"] == "django.db.backends.sqlite3"
    assert s["db"]["NAME"] == str(ROOT / "var" / "bianxue.sqlite3")
    assert s["eager"] is True
    assert s["broker"] == "memory://"
    assert s["channel_layer"] == "channels.layers.InMemoryChannelLayer"
    assert s["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["wagtail_search"] == "wagtail.search.backends.database"
    assert s["search_backend"] == "database"
    assert s["language"] == "zh-hans"
    assert s["time_zone"] == "Asia/Shanghai"
    assert s["debug"] is False


def test_sqlite_path_is_configurable():
    assert load(SQLITE_PATH="/tmp/elsewhere.sqlite3")["db"]["NAME"] == "/tmp/elsewhere.sqlite3"


def test_database_url_switches_to_postgresql():
    s = load(DATABASE_URL="postgres://bx:secret@db.internal:5433/bianxue")
    assert s["db_engine"] == "django.db.backends.postgresql"
    assert s["db"] == {"NAME": "bianxue", "HOST": "db.internal", "PORT": 5433, "USER": "bx"}
    # the other services stay local
    assert s["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["eager"] is True


def test_redis_url_switches_broker_results_channels_and_cache():
    url = "redis://redis.internal:6379/2"
    s = load(REDIS_URL=url)
    assert s["eager"] is False
    assert s["broker"] == url
    assert s["result_backend"] == url
    assert s["channel_layer"] == "channels_redis.core.RedisChannelLayer"
    assert s["channel_hosts"] == [url]
    assert s["cache"] == "bianxue.cache.ResilientRedisCache"
    assert s["cache_location"] == url
    assert s["db_engine"] == "django.db.backends.sqlite3"
    assert s["wagtail_search"] == "wagtail.search.backends.database"


def test_elasticsearch_url_switches_search():
    url = "http://es.internal:9200"
    s = load(ELASTICSEARCH_URL=url)
    assert s["wagtail_search"] == "wagtail.search.backends.elasticsearch8"
    assert s["wagtail_search_urls"] == [url]
    assert s["search_backend"] == "elasticsearch"
    assert s["channel_layer"] == "channels.layers.InMemoryChannelLayer"


def test_all_services_together():
    s = load(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/bx",
        REDIS_URL="redis://127.0.0.1:6379/0",
        ELASTICSEARCH_URL="http://127.0.0.1:9200",
    )
    assert s["db_engine"] == "django.db.backends.postgresql"
    assert s["channel_layer"] == "channels_redis.core.RedisChannelLayer"
    assert s["search_backend"] == "elasticsearch"


def test_dev_settings_debug_on():
    s = load("bianxue.settings.dev")
    assert s["debug"] is True


def test_test_settings_run_tasks_in_process_even_with_redis():
    s = load("bianxue.settings.test", REDIS_URL="redis://127.0.0.1:6379/0")
    assert s["eager"] is True
    assert s["broker"] == "redis://127.0.0.1:6379/0"
    assert s["db"]["NAME"] == str(ROOT / "var" / "test.sqlite3")


def test_production_settings_with_real_secrets():
    s = load("bianxue.settings.production", **PROD_ENV)
    assert s["debug"] is False
    assert s["hsts"] >= 31536000
    assert s["session_cookie_secure"] is True
    assert s["x_frame_options"] == "DENY"
    assert s["allowed_hosts"] == ["bianxue.example.cn"]


@pytest.mark.parametrize(
    "secret_key",
    [
        None,  # not set at all
        "",
        "short-key",
        "dev-insecure-key-bianxue-not-for-production-use-0123456789",  # the development default
        "django-insecure-" + "a1b2c3d4e5" * 5,
        "a" * 60,  # long but not random
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    proc = run_settings("bianxue.settings.production", **env)
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr
    assert "SECRET_KEY" in proc.stderr


@pytest.mark.parametrize("missing", ["PII_HASH_KEY", "PII_ENCRYPTION_KEY"])
def test_production_refuses_to_start_without_pii_keys(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    proc = run_settings("bianxue.settings.production", **env)
    assert proc.returncode != 0
    assert missing in proc.stderr


def test_production_refuses_a_malformed_encryption_key():
    proc = run_settings("bianxue.settings.production", **{**PROD_ENV, "PII_ENCRYPTION_KEY": "not-a-fernet-key"})
    assert proc.returncode != 0
    assert "PII_ENCRYPTION_KEY" in proc.stderr


def test_dev_settings_debug_follows_the_environment_for_make_run_and_make_dev():
    """`make run` serves the demo with DEBUG=0 (the site's 404/500 pages), `make dev` with DEBUG=1."""
    assert load("bianxue.settings.dev")["debug"] is True
    assert load("bianxue.settings.dev", DEBUG="0")["debug"] is False
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    dev = makefile.split("\ndev:", 1)[1].split("\n\n", 1)[0]
    assert "DEBUG=0 $(PY) manage.py runserver --nostatic" in serve
    assert "DEBUG=1 $(PY) manage.py runserver --nostatic" in dev
    assert "$(MAKE) --no-print-directory serve" in makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
