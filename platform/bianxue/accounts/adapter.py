"""allauth adapter: phone numbers live on the User; codes go out through bianxue.accounts.sms.

Mobile numbers are stored in E.164 form (``+8613812345678``). Residents may type the 11-digit
mainland number with or without ``+86``, spaces or dashes; :class:`PhoneField` normalises it.
"""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from bianxue.links import absolute_url, rebase_url

from .fields import PhoneField, phone_normalize
from .models import User
from .sms import sms_send


class AccountAdapter(DefaultAccountAdapter):
    # --- e-mail: branded, links on SITE_URL -----------------------------------------------------
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails, signed 汴学 and with every link on the configured SITE_URL, not the request's host
        (the templates are ours: bianxue/accounts/templates/account/email/, Chinese with English in the catalog)."""
        request = allauth_context.request
        origin = request.build_absolute_uri("/") if request is not None else ""
        context = {key: rebase_url(value, origin=origin) for key, value in context.items()}
        site = _Site(name=settings.SITE_NAME, domain=settings.SITE_URL.split("://", 1)[-1])
        super().send_mail(template_prefix, email, {"current_site": site, "site_url": absolute_url("/"), **context})

    # --- phone support (allauth's phone adapter interface) -------------------------------------
    def phone_form_field(self, **kwargs):
        return PhoneField(**kwargs)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        # Text messages carry both languages: no page, no reader's language.
        sms_send(phone=phone, message=f"【汴学】您的验证码是 {code}，15分钟内有效。Your Bianxue code: {code}")

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        sms_send(
            phone=phone,
            message="【汴学】有人用此号码申请验证码，但该号码尚未注册汴学账户。"
            "Someone asked for a Bianxue code for this number, which has no account.",
        )

    def send_account_already_exists_sms(self, phone: str) -> None:
        sms_send(
            phone=phone,
            message="【汴学】此号码已注册汴学账户，请直接登录或找回密码。"
            "This number already has a Bianxue account: sign in or reset your password.",
        )

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone_normalize(phone) or phone
        user.phone_verified = verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user) -> tuple[str, bool] | None:
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def set_phone_verified(self, user, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str):
        phone = phone_normalize(phone) or phone
        return User.objects.filter(phone=phone).order_by("pk").first()

    def populate_username(self, request, user):
        """Logins are by email or phone; ``username`` is only an internal, never-reused handle.

        (Using the email would collide when someone changes their email and a newcomer signs
        up with the old one.)
        """
        if not user.username:
            user.username = "u" + uuid.uuid4().hex[:20]

    # --- rate limits -------------------------------------------------------------------------
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Key the failed-login limit on the phone number too.

        allauth 65.22 keys it on email or username only, so every phone login would share
        one bucket (five wrong passwords by anyone would lock out all phone logins).
        """
        phone = credentials.get("phone")
        if phone and not credentials.get("email"):
            return super()._get_login_attempts_cache_key(
                request, username="phone:" + (phone_normalize(phone) or phone)
            )
        return super()._get_login_attempts_cache_key(request, **credentials)


class _Site:
    """What allauth's mail templates read of a Site (``name``, ``domain``), from settings, not the request."""

    def __init__(self, *, name: str, domain: str) -> None:
        self.name, self.domain = name, domain

    def __str__(self) -> str:
        return self.name
