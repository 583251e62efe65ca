"""Learning records (training and exam results) and school rosters.

One row per (institution, record_id), whether it arrived by import (data exchange format v1)
or from activity on the platform (course completion, attendance, 1+X exam results). The plan
indicators count these rows; the credit bank turns eligible ones into outcomes.
"""

from bianxue.vocab import Category, RecordKind, RecordResult
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RecordSource(models.TextChoices):
    IMPORT = "import", _("数据导入")
    PLATFORM = "platform", _("平台学习")


class LearningRecord(models.Model):
    """A training or exam record of a learner at an institution (records.csv)."""

    # No single-column FK indexes for institution and learner: uniq_record_per_institution and
    # record_learner_date lead with them (fewer indexes to maintain when 100,000 rows are imported).
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="records",
                                    db_index=False)
    record_id = models.CharField(_("记录编号"), max_length=64)
    kind = models.CharField(pgettext_lazy("kind", "类型"), max_length=10, choices=RecordKind.choices)
    learner = models.ForeignKey("people.Learner", on_delete=models.PROTECT, related_name="records", db_index=False)
    name = models.CharField(_("姓名"), max_length=64)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    district_code = models.CharField(_("县区代码"), max_length=6, blank=True)
    programme_code = models.CharField(_("项目代码"), max_length=64)
    programme_name = models.CharField(_("项目名称"), max_length=200, blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    certificate = models.ForeignKey(
        "institutions.Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    cert_level = models.CharField(_("证书等级"), max_length=12, blank=True)
    date = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=7, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=RecordResult.choices)
    certificate_no = models.CharField(pgettext_lazy("certificate number", "证书编号"), max_length=64, blank=True)
    source = models.CharField(max_length=10, choices=RecordSource.choices, default=RecordSource.IMPORT)
    # SHA-256 of the row's canonical content: an identical re-submission is recognised cheaply.
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = pgettext_lazy("learning records", "学习记录")
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

    year = models.PositiveSmallIntegerField(_("年度"))
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="roster")
    major = models.ForeignKey("institutions.Major", on_delete=models.PROTECT, related_name="roster")
    learner = models.ForeignKey("people.Learner", on_delete=models.PROTECT, related_name="roster")
    name = models.CharField(_("姓名"), max_length=64)
    apprenticeship = models.BooleanField(_("现代学徒制"), default=False)
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("在校生名册")
        verbose_name_plural = _("在校生名册")
        constraints = [
            models.UniqueConstraint(fields=["year", "institution", "learner"], name="uniq_student_per_year_institution"),
        ]
        indexes = [models.Index(fields=["year", "institution"], name="roster_year_inst")]

    def __str__(self) -> str:
        return f"{self.year} {self.institution_id} {self.learner_id}"


class ImportBatch(models.Model):
    """One submission through the importer (command or upload page): who, when, what, counts.

    Also the progress record of an upload that runs in a Celery task (polled by the page).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("导入中")
        VALID = "valid", _("校验通过")
        INVALID = "invalid", _("有错误")
        DONE = "done", _("已导入")
        FAILED = "failed", _("失败")

    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("来源"), max_length=255)
    upload_dir = models.CharField(max_length=500, blank=True)
    correction = models.BooleanField(_("更正"), default=False)
    dry_run = models.BooleanField(_("仅校验"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)  # at most MAX_STORED_ERRORS
    error_count = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    credit_bank = models.CharField(max_length=200, blank=True)
    # outcomes of this batch outside the institutions' accreditation (e.g. exam results from a non-exam-site)
    review_by_bureau = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)  # when a run claimed it (stuck runs are resumed)
    finished_at = models.DateTimeField(null=True, blank=True)

    MAX_STORED_ERRORS = 5000

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = pgettext_lazy("import batches", "导入批次")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["actor", "-created_at"], name="importbatch_actor_created")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.source} {self.status}"

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class IndicatorSnapshot(models.Model):
    """The plan indicators of one year and scope as computed at ``taken_at`` (what the dashboard reads)."""

    class Level(models.TextChoices):
        CITY = "city", pgettext_lazy("city", "全市")
        DISTRICT = "district", _("县区")
        INSTITUTION = "institution", _("机构")

    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(max_length=12, choices=Level.choices)
    code = models.CharField(max_length=32, blank=True)  # district or institution code; empty for the city
    data = models.JSONField()
    taken_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("指标快照")
        verbose_name_plural = pgettext_lazy("indicator snapshots", "指标快照")
        constraints = [models.UniqueConstraint(fields=["year", "level", "code"], name="uniq_snapshot_scope")]
        indexes = [models.Index(fields=["level", "code", "year"], name="snapshot_scope_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.level} {self.code}"
