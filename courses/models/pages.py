"""The catalog's Wagtail pages: sections (CourseIndexPage), programmes (ProgrammePage) and courses
(CoursePage), with the catalog's categories, modes and audiences."""

from decimal import Decimal

from bianxue.institutions.models import CertificateLevel
from bianxue.vocab import Category
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import LessonStreamBlock
from .facts import ZERO, CourseFactsFields, ExamEligibility

FEE_PANEL_FIELDS = [
    FieldRowPanel([FieldPanel("fee_yuan"), FieldPanel("subsidy_yuan")]),
    FieldPanel("subsidy_policy"),
    FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
]

# Categories of the catalog sections, in display order.
CATALOG_CATEGORIES = (
    Category.OPEN_UNIVERSITY,
    Category.COMMUNITY,
    Category.ELDERLY,
    Category.VOCATIONAL,
    Category.X_CERTIFICATE,
    Category.CONTINUING,
)
SECTION_TITLES = {
    Category.OPEN_UNIVERSITY: ("开放教育", "open-university"),
    Category.COMMUNITY: ("社区教育", "community-education"),
    Category.ELDERLY: ("老年教育", "elderly"),
    Category.VOCATIONAL: ("职业技能培训", "vocational"),
    Category.X_CERTIFICATE: ("1+X证书培训", "x-certificate"),
    Category.CONTINUING: ("继续教育", "continuing"),
}


class Mode(models.TextChoices):
    ONLINE = "online", _("线上")
    OFFLINE = "offline", _("线下")
    BLENDED = "blended", _("线上线下混合")


class Audience(models.Model):
    """An audience tag (老年人, 农村劳动力…). Rows are seeded by migration 0002."""

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(_("名称"), max_length=32)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("面向人群")
        verbose_name_plural = pgettext_lazy("audiences", "面向人群")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


# Names are marked for translation; templates show them with {% translate %}.
AUDIENCES = [
    ("elderly", gettext_noop("老年人")),
    ("rural_labour", gettext_noop("农村劳动力")),
    ("migrant_workers", gettext_noop("进城务工人员")),
    ("veterans", gettext_noop("退役军人")),
    ("disabled", gettext_noop("残疾人")),
    ("students", gettext_noop("在校学生")),
]


