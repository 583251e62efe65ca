"""Forms of the credit bank pages (thin: the services validate)."""

from bianxue.institutions.models import Certificate, CertificateLevel, Institution
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConversionMode, ConversionRule, OutcomeType


class DeclarationForm(forms.Form):
    outcome_type = forms.ChoiceField(label=_("成果类型"), choices=OutcomeType.choices)
    title = forms.CharField(label=_("成果名称"), max_length=200)
    institution = forms.ModelChoiceField(
        label=_("申请认证的机构"), queryset=Institution.objects.filter(is_active=True).order_by("code"),
        help_text=_("由该机构的学分认定员审核。"))
    date = forms.DateField(label=_("取得日期"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("学时"), required=False, min_value=0, max_digits=7, decimal_places=1)
    certificate = forms.ModelChoiceField(label=_("1+X证书"), queryset=Certificate.objects.all(), required=False)
    cert_level = forms.ChoiceField(label=_("证书等级"), choices=[("", "—"), *CertificateLevel.choices],
                                   required=False)
    certificate_no = forms.CharField(label=_("证书编号"), max_length=64, required=False)
    evidence = forms.FileField(label=_("证明材料（PDF、JPEG 或 PNG，不超过 10 MB）"),
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ConversionRuleForm(forms.ModelForm):
    class Meta:
        model = ConversionRule
        fields = ["institution", "programme_code", "programme_name", "programme_credits", "share_cap_percent",
                  "course_code", "course_name", "credits", "mode", "outcome_type", "certificate", "min_level",
                  "min_credits"]

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if institutions is not None:  # the officer's institutions; credits.services.conversion_rule_save re-checks
            self.fields["institution"].queryset = institutions
            self.fields["institution"].error_messages["invalid_choice"] = _(
                "转换规则属于接收机构：只有该机构的学分认定员或教育局管理员可以新建或修改。")
        self.fields["mode"].choices = ConversionMode.choices


class RuleRevisionForm(forms.Form):
    valid_from = forms.DateField(label=_("新版本生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    hours_per_credit = forms.DecimalField(label=_("每学分学时"), required=False, min_value=1)
    junior_credits = forms.DecimalField(label=_("初级学分"), required=False, min_value=0)
    intermediate_credits = forms.DecimalField(label=_("中级学分"), required=False, min_value=0)
    senior_credits = forms.DecimalField(label=_("高级学分"), required=False, min_value=0)
    max_per_certificate = forms.DecimalField(label=_("每证书上限"), required=False, min_value=0)
    year_cap = forms.DecimalField(label=_("每人每年上限"), required=False, min_value=0)


class AccreditationForm(forms.Form):
    """The bureau's accreditation page: grant, narrow, withdraw or restore one scope (the service checks)."""

    institution = forms.ModelChoiceField(label=_("机构"), queryset=Institution.objects.order_by("code"))
    outcome_type = forms.ChoiceField(label=_("成果类型"), required=False,
                                     choices=[("", _("全部类型")), *OutcomeType.choices])
    certificate = forms.ModelChoiceField(label=_("证书（考核站点）"), queryset=Certificate.objects.order_by("code"),
                                         required=False)
    accredited = forms.TypedChoiceField(label=_("决定"), coerce=lambda v: v == "1",
                                        choices=[("1", _("认证（到达即认证）")), ("0", _("撤销（转教育局审核）"))])
    note = forms.CharField(label=_("说明"), max_length=200)
