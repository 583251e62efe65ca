"""Plain forms of the staff pages (sessions and 1+X exam sittings). Choices are narrowed to what the
user may act for; the services check again (a forged POST is refused there too)."""

from bianxue.institutions.models import Certificate, CertificateLevel
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import ProgrammePage

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(queryset=None, label=_("课程"))
    title = forms.CharField(label=_("主题"), max_length=120, required=False)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME_WIDGET)
    venue = forms.CharField(label=_("地点"), max_length=200, required=False,
                            help_text=_("留空则用课程的上课地点。"))
    capacity = forms.IntegerField(label=_("座位数"), min_value=1, required=False,
                                  help_text=_("留空为不限。满额后学员扫码不再登记，老师仍可补登。"))

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["course"]
        else:
            self.fields["course"].queryset = selectors.staff_courses_for_user(user=user)
            self.fields["course"].label_from_instance = lambda c: f"{c.provider.name} · {c.title}"

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", gettext("结束时间须晚于开始。"))
        return data


class ExamSessionForm(forms.Form):
    institution = forms.ModelChoiceField(queryset=None, label=_("举办机构"))
    certificate = forms.ModelChoiceField(queryset=Certificate.objects.order_by("code"), label=_("1+X证书"))
    cert_level = forms.ChoiceField(label=_("证书等级"), choices=CertificateLevel.choices)
    programme = forms.ModelChoiceField(queryset=None, label=_("培训项目"), required=False)
    date = forms.DateField(label=_("考试日期"), widget=DATE_WIDGET)
    venue = forms.CharField(label=_("考点"), max_length=200, required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from bianxue.accounts.selectors import institutions_for_user

        from credits.services import exam_site_certificate_ids

        from .constants import SCHEDULE_ROLES

        institutions = institutions_for_user(user=user, roles=SCHEDULE_ROLES).order_by("code")
        self.fields["programme"].queryset = ProgrammePage.objects.filter(provider__in=institutions).order_by("title")
        # Only certificates the user's institutions are registered exam sites for; the service checks the pair.
        sites = exam_site_certificate_ids(institution_ids=institutions.values_list("pk", flat=True))
        self.fields["certificate"].queryset = Certificate.objects.filter(pk__in=sites).order_by("code")
        self.fields["certificate"].error_messages["invalid_choice"] = gettext(
            "本机构不是该证书的考核站点：只有教育局登记的考核站点可以安排该证书的考试。")
        self.fields["certificate"].help_text = gettext("只列出本机构已登记为考核站点的证书（由教育局登记）。")
        if editing:
            del self.fields["institution"]
        else:
            self.fields["institution"].queryset = institutions
