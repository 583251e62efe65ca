"""allauth adapter: phone numbers live on the User; codes go out through bianxue.accounts.sms."""

from allauth.account.adapter import DefaultAccountAdapter

from .models import User
from .sms import sms_send


class AccountAdapter(DefaultAccountAdapter):
    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        sms_send(phone=phone, message=f"【汴学】您的验证码是 {code}，15分钟内有效。Your Bianxue code: {code}")

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if not user.username:
            user.username = phone
        if user.pk:
            user.save(update_fields=["phone", "phone_verified", "username"])

    def get_phone(self, user) -> tuple[str, bool] | None:
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def set_phone_verified(self, user, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str):
        return User.objects.filter(phone=phone).order_by("pk").first()

    def populate_username(self, request, user):
        if not user.username:
            user.username = user.email or user.phone or None
        if not user.username:
            super().populate_username(request, user)
