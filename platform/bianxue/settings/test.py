"""Tests: fast hashing, in-memory email. Services still follow DATABASE_URL and REDIS_URL."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
# First, so that its `flush` command (the test database cleaned up through the owner's connection, the append-only
# guards switched off around it) overrides Django's: see tests/dbowner.
INSTALLED_APPS = ["tests.dbowner", *INSTALLED_APPS]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
if DATABASE_URL:  # noqa: F405
    # Tests keep one persistent connection per thread (pytest-django's test database, the live server's fork):
    # the pool is the servers' concern and is tested against a real server (tests/deploy/test_connections.py).
    DATABASES["default"]["OPTIONS"].pop("pool", None)  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
if not DATABASE_URL:  # noqa: F405
    DATABASES["default"]["NAME"] = env("SQLITE_PATH", str(BASE_DIR / "var" / "test.sqlite3"))  # noqa: F405
SMS_BACKEND = "bianxue.accounts.sms.LocmemSMSBackend"
# Tasks run in process in tests even when REDIS_URL is set (CI); the real-worker test in
# tests/bianxue/test_celery.py switches this off for its own duration.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
