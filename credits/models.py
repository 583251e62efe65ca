"""The credit bank (学分银行): accounts, outcomes, valuation and conversion rules, the ledger,
conversion applications, notifications, transcripts and credentials.

See ../shared/spec/credit-bank.md. Writes go through credits.services, reads through credits.selectors.
"""

import uuid
from decimal import Decimal

from bianxue.files import private_storage
from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")


def _private_storage():
    return private_storage


class OutcomeType(models.TextChoices):
    DEGREE_COURSE = "degree_course", _("学历课程")
    TRAINING = "training", _("非学历培训")
    X_CERTIFICATE = "x_certificate", _("1+X职业技能等级证书")
    QUALIFICATION = "qualification", _("职业资格")
    OPEN_UNIVERSITY = "open_university", _("开放大学课程")
    COMMUNITY = "community", _("社区教育课程")
    ELDERLY = "elderly", _("老年教育课程")
    COMPETITION = "competition", _("技能大赛获奖")
    OTHER = "other", _("其他")


# Outcome types valued per certificate and level; every other type is valued by hours.
CERTIFICATE_TYPES = (OutcomeType.X_CERTIFICATE, OutcomeType.QUALIFICATION)


class OutcomeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("审核中")
    CERTIFIED = "certified", _("已认证")
    REJECTED = "rejected", _("未通过")
    REVOKED = "revoked", _("已撤销")


class OutcomeSource(models.TextChoices):
    RECORD = "record", _("机构记录")
    DECLARATION = "declaration", _("个人申报")


class LearnerAccount(models.Model):
    """A resident's learning account (学习账户): one per Learner, with a public account number."""

    learner = models.OneToOneField("people.Learner", on_delete=models.PROTECT, related_name="credit_account")
    number = models.CharField(_("账号"), max_length=16, unique=True, editable=False)
    # Cached balance and chain head, updated in the same transaction as every ledger entry.
    balance = models.DecimalField(pgettext_lazy("balance", "学分余额"), max_digits=9, decimal_places=1, default=ZERO)
    last_seq = models.PositiveIntegerField(default=0, editable=False)
    last_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Closed when its learner was merged into another: its balance went there with transfer entries.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    editable=False)

    class Meta:
        verbose_name = _("学习账户")
        verbose_name_plural = pgettext_lazy("learner accounts", "学习账户")

    def __str__(self) -> str:
        return self.number


