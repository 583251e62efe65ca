"""Absolute links to the site, built from ``settings.SITE_URL`` (env var SITE_URL) and never from the request's
host: e-mails, PDFs and QR codes leave the browser, so a proxy's 127.0.0.1:8000 or localhost must not leak."""

from django.conf import settings


def absolute_url(path: str = "/") -> str:
    """``path`` (``/credits/verify/X/``) on the configured site address; absolute URLs are returned unchanged."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def rebase_url(url: str, *, origin: str) -> str:
    """``url`` moved from ``origin`` (a request's ``scheme://host/``) onto SITE_URL; other text unchanged."""
    if isinstance(url, str) and origin and url.startswith(origin):
        return absolute_url("/" + url[len(origin):])
    return url
