"""Production: refuses to start without real secrets; passes ``check --deploy``."""

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, env, env_bool, websocket_sources

DEBUG = False
ENVIRONMENT = "production"
SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "django-insecure")) or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production. "
        "生产环境必须设置至少 50 个字符的随机 SECRET_KEY。"
    )
PII_HASH_KEY = env("PII_HASH_KEY")
PII_ENCRYPTION_KEY = env("PII_ENCRYPTION_KEY")
if not PII_HASH_KEY or not PII_ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "PII_HASH_KEY and PII_ENCRYPTION_KEY must be set in production. "
        "生产环境必须设置 PII_HASH_KEY 和 PII_ENCRYPTION_KEY（身份证号加密与哈希密钥）。"
    )
try:
    Fernet(PII_ENCRYPTION_KEY.encode())
except ValueError:
    raise ImproperlyConfigured(
        "PII_ENCRYPTION_KEY must be a Fernet key (python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())'). PII_ENCRYPTION_KEY 必须是 Fernet 密钥。"
    ) from None

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Proxies are trusted explicitly: TRUSTED_PROXY_COUNT is how many proxies in front of the web service add to
# X-Forwarded-For (compose: 1, the TLS proxy; the web port is published on 127.0.0.1 only, so nothing else
# reaches it). allauth's rate limits take the client address from that position, never from a header a client
# can set; X-Forwarded-Proto is only believed when there is a proxy. daphne runs without --proxy-headers.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# DENY (check --deploy W019). Wagtail's preview marks its own views SAMEORIGIN, and the CSP
# frame-ancestors 'self' from base.py still governs browsers that understand it.
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
SMS_BACKEND = env("SMS_BACKEND", "bianxue.accounts.sms.HTTPSMSBackend")
# "optional": residents may sign up with a mobile number and no email (the phone is verified by
# SMS instead); allauth refuses "mandatory" unless email is a required sign-up field.
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional")
# Production websockets are wss:// to the site's own hosts only.
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "connect-src": ["'self'", *websocket_sources(ALLOWED_HOSTS, schemes=("wss",))],  # noqa: F405
    },
}