class Accreditation(models.Model):
    """What an institution's own records of an outcome type (and certificate) earn on arrival.

    Training and attendance: with no row an institution is accredited for the records it submits (the spec's
    default); ``outcome_type`` blank means every type, and a row for a specific type wins over the blank row.
    Exam results (``CERTIFICATE_TYPES``) are not accredited by default: a row naming a ``certificate`` with
    ``accredited`` registers the institution as an exam site (考核站点) for it; a withdrawal of the type or of
    every type suspends its exam sites. Managed by bureau administrators (credits.services.accreditation).
    """

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="accreditations",
        verbose_name=_("机构"),
    )
    outcome_type = models.CharField(_("成果类型"), max_length=20, choices=OutcomeType.choices, blank=True)
    certificate = models.ForeignKey("institutions.Certificate", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="accreditations", verbose_name=pgettext_lazy("certificate", "证书"))
    accredited = models.BooleanField(_("自动认证"), default=True)
    note = models.CharField(pgettext_lazy("note", "说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("认证资质")
        verbose_name_plural = pgettext_lazy("accreditations", "认证资质")
        constraints = [
            models.UniqueConstraint(fields=["institution", "outcome_type"], condition=models.Q(certificate=None),
                                    name="uniq_accreditation_type"),
            models.UniqueConstraint(fields=["institution", "outcome_type", "certificate"],
                                    condition=~models.Q(certificate=None), name="uniq_accreditation_certificate"),
        ]

    def __str__(self) -> str:
        certificate = f" {self.certificate}" if self.certificate_id else ""
        kind = self.get_outcome_type_display() if self.outcome_type else "*"
        return f"{self.institution} {kind}{certificate} {'✓' if self.accredited else '✗'}"


class AccreditationBasis(models.TextChoices):
    """What let an outcome through on arrival (provenance); blank for declarations and older outcomes."""

    DEFAULT = "default", _("默认资质：机构自己的课程与培训记录")
    GRANTED = "granted", _("教育局授予的认证资质")
    OUTSIDE = "outside", _("未获认证，待教育局审核")


class ValuationRule(models.Model):
    """A version of a valuation rule (认定规则). Versions are rows: changing a rule adds a row.

    ``hours``: credits = hours ÷ hours_per_credit, rounded down to 0.5.
    ``fixed``: credits by certificate level (初级/中级/高级), at most ``max_per_certificate`` per certificate.
    """

    class Kind(models.TextChoices):
        HOURS = "hours", _("按学时")
        FIXED = "fixed", _("按证书等级")

    code = models.SlugField(_("规则代码"), max_length=40, help_text=_("同一规则的各版本代码相同。"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(pgettext_lazy("kind", "方式"), max_length=10, choices=Kind.choices)
    outcome_type = models.CharField(
        _("适用成果类型"), max_length=20, choices=OutcomeType.choices, blank=True,
        help_text=_("留空表示适用于该方式的所有类型。"),
    )
    hours_per_credit = models.DecimalField(_("每学分学时"), max_digits=5, decimal_places=1,
                                           default=Decimal("16"))
    junior_credits = models.DecimalField(pgettext_lazy("junior", "初级学分"), max_digits=4, decimal_places=1, default=Decimal("2"))
    intermediate_credits = models.DecimalField(pgettext_lazy("intermediate", "中级学分"), max_digits=4, decimal_places=1,
                                               default=Decimal("4"))
    senior_credits = models.DecimalField(pgettext_lazy("senior", "高级学分"), max_digits=4, decimal_places=1, default=Decimal("6"))
    max_per_certificate = models.DecimalField(_("每证书上限"), max_digits=4, decimal_places=1,
                                              default=Decimal("8"))
    year_cap = models.DecimalField(_("每人每年上限"), max_digits=5, decimal_places=1,
                                   null=True, blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("valuation rule", "认定规则")
        verbose_name_plural = _("认定规则")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_valuation_rule_version")]
        indexes = [models.Index(fields=["kind", "valid_from"], name="valrule_kind_from")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    VALUE_FIELDS = ("code", "kind", "outcome_type", "hours_per_credit", "junior_credits", "intermediate_credits",
                    "senior_credits", "max_per_certificate", "year_cap", "valid_from")

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(gettext("失效日期不能早于生效日期。"))
        if self.pk and self.outcomes.exists():
            old = ValuationRule.objects.get(pk=self.pk)
            if any(getattr(old, f) != getattr(self, f) for f in self.VALUE_FIELDS):
                raise ValidationError(
                    gettext("该规则已用于认定，不能修改；请设置失效日期并新建版本（相同代码、更高版本号）。"))

    def level_credits(self, level: str) -> Decimal:
        return {"junior": self.junior_credits, "intermediate": self.intermediate_credits,
                "senior": self.senior_credits}.get(level, ZERO)


class ConversionMode(models.TextChoices):
    EXEMPT_ALL = "exempt_all", _("免修免考")
    EXEMPT_CLASS = "exempt_class", _("免修不免考")


class ConversionRule(models.Model):
    """A receiving institution's statement: which outcomes may replace which of its courses (转换规则)."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="conversion_rules", verbose_name=_("接收机构"))
    programme_code = models.CharField(_("专业/项目代码"), max_length=64)
    programme_name = models.CharField(_("专业/项目名称"), max_length=200)
    programme_credits = models.DecimalField(_("专业总学分"), max_digits=5, decimal_places=1,
                                            null=True, blank=True)
    share_cap_percent = models.PositiveSmallIntegerField(
        _("转换学分占比上限(%)"), null=True, blank=True,
        help_text=_("转换学分占专业总学分的最高比例，例如 40。"),
    )
    course_code = models.CharField(_("课程代码"), max_length=64)
    course_name = models.CharField(_("课程名称"), max_length=200)
    credits = models.DecimalField(_("课程学分"), max_digits=4, decimal_places=1)
    mode = models.CharField(_("方式"), max_length=16, choices=ConversionMode.choices,
                            default=ConversionMode.EXEMPT_ALL)
    outcome_type = models.CharField(_("可转换成果类型"), max_length=20, choices=OutcomeType.choices)
    certificate = models.ForeignKey("institutions.Certificate", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="conversion_rules", verbose_name=pgettext_lazy("certificate", "证书"))
    min_level = models.CharField(_("最低等级"), max_length=12, blank=True,
                                 choices=[("junior", _("初级")), ("intermediate", _("中级")), ("senior", _("高级"))])
    min_credits = models.DecimalField(_("最低成果学分"), max_digits=4, decimal_places=1,
                                      default=ZERO)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("conversion rule", "转换规则")
        verbose_name_plural = _("转换规则")
        ordering = ["institution_id", "programme_code", "course_code"]
        indexes = [models.Index(fields=["institution", "is_active"], name="convrule_inst_active")]

    def __str__(self) -> str:
        return f"{self.programme_name} · {self.course_name} ({self.get_mode_display()})"


class Outcome(models.Model):
    """A learning outcome (学习成果) in a learner's account, with its review state and value."""

    # No single-column index on account/institution: outcome_account and outcome_queue lead with them.
    account = models.ForeignKey(LearnerAccount, on_delete=models.PROTECT, related_name="outcomes", db_index=False)
    type = models.CharField(pgettext_lazy("type", "成果类型"), max_length=20, choices=OutcomeType.choices)
    title = models.CharField(pgettext_lazy("title", "成果名称"), max_length=200)
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="outcomes",
                                    verbose_name=_("认证机构"), db_index=False)
    source = models.CharField(max_length=12, choices=OutcomeSource.choices, default=OutcomeSource.RECORD)
    # One live (not revoked) outcome per record; a corrected record revokes the old outcome and adds a new one.
    record = models.ForeignKey("records.LearningRecord", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="outcomes")
    certificate = models.ForeignKey("institutions.Certificate", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="outcomes")
    cert_level = models.CharField(pgettext_lazy("level", "证书等级"), max_length=12, blank=True)

    certificate_no = models.CharField(pgettext_lazy("certificate number", "证书编号"), max_length=64, blank=True)
    date = models.DateField(pgettext_lazy("date", "取得日期"))
    hours = models.DecimalField(_("学时"), max_digits=7, decimal_places=1, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=14, choices=OutcomeStatus.choices,
                              default=OutcomeStatus.SUBMITTED)
    credits = models.DecimalField(_("学分"), max_digits=5, decimal_places=1, null=True, blank=True)
    rule = models.ForeignKey(ValuationRule, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes")
    reason = models.TextField(pgettext_lazy("reason", "说明"), blank=True)
    evidence = models.FileField(_("证明材料"), storage=_private_storage, upload_to="evidence/%Y/%m/",
                                blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=40, blank=True)
    certified_at = models.DateTimeField(null=True, blank=True)
    # Provenance: the accreditation that covered it on arrival; "outside" ones are decided by the bureau.
    accreditation = models.ForeignKey(Accreditation, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="outcomes", verbose_name=_("认证资质"))
    accreditation_basis = models.CharField(pgettext_lazy("basis", "认证依据"), max_length=10, blank=True,
                                           choices=AccreditationBasis.choices)
    # Who entered or declared it (four eyes: they never decide on it); empty for platform facts and the bureau.
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("outcome", "学习成果")
        verbose_name_plural = _("学习成果")
        constraints = [
            models.UniqueConstraint(fields=["record"], condition=~models.Q(status="revoked"),
                                    name="uniq_live_outcome_per_record"),
        ]
        indexes = [
            models.Index(fields=["institution", "status", "created_at"], name="outcome_queue"),
            models.Index(fields=["account", "status", "date"], name="outcome_account"),
            models.Index(fields=["status", "certified_at"], name="outcome_certified"),
            models.Index(fields=["account", "certificate"], name="outcome_account_cert"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def cert_level_label(self) -> str:
        """The level in words (初级, not ``junior``); an unknown code as it is."""
        from bianxue.institutions.models import CertificateLevel

        return CertificateLevel(self.cert_level).label if self.cert_level in CertificateLevel.values else self.cert_level

    @property
    def review_by_bureau(self) -> bool:
        """Outside every accreditation of the entering institution: the bureau's queue decides it."""
        return self.accreditation_basis == AccreditationBasis.OUTSIDE


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("审核中")
    APPROVED = "approved", _("已同意")
    REJECTED = "rejected", _("未同意")
    APPLIED = "applied", _("已登记免修")


class ConversionApplication(models.Model):
    """A learner's request to a receiving institution to apply outcomes to a programme (转换申请)."""

    account = models.ForeignKey(LearnerAccount, on_delete=models.PROTECT, related_name="applications")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="conversion_applications")
    programme_code = models.CharField(max_length=64)
    programme_name = models.CharField(max_length=200)
    status = models.CharField(_("状态"), max_length=14, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("转换申请")
        verbose_name_plural = pgettext_lazy("conversion applications", "转换申请")
        indexes = [
            models.Index(fields=["institution", "status", "created_at"], name="application_queue"),
            models.Index(fields=["account", "created_at"], name="application_account"),
            models.Index(fields=["status", "decided_at"], name="application_decided"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_name} ({self.get_status_display()})"


class ConversionItem(models.Model):
    """One outcome offered for one course of the programme."""

    application = models.ForeignKey(ConversionApplication, on_delete=models.CASCADE, related_name="items")
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="conversion_items")
    rule = models.ForeignKey(ConversionRule, on_delete=models.PROTECT, related_name="items")
    credits = models.DecimalField(max_digits=4, decimal_places=1)
    # True while the application is pending, approved or applied: one outcome replaces at most one course.
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outcome"], condition=models.Q(active=True),
                                    name="uniq_active_conversion_per_outcome"),
            models.UniqueConstraint(fields=["application", "rule"], name="uniq_item_rule_per_application"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome_id} → {self.rule_id}"


class ApplicationStep(models.Model):
    """Each step an application went through, with who and why: the learner sees all of them."""

    application = models.ForeignKey(ConversionApplication, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=14, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.status}"


class LedgerEntry(models.Model):
    """An append-only, hash-chained ledger entry. Never updated, never deleted.

    ``credits`` is the balance effect: positive for a deposit, negative for a reversal. A conversion
    entry records the credits a receiving institution recognised; it does not change the balance
    (banked credits stay the learner's), so ``balance = Σ credits of deposits and reversals``.
    """

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("存入")
        REVERSAL = "reversal", _("冲正")
        CONVERSION = "conversion", _("转换")
        TRANSFER = "transfer", _("合并转移")

    # No single-column index on account: uniq_ledger_account_seq (account, seq) leads with it.
    account = models.ForeignKey(LearnerAccount, on_delete=models.PROTECT, related_name="entries", db_index=False)
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    outcome = models.ForeignKey(Outcome, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    application = models.ForeignKey(ConversionApplication, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="entries")
    credits = models.DecimalField(max_digits=6, decimal_places=1)
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("账本记录")
        verbose_name_plural = pgettext_lazy("ledger entries", "账本记录")
        constraints = [
            models.UniqueConstraint(fields=["account", "seq"], name="uniq_ledger_account_seq"),
            models.UniqueConstraint(fields=["outcome"], condition=models.Q(kind="deposit"),
                                    name="uniq_deposit_per_outcome"),
            models.UniqueConstraint(fields=["outcome"], condition=models.Q(kind="reversal"),
                                    name="uniq_reversal_per_outcome"),
        ]
        indexes = [models.Index(fields=["kind", "created_at"], name="ledger_kind_created")]

    def __str__(self) -> str:
        return f"{self.account_id}#{self.seq} {self.kind} {self.credits}"


class Transcript(models.Model):
    """An issued transcript (学习成果证明): a snapshot of what it states, verifiable by its short code."""

    code = models.CharField(max_length=12, unique=True)
    account = models.ForeignKey(LearnerAccount, on_delete=models.PROTECT, related_name="transcripts")
    outcome_ids = models.JSONField(default=list)
    statement = models.JSONField(default=dict)
    total_credits = models.DecimalField(max_digits=7, decimal_places=1)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习成果证明")
        verbose_name_plural = pgettext_lazy("transcripts", "学习成果证明")

    def __str__(self) -> str:
        return self.code


class Credential(models.Model):
    """An Open Badges 3.0 credential issued for a certified outcome (VC-JWT, EdDSA)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="credentials")
    status_index = models.PositiveIntegerField(unique=True)
    jwt = models.TextField()
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("数字徽章")
        verbose_name_plural = pgettext_lazy("credentials", "数字徽章")

    def __str__(self) -> str:
        return str(self.id)


class LedgerCheckpoint(models.Model):
    """A signed Merkle root over every account's chain head among the entries up to ``upto_entry``
    (see credits.checkpoints). Append-only like the ledger: the database refuses UPDATE, DELETE and TRUNCATE."""

    root = models.CharField(pgettext_lazy("root", "根哈希"), max_length=64)
    leaves = models.PositiveIntegerField(pgettext_lazy("chains", "账户链数"))
    upto_entry = models.BigIntegerField(pgettext_lazy("up to entry", "覆盖至账本记录"))
    created_at = models.DateTimeField(pgettext_lazy("created at", "时间"))
    key_id = models.CharField(_("签名密钥"), max_length=64)
    signature = models.TextField(_("签名"))

    class Meta:
        verbose_name = pgettext_lazy("ledger checkpoint", "账本检查点")
        verbose_name_plural = _("账本检查点")

    def __str__(self) -> str:
        return f"{self.upto_entry} {self.root[:12]}"
