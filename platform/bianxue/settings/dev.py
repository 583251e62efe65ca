"""One machine (``make run``, ``make dev``): the dev SMS backend logs codes, mail goes to the console.

DEBUG is on unless the environment says ``DEBUG=0``: ``make run`` serves the demo as residents see it (DEBUG
off: the site's own 404 and 500 pages, no tracebacks), ``make dev`` with DEBUG on."""

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)  # noqa: F405
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Static files through WhiteNoise (with `runserver --nostatic`), DEBUG or not, as in production: it answers
# byte-range requests, which video seeking (resume where the learner stopped) needs.
WHITENOISE_USE_FINDERS = True
# Autorefresh (files re-read on every request) only while developing; with DEBUG off the files found at start
# are served, with their cache headers, as in production.
WHITENOISE_AUTOREFRESH = DEBUG
