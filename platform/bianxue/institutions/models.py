"""Districts, institutions of every provider type, majors, 1+X certificates and their links.

Vocabularies follow ../shared/spec/data-exchange.md exactly: the codes are what imports use.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.search import index


class District(models.Model):
    """A county or district of Kaifeng, by GB/T 2260 code."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("区")
        COUNTY = "county", _("县")

    code = models.CharField(pgettext_lazy("code", "县区代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=32)
    kind = models.CharField(pgettext_lazy("kind", "类型"), max_length=10, choices=Kind.choices, default=Kind.DISTRICT)

    class Meta:
        verbose_name = _("县区")
        verbose_name_plural = pgettext_lazy("districts", "县区")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class InstitutionType(models.TextChoices):
    OPEN_UNIVERSITY = "open_university", _("开放大学")
    COMMUNITY_UNIVERSITY = "community_university", _("市级社区大学")
    COMMUNITY_COLLEGE = "community_college", _("县级社区学院")
    COMMUNITY_SCHOOL = "community_school", _("乡镇（街道）社区教育中心")
    LEARNING_POINT = "learning_point", _("村（社区）学习点")
    EXPERIENCE_BASE = "experience_base", _("居民学习体验基地")
    ELDERLY_UNIVERSITY = "elderly_university", _("老年大学")
    ELDERLY_CENTER = "elderly_center", _("养教结合老年教育中心")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中等职业学校")
    HIGHER_VOCATIONAL = "higher_vocational", _("高等职业院校")
    UNIVERSITY = "university", _("本科高校")
    ENTERPRISE = "enterprise", _("企业")
    ASSESSMENT_ORG = "assessment_org", _("培训评价组织")
    OTHER = "other", _("其他")


VOCATIONAL_TYPES = (InstitutionType.SECONDARY_VOCATIONAL, InstitutionType.HIGHER_VOCATIONAL)
# The five levels of the community-education system, top to bottom (parent links follow them).
COMMUNITY_LEVELS = (
    InstitutionType.OPEN_UNIVERSITY,
    InstitutionType.COMMUNITY_UNIVERSITY,
    InstitutionType.COMMUNITY_COLLEGE,
    InstitutionType.COMMUNITY_SCHOOL,
    InstitutionType.LEARNING_POINT,
)


class Institution(index.Indexed, models.Model):
    """A provider: school, college, community-education unit, elderly university, enterprise…"""

    code = models.CharField(pgettext_lazy("code", "机构代码"), max_length=32, unique=True)
    name = models.CharField(_("机构名称"), max_length=128)
    type = models.CharField(_("机构类型"), max_length=32, choices=InstitutionType.choices, db_index=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="institutions", verbose_name=_("县区"))
    quality_vocational = models.BooleanField(_("优质职业学校"), default=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", verbose_name=_("上级机构")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    website = models.URLField(_("网站"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # The institution's space in the CMS (services.institution_cms_space_ensure): its own collection of
    # documents and images, and the admin group of its staff, the only group with permissions on it.
    collection = models.OneToOneField(
        "wagtailcore.Collection", null=True, blank=True, editable=False, on_delete=models.SET_NULL,
        related_name="institution", verbose_name=_("文档与图片集"),
    )
    staff_group = models.OneToOneField(
        "auth.Group", null=True, blank=True, editable=False, on_delete=models.SET_NULL,
        related_name="staff_of_institution", verbose_name=_("后台工作人员组"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("type"),
        index.FilterField("district_id"),
    ]

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = pgettext_lazy("institutions", "机构")
        ordering = ["code"]
        indexes = [models.Index(fields=["district", "type"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_vocational(self) -> bool:
        return self.type in VOCATIONAL_TYPES


class Certificate(models.Model):
    """A 1+X vocational skill level certificate (职业技能等级证书)."""

    code = models.CharField(_("证书代码"), max_length=32, unique=True)
    name = models.CharField(_("证书名称"), max_length=128)
    issuer = models.CharField(pgettext_lazy("issuer", "培训评价组织"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("1+X证书")
        verbose_name_plural = pgettext_lazy("certificates", "1+X证书")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CertificateLevel(models.TextChoices):
    JUNIOR = "junior", _("初级")
    INTERMEDIATE = "intermediate", _("中级")
    SENIOR = "senior", _("高级")


class Major(models.Model):
    """A major (专业) of a vocational school, possibly linked to 1+X certificates (书证融通)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="majors", verbose_name=_("机构"))
    code = models.CharField(_("专业代码"), max_length=32)
    name = models.CharField(_("专业名称"), max_length=128)
    certificates = models.ManyToManyField(
        Certificate, through="MajorCertificate", related_name="majors", blank=True, verbose_name=_("对应证书")
    )

    class Meta:
        verbose_name = pgettext_lazy("major", "专业")
        verbose_name_plural = pgettext_lazy("majors", "专业")
        ordering = ["institution__code", "code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="uniq_major_per_institution")]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution.code})"


class MajorCertificate(models.Model):
    """The link between a major and a 1+X certificate."""

    major = models.ForeignKey(Major, on_delete=models.CASCADE, related_name="certificate_links")
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="major_links")

    class Meta:
        verbose_name = _("书证融通")
        verbose_name_plural = pgettext_lazy("major–certificate links", "书证融通")
        constraints = [models.UniqueConstraint(fields=["major", "certificate"], name="uniq_major_certificate")]

    def __str__(self) -> str:
        return f"{self.major} ↔ {self.certificate}"
