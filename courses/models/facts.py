"""Course facts as data, not text: fee and subsidy (yuan), the plan's target groups, and the 1+X exam's fee and
eligibility. Shared by CoursePage and ProgrammePage through ``CourseFactsFields``; shown by
``courses/templates/courses/includes/facts.html`` and filtered in the catalog (``courses.selectors.course_list``)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField

ZERO = Decimal("0")


class TargetGroup(models.Model):
    """A target group of the lifelong-learning plan (重点人群): 退役军人, 农民工... Rows are seeded by a migration;
    names are msgids (templates translate them)."""

    code = models.CharField(_("代码"), max_length=32, primary_key=True)
    name = models.CharField(_("名称"), max_length=32)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("重点人群")
        verbose_name_plural = _("重点人群")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return gettext(self.name)


# The plan's groups, in display order (seeded by migration 0006; codes are English words; names are msgids).
TARGET_GROUPS = [
    ("unemployed_graduates", gettext_noop("离校未就业高校毕业生")),
    ("veterans", gettext_noop("退役军人")),
    ("migrant_workers", gettext_noop("农民工")),
    ("high_quality_farmers", gettext_noop("高素质农民")),
    ("disabled", gettext_noop("残疾人")),
    ("enterprise_employees", gettext_noop("企业职工")),
    ("older_adults", gettext_noop("老年人")),
    ("community_residents", gettext_noop("社区居民")),
]


class SubsidyPolicy(models.TextChoices):
    """A subsidy that is not a fixed amount: which policy applies (the amount is set by the policy)."""

    SKILL_CERTIFICATE = "skill_certificate", _("取得证书后可按规定申领职业技能提升补贴")
    VOCATIONAL_TRAINING = "vocational_training", _("符合条件的重点人群可按规定申请职业培训补贴")


class ExamEligibility(models.TextChoices):
    """Who may sit the 1+X exam of a programme."""

    TRAINED = "trained", _("完成本项目培训的学员")
    OPEN = "open", _("在校学生和社会学习者均可报考")


class CourseFactsFields(models.Model):
    """Fee, subsidy and target groups: the structured facts a learner decides by."""

    fee_yuan = models.DecimalField(
        _("学费（元）"), max_digits=8, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)],
        help_text=_("0 表示免费。"),
    )
    subsidy_yuan = models.DecimalField(
        _("补贴（元）"), max_digits=8, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)],
        help_text=_("重点人群每人可获的补贴，不超过学费。"),
    )
    subsidy_policy = models.CharField(
        _("补贴政策"), max_length=24, choices=SubsidyPolicy.choices, blank=True,
        help_text=_("补贴金额由政策核定时选择。"),
    )
    target_groups = ParentalManyToManyField(
        TargetGroup, blank=True, related_name="%(class)ss", verbose_name=_("重点人群"),
        help_text=_("可享受补贴或优先报名的人群。"),
    )

    class Meta:
        abstract = True

    def facts_clean(self) -> dict:
        """Errors of the fee fields (for ``clean``): the subsidy never exceeds the fee."""
        errors = {}
        fee, subsidy = self.fee_yuan or ZERO, self.subsidy_yuan or ZERO
        if subsidy > fee:
            errors["subsidy_yuan"] = gettext("补贴不能超过学费。")
        return errors

    @property
    def is_free(self) -> bool:
        return not self.fee_yuan

    @property
    def fee_after_subsidy(self) -> Decimal:
        """What a learner of the target groups pays after the fixed subsidy."""
        return max(ZERO, (self.fee_yuan or ZERO) - (self.subsidy_yuan or ZERO))
