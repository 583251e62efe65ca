"""Vocabularies shared by every app, exactly as in ../shared/spec/data-exchange.md."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    X_CERTIFICATE = "x_certificate", _("1+X职业技能等级证书")
    VOCATIONAL = "vocational", _("职业技能培训")
    OPEN_UNIVERSITY = "open_university", _("开放教育")
    COMMUNITY = "community", _("社区教育")
    ELDERLY = "elderly", _("老年教育")
    CONTINUING = "continuing", _("继续教育（非学历）")
    SMART_TECH = "smart_tech", _("智能技术应用")
    RURAL_LABOR = "rural_labor", _("农村劳动力转移培训")
    FITNESS_LEADER = "fitness_leader", _("健身骨干")
    OTHER = "other", _("其他")


class RecordKind(models.TextChoices):
    TRAINING = "training", _("培训")
    EXAM = "exam", _("考试")


class RecordResult(models.TextChoices):
    COMPLETED = "completed", _("结业")
    ATTENDED = "attended", _("参训")
    WITHDRAWN = "withdrawn", _("退出")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")


RESULTS_BY_KIND = {
    RecordKind.TRAINING: {RecordResult.COMPLETED, RecordResult.ATTENDED, RecordResult.WITHDRAWN},
    RecordKind.EXAM: {RecordResult.PASSED, RecordResult.FAILED},
}
# Records that count as training (indicators) and become outcomes (credit bank).
TRAINING_RESULTS = (RecordResult.COMPLETED, RecordResult.ATTENDED)
OUTCOME_RESULTS = (RecordResult.COMPLETED, RecordResult.ATTENDED, RecordResult.PASSED)

# Categories of lifelong learning (indicator L3) and of the online catalog (L8).
LIFELONG_CATEGORIES = (
    Category.OPEN_UNIVERSITY, Category.COMMUNITY, Category.ELDERLY, Category.CONTINUING, Category.SMART_TECH,
)
CATALOG_LIFELONG_CATEGORIES = (Category.OPEN_UNIVERSITY, Category.COMMUNITY, Category.ELDERLY, Category.CONTINUING)


# Kaifeng's nine districts (indicators.md): always valid district codes, created on first use.
KAIFENG_DISTRICTS = {
    "410202": ("龙亭区", "district"), "410203": ("顺河回族区", "district"), "410204": ("鼓楼区", "district"),
    "410205": ("禹王台区", "district"), "410212": ("祥符区", "district"), "410221": ("杞县", "county"),
    "410222": ("通许县", "county"), "410223": ("尉氏县", "county"), "410225": ("兰考县", "county"),
}


def spec_labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """{code: Chinese label} of a vocabulary, as data-exchange.md spells it: the untranslated label
    (whatever language is active), the msgid itself ("开放大学")."""
    with translation.override(None):
        return {value: str(label) for value, label in choices.choices}
