"""Form fields for logins: mainland mobile numbers normalised to E.164."""

import re

from allauth.account.fields import PhoneField as AllauthPhoneField
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_E164 = re.compile(r"^\+[1-9]\d{5,14}$")


def phone_normalize(value: str) -> str | None:
    """``138 1234-5678`` / ``+86 13812345678`` / ``008613812345678`` → ``+8613812345678``.

    Returns None when the value is not a phone number.
    """
    value = re.sub(r"[\s\-()（）]", "", value or "")
    if value.startswith("0086"):
        value = "+86" + value[4:]
    if _CN_MOBILE.match(value):
        return "+86" + value
    if value.startswith("+86") and not _CN_MOBILE.match(value[3:]):
        return None
    if _E164.match(value):
        return value
    return None


def phone_country_allowed(phone: str) -> bool:
    """Whether SMS may go to this number (E.164, or a bare 11-digit mainland mobile as imports record it):
    mainland China only unless SMS_ALLOWED_COUNTRY_CODES says otherwise."""
    from django.conf import settings

    e164 = phone_normalize(phone) or ""
    return any(e164.startswith("+" + code) for code in settings.SMS_ALLOWED_COUNTRY_CODES)


class PhoneField(AllauthPhoneField):
    """Accepts an 11-digit mainland mobile number (or any E.164 number) and returns E.164."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validators", [])
        kwargs.setdefault("label", gettext_lazy("手机号"))
        kwargs.setdefault("help_text", gettext_lazy("例如 13812345678。"))
        super().__init__(*args, **kwargs)
        self.widget.attrs["placeholder"] = "13812345678"
        self.widget.attrs["inputmode"] = "tel"

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        if not value:
            return value
        normalised = phone_normalize(value)
        if not normalised:
            raise forms.ValidationError(
                _("请输入正确的手机号，例如 13812345678。"),
                code="invalid_phone",
            )
        from allauth.account.adapter import get_adapter

        if not phone_country_allowed(normalised):
            raise forms.ValidationError(
                _("目前只支持中国大陆手机号，例如 13812345678。"),
                code="phone_country",
            )

        return get_adapter().clean_phone(normalised)
