"""SMS sending behind one small interface. Dev logs the code; tests keep an outbox; production posts to a gateway."""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("bianxue.sms")

outbox: list[dict[str, str]] = []


class LogSMSBackend:
    def send(self, *, phone: str, message: str) -> None:
        logger.info("sms", extra={"phone": phone, "sms_message": message})


class LocmemSMSBackend:
    def send(self, *, phone: str, message: str) -> None:
        outbox.append({"phone": phone, "message": message})


class HTTPSMSBackend:
    """Posts JSON {phone, message} to SMS_GATEWAY_URL with SMS_GATEWAY_TOKEN (the bureau's SMS gateway)."""

    def send(self, *, phone: str, message: str) -> None:
        url = getattr(settings, "SMS_GATEWAY_URL", "") or __import__("os").environ.get("SMS_GATEWAY_URL", "")
        token = __import__("os").environ.get("SMS_GATEWAY_TOKEN", "")
        if not url:
            raise RuntimeError("SMS_GATEWAY_URL is not configured. 未配置短信网关 SMS_GATEWAY_URL。")
        body = json.dumps({"phone": phone, "message": message}).encode()
        req = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - configured gateway URL
            resp.read()


def sms_send(*, phone: str, message: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone=phone, message=message)
