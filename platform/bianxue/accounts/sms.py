"""SMS sending behind one small interface.

``SMS_BACKEND`` picks the backend:

* ``bianxue.accounts.sms.LogSMSBackend`` (dev default): writes the message, code included, to the log.
* ``bianxue.accounts.sms.LocmemSMSBackend`` (tests): appends to :data:`outbox`.
* ``bianxue.accounts.sms.HTTPSMSBackend`` (production default): POSTs JSON ``{"phone", "message"}``
  to ``SMS_GATEWAY_URL`` with ``Authorization: Bearer <SMS_GATEWAY_TOKEN>`` (the bureau's SMS gateway).
"""

import json
import logging
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .fields import phone_country_allowed

logger = logging.getLogger("bianxue.sms")

outbox: list[dict[str, str]] = []


class LogSMSBackend:
    def send(self, *, phone: str, message: str) -> None:
        logger.info("sms %s: %s", phone, message, extra={"phone": phone, "sms_message": message})


class LocmemSMSBackend:
    def send(self, *, phone: str, message: str) -> None:
        outbox.append({"phone": phone, "message": message})


class HTTPSMSBackend:
    """Posts JSON {phone, message} to SMS_GATEWAY_URL with SMS_GATEWAY_TOKEN."""

    timeout = 10

    def send(self, *, phone: str, message: str) -> None:
        url = settings.SMS_GATEWAY_URL
        token = settings.SMS_GATEWAY_TOKEN
        if not url:
            raise ImproperlyConfigured("未配置短信网关 SMS_GATEWAY_URL。SMS_GATEWAY_URL is not configured.")
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an http(s) URL.")
        body = json.dumps({"phone": phone, "message": message}, ensure_ascii=False).encode()
        req = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:
            resp.read()
        logger.info("sms sent", extra={"phone": phone[:-4] + "****"})


class SMSCountryRefused(ValueError):
    """The number's country calling code is not in SMS_ALLOWED_COUNTRY_CODES."""


def sms_send(*, phone: str, message: str) -> None:
    """Send through the configured backend; numbers outside the allowed countries are refused before any
    backend sees them (codes sent abroad cost money and are how SMS pumping fraud is paid)."""
    if not phone_country_allowed(phone):
        logger.warning("sms refused: country not allowed", extra={"phone": phone[:-4] + "****"})
        raise SMSCountryRefused(phone[:-4] + "****")
    import_string(settings.SMS_BACKEND)().send(phone=phone, message=message)
