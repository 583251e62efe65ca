"""Forms of the accounts app: sign-up by email or mobile, membership grants."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bianxue.institutions.models import Institution

from .models import Role, User


class LoginForm(AllauthLoginForm):
    """allauth's login with a clear label: the mobile number or the email."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("手机号或电子邮箱")
        self.fields["login"].widget.attrs.update({"placeholder": "13812345678 / name@example.cn", "autocomplete": "username"})


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with email and phone both optional, but at least one of them given."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].label = _("电子邮箱")
            self.fields["email"].help_text = _("手机号或邮箱至少填一项。")
        if "phone" in self.fields:
            self.fields["phone"].label = _("手机号")
            self.fields["phone"].help_text = _("手机号或邮箱至少填一项。")
        self.order_fields(["phone", "email", "password1", "password2"])

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("email") and not cleaned_data.get("phone") and not self.has_error("phone") and not self.has_error("email"):
            raise forms.ValidationError(
                gettext("请填写手机号或电子邮箱（至少一项）。"),
                code="email_or_phone_required",
            )
        return cleaned_data


class MembershipGrantForm(forms.Form):
    """Bureau admins give a user (found by email or mobile) a role at an institution."""

    login = forms.CharField(
        label=_("用户的电子邮箱或手机号"), max_length=254
    )
    institution = forms.ModelChoiceField(
        label=_("机构"), queryset=Institution.objects.order_by("code")
    )
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    def clean_login(self) -> User:
        from .fields import phone_normalize

        value = self.cleaned_data["login"].strip()
        phone = phone_normalize(value)
        user = None
        if "@" in value:
            user = User.objects.filter(email__iexact=value).order_by("pk").first()
        elif phone:
            user = User.objects.filter(phone=phone).first()
        if user is None:
            raise forms.ValidationError(gettext("找不到该用户。"))
        return user