class CourseIndexPage(Page):
    """A catalog section: the courses of one category (开放教育, 社区教育, 老年教育…)."""

    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, blank=True)
    intro = models.TextField(_("导语"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("category"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["frontend.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.ProgrammePage"]

    class Meta:
        verbose_name = _("课程栏目")

    # The read behind the page: ``courses.selectors.course_list``, set by CoursesConfig.ready(). The selectors
    # read these models, so the models never import them: the arrow between the two points one way.
    courses_read = None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = self.courses_read(category=self.category or None, sort="start")[:60]
        return context


class FactsPageForm(WagtailAdminPageForm):
    """Fee, subsidy and attendance fields may be left empty: empty is the model's default (free, no subsidy)."""

    OPTIONAL_WITH_DEFAULT = ("fee_yuan", "subsidy_yuan", "attendance_required")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.OPTIONAL_WITH_DEFAULT:
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in self.OPTIONAL_WITH_DEFAULT:
            if name in self.fields and cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = self._meta.model._meta.get_field(name).get_default()
        return cleaned


class ProgrammePageForm(FactsPageForm):
    pass


class ProgrammePage(CourseFactsFields, Page):
    """A programme grouping courses; for 1+X, the certificate training programme of a certificate and level, with
    its training fee, subsidy and target groups, and its exam's fee and eligibility (the sittings are ExamSession
    rows pointing here)."""

    provider = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="programmes", verbose_name=_("举办机构")
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, db_index=True)
    certificate = models.ForeignKey(
        "institutions.Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="programmes",
        verbose_name=_("1+X证书"),
    )
    cert_level = models.CharField(pgettext_lazy("level", "证书等级"), max_length=12, choices=CertificateLevel.choices, blank=True)
    description = RichTextField(_("介绍"), blank=True)
    exam_fee_yuan = models.DecimalField(
        _("考试费（元）"), max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(ZERO)],
        help_text=_("1+X 证书考试的报考费；留空表示以考点通知为准。"),
    )
    exam_eligibility = models.CharField(
        _("报考条件"), max_length=12, choices=ExamEligibility.choices, default=ExamEligibility.TRAINED,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("provider"),
        FieldPanel("category"),
        FieldRowPanel([FieldPanel("certificate"), FieldPanel("cert_level")]),
        MultiFieldPanel([*FEE_PANEL_FIELDS, FieldRowPanel([FieldPanel("exam_fee_yuan"), FieldPanel("exam_eligibility")])],
                        heading=_("费用、补贴与报考")),
        FieldPanel("description"),
    ]
    base_form_class = ProgrammePageForm
    search_fields = [*Page.search_fields, index.SearchField("description"), index.FilterField("category")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("培训项目")

    def clean(self):
        super().clean()
        if errors := self.facts_clean():
            raise ValidationError(errors)


class CoursePageForm(FactsPageForm):
    """Limits the provider to the institutions the editing user may act for."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and "provider" in self.fields:
            from bianxue.accounts.selectors import institutions_for_user

            self.fields["provider"].queryset = institutions_for_user(user=for_user)


class CoursePage(CourseFactsFields, Page):
    """A course: who offers it, for whom, where and when, what it is worth, and its lessons."""

    code = models.CharField(
        _("课程代码"), max_length=64, blank=True,
        help_text=_("学习记录中的课程代码；留空则用页面的网址名称。"),
    )
    provider = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="courses", verbose_name=_("举办机构")
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    audiences = ParentalManyToManyField(Audience, blank=True, related_name="courses", verbose_name=pgettext_lazy("audiences", "面向人群"))
    district = models.ForeignKey(
        "institutions.District", null=True, blank=True, on_delete=models.PROTECT, related_name="courses",
        verbose_name=_("县区"),
    )
    venue = models.CharField(_("上课地点"), max_length=200, blank=True)
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1, default=Decimal("0"))
    credits = models.DecimalField(
        _("学分"), max_digits=5, decimal_places=1, null=True, blank=True,
        help_text=_("仅作展示；以学分银行认定为准。"),
    )
    certificate = models.ForeignKey(
        "institutions.Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="courses",
        verbose_name=_("1+X证书"),
    )
    cert_level = models.CharField(pgettext_lazy("level", "证书等级"), max_length=12, choices=CertificateLevel.choices, blank=True)
    start_date = models.DateField(_("开课日期"), null=True, blank=True)
    end_date = models.DateField(_("结课日期"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        pgettext_lazy("capacity", "名额"), null=True, blank=True,
        help_text=_("线下/混合课程的名额，满额后进入候补。留空为不限。"),
    )
    enrol_opens = models.DateField(_("报名开始"), null=True, blank=True)
    enrol_closes = models.DateField(_("报名截止"), null=True, blank=True)
    prerequisites = models.TextField(_("先修要求"), blank=True)
    summary = models.CharField(_("简介"), max_length=300, blank=True)
    description = RichTextField(pgettext_lazy("description", "课程介绍"), blank=True)
    completion_threshold = models.PositiveSmallIntegerField(
        _("视频完成比例"), default=90,
        help_text=_("视频看到该比例即完成。"),
    )
    attendance_required = models.PositiveSmallIntegerField(
        _("线下出勤要求（%）"), default=80, validators=[MaxValueValidator(100)],
        help_text=_("混合课程：须出席的线下课次比例；所有课次结束前不能结业。"),
    )
    lessons = StreamField(LessonStreamBlock(), blank=True, verbose_name=_("课时"))

    base_form_class = CoursePageForm
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("provider"), FieldPanel("category"), FieldPanel("mode"),
             FieldPanel("audiences", widget=forms.CheckboxSelectMultiple)],
            heading=_("基本信息"),
        ),
        MultiFieldPanel(
            [FieldPanel("district"), FieldPanel("venue"),
             FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
             FieldRowPanel([FieldPanel("enrol_opens"), FieldPanel("enrol_closes")]),
             FieldPanel("capacity")],
            heading=_("时间地点"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("hours"), FieldPanel("credits")]),
             FieldRowPanel([FieldPanel("certificate"), FieldPanel("cert_level")]),
             FieldRowPanel([FieldPanel("completion_threshold"), FieldPanel("attendance_required")])],
            heading=_("学时与证书"),
        ),
        MultiFieldPanel(FEE_PANEL_FIELDS, heading=_("费用与补贴")),
        FieldPanel("summary"),
        FieldPanel("prerequisites"),
        FieldPanel("description"),
        FieldPanel("lessons"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("category"),
        index.FilterField("mode"),
        index.FilterField("provider_id"),
        index.FilterField("district_id"),
        index.RelatedFields("provider", [index.SearchField("name")]),
    ]
    parent_page_types = ["courses.CourseIndexPage", "courses.ProgrammePage"]
    subpage_types: list = []

    class Meta:
        verbose_name = pgettext_lazy("course", "课程")
        indexes = [
            models.Index(fields=["category", "start_date"], name="course_cat_start"),
            models.Index(fields=["mode", "category"], name="course_mode_cat"),
            models.Index(fields=["provider", "category"], name="course_provider_cat"),
            models.Index(fields=["district", "category"], name="course_district_cat"),
            models.Index(fields=["start_date"], name="course_start"),
            models.Index(fields=["fee_yuan", "category"], name="course_fee_cat"),
        ]

    def clean(self):
        super().clean()
        if self.category == Category.X_CERTIFICATE and not self.certificate_id:
            raise ValidationError({"certificate": gettext("1+X证书培训须关联证书。")})
        if self.enrol_opens and self.enrol_closes and self.enrol_opens > self.enrol_closes:
            raise ValidationError({"enrol_closes": gettext("报名截止不能早于开始。")})
        if errors := self.facts_clean():
            raise ValidationError(errors)

    @property
    def programme_code(self) -> str:
        return self.code or self.slug

    @property
    def has_seats_limit(self) -> bool:
        return self.mode != Mode.ONLINE and bool(self.capacity)

    def lesson_list(self) -> list:
        """The lessons as plain items: id, type, value, index (1-based)."""
        return [
            {"id": block.id, "type": block.block_type, "value": block.value, "number": i}
            for i, block in enumerate(self.lessons, start=1)
        ]

    def lesson_get(self, lesson_id: str):
        for item in self.lesson_list():
            if item["id"] == lesson_id:
                return item
        return None

    # ``courses.selectors.course_page_context``, set by CoursesConfig.ready() (see CourseIndexPage.courses_read).
    context_read = None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.context_read(course=self, user=request.user))
        return context
