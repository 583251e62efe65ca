"""Settings shared by every environment, read from environment variables.

With nothing set the platform runs on one machine: SQLite, tasks in process, an
in-memory channel layer, a local-memory cache and Wagtail's database search.
``DATABASE_URL``, ``REDIS_URL`` and ``ELASTICSEARCH_URL`` each switch on a real service.
"""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parents[3]  # the repository root (platform/bianxue/settings/base.py)


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("SECRET_KEY", "dev-insecure-key-bianxue-not-for-production-use-0123456789")
DEBUG = env_bool("DEBUG", False)
# Which settings module is active, for code that must refuse production (load_demo), not keyed on DEBUG.
ENVIRONMENT = "development"
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]

DATABASE_URL = env("DATABASE_URL")
REDIS_URL = env("REDIS_URL")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")

INSTALLED_APPS = [
    "daphne",
    # project apps first so their templates override third-party ones
    "bianxue.institutions",
    "bianxue.accounts",
    "bianxue.people",  # after accounts: it builds on it (audit, permissions), and its demo loader binds demo users
    "bianxue.outbox",
    "bianxue.notifications",
    "frontend.design",
    "frontend",
    "courses",
    "credits",
    "credits.records",
    "community",
    "search",
    # before Wagtail: its admin templates (widgets started without inline scripts) and admin catalog win
    "bianxue.cms",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # allauth
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # infrastructure
    "channels",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "bianxue.accounts.middleware.RequireMFAMiddleware",
    "frontend.middleware.ElderModeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "bianxue.urls"
WSGI_APPLICATION = "bianxue.wsgi.application"
ASGI_APPLICATION = "bianxue.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "frontend.context_processors.site_ui",
                "frontend.context_processors.navigation",
                "bianxue.registry.context_processors.registered",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------
if DATABASE_URL:
    # A bounded pool (psycopg_pool through Django 5.2): under daphne every request runs in a thread of its own,
    # and persistent per-thread connections (CONN_MAX_AGE) piled up until PostgreSQL refused new ones. A request
    # takes a connection from the pool and gives it back at its end; when all are busy it waits (timeout).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1, "max_size": int(env("DB_POOL_MAX_SIZE", "10")), "timeout": 10}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(BASE_DIR / "var" / "bianxue.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, tasks, channel layer ------------------------------------------------------------
# Redis connections the cache and /healthz may hold per process (a blocking pool: a request waits for one).
REDIS_MAX_CONNECTIONS = int(env("REDIS_MAX_CONNECTIONS", "20"))
if REDIS_URL:
    # One bounded connection pool per process shared by every thread (bianxue.cache), not one per request thread.
    CACHES = {"default": {"BACKEND": "bianxue.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    # No broker configured: run tasks in process so the platform works on one machine.
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Keep Django's LOGGING (JSON lines on stdout) in the worker and beat instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "var" / "celerybeat-schedule"))
# Periodic work, run by `celery -A bianxue beat` (the `beat` service in docker-compose.yml).
# THE place for every app's periodic task: add one entry per task, keyed "<app label>.<what>",
# pointing at a task registered by that app's tasks.py (tests/bianxue/test_celery.py checks
# that every entry names a registered task). Times are Asia/Shanghai.
CELERY_BEAT_SCHEDULE: dict = {
    "platform.outbox_relay": {  # sends what waited while the broker was down (bianxue.outbox)
        "task": "bianxue.outbox_relay",
        "schedule": 60.0,
    },
    "platform.clearsessions": {
        "task": "bianxue.clearsessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "records.indicator_snapshots": {
        "task": "credits.records.tasks.indicator_snapshots_refresh",
        "schedule": crontab(hour=2, minute=0),
    },
    "records.uploads_purge": {
        "task": "credits.records.tasks.uploads_purge",
        "schedule": crontab(minute=40),
    },
    "credits.ledger_checkpoint": {  # a signed root over every chain head, published at /credits/checkpoints/
        "task": "credits.ledger_checkpoint",
        "schedule": crontab(hour=4, minute=7),
    },
    "notifications.digests": {  # daily digests for users who asked for one (bianxue.notifications)
        "task": "notifications.digests",
        "schedule": crontab(hour=19, minute=0),
    },
    # "search.<...>": {"task": "search.tasks.<...>", "schedule": crontab(minute="*/30")},
}

# --- search ---------------------------------------------------------------------------------
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": env("ELASTICSEARCH_INDEX_PREFIX", "bianxue") + "_wagtail",
            "TIMEOUT": 10,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
SEARCH_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "database"

# --- auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "bianxue.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
# A resident signs up with a mobile number, an email, or both: both fields are optional to allauth
# and bianxue.accounts.forms.SignupForm requires at least one. allauth's check account.W001
# ("no login method field required") cannot see that rule, hence it is silenced below.
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "bianxue.accounts.forms.SignupForm", "login": "bianxue.accounts.forms.LoginForm"}
SILENCED_SYSTEM_CHECKS = ["account.W001"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
# Sign in with a one-time code sent by SMS or email (also the way back in for a forgotten
# password when the account has only a mobile number: allauth 65 resets passwords by email only).
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Six digits, as residents know from every other SMS code (3 attempts per code, rate limited).
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
# Rate limits stay on (allauth's defaults, stated so that nobody switches them off by accident).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    "verify_phone": "1/30s/key,3/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    # Real-name binding (bianxue.people.services.binding): claims and code resends, and code entries.
    "realname_claim": "10/m/ip,10/h/user",
    "realname_code": "10/m/ip,10/h/user",
    # Typing a class's short attendance code (courses.views.qr.attend_code).
    "attend_code": "10/m/user,30/m/ip",
    # Credit officers looking a learner up by ID number or mobile (credits.views.account_lookup).
    "officer_lookup": "30/m/user,60/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "汴学 Bianxue"
# Roles that must have TOTP before they can use the platform (bianxue.accounts.middleware).
MFA_REQUIRED_ROLES = {"teacher", "registrar", "credit_officer", "bureau_admin"}
SMS_BACKEND = env("SMS_BACKEND", "bianxue.accounts.sms.LogSMSBackend")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")  # used by bianxue.accounts.sms.HTTPSMSBackend
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")
# Country calling codes SMS may go to (codes cost money and abroad is where SMS pumping fraud sends them):
# mainland China only unless the bureau configures more, e.g. "86,852,853".
SMS_ALLOWED_COUNTRY_CODES = [c.strip().lstrip("+") for c in env("SMS_ALLOWED_COUNTRY_CODES", "86").split(",")
                             if c.strip()]

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The portal package's catalogs, wherever the package is: the source tree (development) or site-packages
# (the production image installs the project as a regular, non-editable package).
LOCALE_PATHS = [Path(importlib.util.find_spec("frontend").submodule_search_locations[0]) / "locale"]
TIME_ZONE = "Asia/Shanghai"  # every time shown (pages, PDFs, exports, e-mails) is Kaifeng's: docs/i18n.md
# Named formats per language ({{ d|date:"MONTH_DAY_FORMAT" }}): 3月2日 in Chinese, March 2 in English.
FORMAT_MODULE_PATH = ["bianxue.formats"]
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]

# Learning evidence: the lowest share (%) of a video/audio lesson's measured duration that must be watched; a
# course's own completion threshold applies above it (docs/trust.md, "Learning evidence").
COURSES_WATCHED_SHARE_MIN = 80

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Private files (import uploads, declaration evidence): never under MEDIA_ROOT, never served by URL.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(MEDIA_ROOT.parent / "private")))
# Upload limits, enforced while the body streams in (bianxue.files.LimitedUploadHandler): per path prefix,
# else UPLOAD_MAX_BYTES. Records imports: IMPORT_MAX_UPLOAD_MB; declaration evidence: 10 MB.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_LIMITS = {
    "/credits/declare/": 10 * 1024 * 1024,  # evidence (credits.services.EVIDENCE_MAX_BYTES)
    "/records/import/": int(env("IMPORT_MAX_UPLOAD_MB", "50")) * 1024 * 1024,
    "/admin/": int(env("ADMIN_MAX_UPLOAD_MB", "200")) * 1024 * 1024,  # course videos in the CMS
}
FILE_UPLOAD_HANDLERS = [
    "bianxue.files.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Limits of an import file, each refused with its own message: bytes of one file, uncompressed bytes of an
# .xlsx (a zip: a small file can unpack to gigabytes), its shared-strings table, and data rows per file.
IMPORT_MAX_FILE_BYTES = int(env("IMPORT_MAX_UPLOAD_MB", "50")) * 1024 * 1024
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = int(env("IMPORT_XLSX_MAX_UNCOMPRESSED_MB", "400")) * 1024 * 1024
IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES = int(env("IMPORT_XLSX_MAX_SHARED_STRINGS_MB", "100")) * 1024 * 1024
IMPORT_MAX_ROWS = int(env("IMPORT_MAX_ROWS", "1000000"))
# Uploaded import files are deleted when the import commits or fails; a validated upload nobody confirmed is
# deleted after this many hours (beat: records.uploads_purge).
IMPORT_UPLOAD_RETENTION_HOURS = int(env("IMPORT_UPLOAD_RETENTION_HOURS", "24"))

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "汴学"
# One sign-in door: the CMS admin sends its visitors to the site's login (allauth: rate limits, MFA stage).
WAGTAILADMIN_LOGIN_URL = "account_login"
# A signed-in user whom the CMS turns away (no admin access) sees the login form with the reason, as the CMS's
# own form did, instead of being sent back to the CMS in a loop.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
WAGTAIL_PASSWORD_RESET_ENABLED = False  # password reset is allauth's too
# The site's public address: every link in an e-mail, a text message, a PDF or a QR code is built from it, never
# from the request's host (a proxy's 127.0.0.1:8000 or localhost). Env var SITE_URL, without a trailing slash.
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_URL = WAGTAILADMIN_BASE_URL
SITE_NAME = "汴学"  # the brand in e-mail subjects and signatures (bianxue.accounts.adapter)

# --- e-mail -----------------------------------------------------------------------------------
# From 汴学, not webmaster@localhost; the subject carries no "[host]" prefix (the adapter adds 【汴学】).
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "汴学 <noreply@bianxue.kaifeng.gov.cn>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "【汴学】"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "【汴学】"

# --- PDF fonts (credits.pdf_fonts) ----------------------------------------------------------
# The shipped font (credits/fonts/BianxueSansSC.ttf) covers GB 2312; other characters come from this Noto Sans
# CJK collection (Debian: fonts-noto-cjk) when it exists.
PDF_CJK_FONT = env("PDF_CJK_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "mp3", "mp4", "vtt"]
# The CMS admin under the site's CSP (docs/frontend.md#cms-csp): no third-party requests from the admin. Avatars
# are Wagtail's own (an uploaded one or the default; gravatar.com is blocked by img-src and slow from China) and
# the dashboard does not ask releases.wagtail.org for updates (connect-src; upgrades follow the lock files).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Everyone works in Kaifeng: the account page offers Beijing time only (not 600 zones in English).
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]

# --- personal data --------------------------------------------------------------------------
# Keys for resident ID numbers: a keyed hash (lookup) and Fernet encryption (storage).
# Derived from SECRET_KEY in development; production sets both explicitly.
PII_HASH_KEY = env("PII_HASH_KEY", "dev-pii-hash-key-" + SECRET_KEY)
PII_ENCRYPTION_KEY = env("PII_ENCRYPTION_KEY")

# Kaifeng residents aged 60+ (2020 census), the denominator of indicator L4.
ELDERLY_POPULATION = int(env("ELDERLY_POPULATION", "930790"))

# --- security headers (content security policy everywhere; HSTS etc. in production) ----------
def websocket_sources(hosts: list[str], *, schemes: tuple[str, ...]) -> list[str]:
    """CSP sources for websockets to the site's own named hosts (wildcard entries name no host)."""
    named = [h for h in hosts if h and h != "*" and not h.startswith(".")]
    return [f"{scheme}://{host}" for host in named for scheme in schemes]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        # 'self' covers same-origin websockets in current browsers; the site's own hosts are named too
        # (older Safari), never a bare ws:/wss: that would let a script talk to any host.
        "connect-src": ["'self'", *websocket_sources(ALLOWED_HOSTS, schemes=("ws", "wss"))],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview uses same-origin frames

# --- logging: structured JSON lines on standard output ---------------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,  # Chinese stays readable in the log lines
        },
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
