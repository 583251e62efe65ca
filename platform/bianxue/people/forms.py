"""The resident's identity form (name + resident ID number)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services import resident_id_validate


class IdentityForm(forms.Form):
    name = forms.CharField(
        label=_("姓名"),
        max_length=64,
        help_text=_("与身份证上的姓名一致。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    resident_id = forms.CharField(
        label=_("居民身份证号码"),
        min_length=18,
        max_length=18,
        help_text=_("18 位，最后一位可能是 X。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}),
        error_messages={
            "min_length": _("身份证号码应为 18 位。"),
            "max_length": _("身份证号码应为 18 位。"),
            "required": _("请填写身份证号码。"),
        },
    )

    def clean_resident_id(self) -> str:
        try:
            return resident_id_validate(value=self.cleaned_data["resident_id"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages, code=getattr(exc, "code", None))


class BindingCodeForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("请填写验证码。")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, required=False)


class IdentifierSearchForm(forms.Form):
    resident_id = forms.CharField(
        label=_("居民身份证号码"), max_length=18, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
