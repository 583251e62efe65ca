"""Development: DEBUG on, the dev SMS backend logs codes."""

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Static files through WhiteNoise (with `runserver --nostatic`), as in production: it answers
# byte-range requests, which video seeking (resume where the learner stopped) needs.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
