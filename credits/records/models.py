"""Learning records (training and exam results) and school rosters.

One row per (institution, record_id), whether it arrived by import (data exchange format v1)
or from activity on the platform (course completion, attendance, 1+X exam results). The plan
indicators count these rows; the credit bank turns eligible ones into outcomes.
"""

from bianxue.vocab import Category, RecordKind, RecordResult
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordSource(models.TextChoices):
    IMPORT = "import", _("数据导入")
    PLATFORM = "platform", _("平台学习")


class LearningRecord(models.Model):
    """A training or exam record of a learner at an institution (records.csv)."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="records")
    record_id = models.CharField(_("记录编号 record id"), max_length=64)
    kind = models.CharField(_("类型 kind"), max_length=10, choices=RecordKind.choices)
    learner = models.ForeignKey("people.Learner", on_delete=models.PROTECT, related_name="records")
    name = models.CharField(_("姓名 name"), max_length=64)
    birth_year = models.PositiveSmallIntegerField(_("出生年份 birth year"), null=True, blank=True)
    district_code = models.CharField(_("县区代码 district"), max_length=6, blank=True)
    programme_code = models.CharField(_("项目代码 programme code"), max_length=64)
    programme_name = models.CharField(_("项目名称 programme name"), max_length=200, blank=True)
    category = models.CharField(_("类别 category"), max_length=20, choices=Category.choices)
    certificate = models.ForeignKey(
        "institutions.Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    cert_level = models.CharField(_("证书等级 certificate level"), max_length=12, blank=True)
    date = models.DateField(_("日期 date"))
    hours = models.DecimalField(_("学时 hours"), max_digits=7, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("结果 result"), max_length=10, choices=RecordResult.choices)
    certificate_no = models.CharField(_("证书编号 certificate number"), max_length=64, blank=True)
    source = models.CharField(max_length=10, choices=RecordSource.choices, default=RecordSource.IMPORT)
    # SHA-256 of the row's canonical content: an identical re-submission is recognised cheaply.
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("学习记录 learning record")
        verbose_name_plural = _("学习记录 learning records")
        constraints = [
            models.UniqueConstraint(fields=["institution", "record_id"], name="uniq_record_per_institution"),
        ]
        indexes = [
            models.Index(fields=["date", "kind", "category"], name="record_date_kind_cat"),
            models.Index(fields=["institution", "date"], name="record_inst_date"),
            models.Index(fields=["learner", "date"], name="record_learner_date"),
            models.Index(fields=["district_code", "date"], name="record_district_date"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.kind} {self.result}"


class StudentRoster(models.Model):
    """A student on a vocational school's roster for a year (students.csv)."""

    year = models.PositiveSmallIntegerField(_("年度 year"))
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="roster")
    major = models.ForeignKey("institutions.Major", on_delete=models.PROTECT, related_name="roster")
    learner = models.ForeignKey("people.Learner", on_delete=models.PROTECT, related_name="roster")
    name = models.CharField(_("姓名 name"), max_length=64)
    apprenticeship = models.BooleanField(_("现代学徒制 apprenticeship"), default=False)
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("在校生名册 student roster")
        verbose_name_plural = _("在校生名册 student roster")
        constraints = [
            models.UniqueConstraint(fields=["year", "institution", "learner"], name="uniq_student_per_year_institution"),
        ]
        indexes = [models.Index(fields=["year", "institution"], name="roster_year_inst")]

    def __str__(self) -> str:
        return f"{self.year} {self.institution_id} {self.learner_id}"
