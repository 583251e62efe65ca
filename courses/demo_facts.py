"""Demo course facts: fees, subsidies and target groups set by rule for whatever demo courses and 1+X programmes
exist (``manage.py load_demo`` calls ``demo_course_facts_apply`` once, after every app's demo loader). Idempotent: a
page whose facts already follow the rule is left alone (no new revision); one that differs gets a published
revision, so the CMS editor sees the same values as the site.

Rules (by category): elder and community courses are free; 1+X certificate training carries a fee and a fixed
subsidy for the plan's target groups (and its programme the exam fee); vocational training is subsidised in full for
its groups; continuing education and open-university courses carry a fee without subsidy."""

from decimal import Decimal

from bianxue.vocab import Category
from django.db import transaction

from .models import CoursePage, ProgrammePage, SubsidyPolicy, TargetGroup
from .models.facts import ExamEligibility

RULES = {
    Category.ELDERLY: {"fee_yuan": "0", "subsidy_yuan": "0", "subsidy_policy": "",
                       "groups": ["older_adults", "community_residents"]},
    Category.COMMUNITY: {"fee_yuan": "0", "subsidy_yuan": "0", "subsidy_policy": "",
                         "groups": ["community_residents", "older_adults"]},
    Category.X_CERTIFICATE: {"fee_yuan": "1200", "subsidy_yuan": "900",
                             "subsidy_policy": SubsidyPolicy.SKILL_CERTIFICATE,
                             "groups": ["unemployed_graduates", "veterans", "migrant_workers", "enterprise_employees",
                                        "disabled"]},
    Category.VOCATIONAL: {"fee_yuan": "800", "subsidy_yuan": "800", "subsidy_policy": SubsidyPolicy.VOCATIONAL_TRAINING,
                          "groups": ["migrant_workers", "high_quality_farmers", "veterans", "disabled",
                                     "unemployed_graduates"]},
    Category.CONTINUING: {"fee_yuan": "360", "subsidy_yuan": "0", "subsidy_policy": "",
                          "groups": ["enterprise_employees"]},
    Category.OPEN_UNIVERSITY: {"fee_yuan": "480", "subsidy_yuan": "0", "subsidy_policy": "", "groups": []},
    Category.SMART_TECH: {"fee_yuan": "0", "subsidy_yuan": "0", "subsidy_policy": "",
                          "groups": ["older_adults", "community_residents"]},
    Category.RURAL_LABOR: {"fee_yuan": "600", "subsidy_yuan": "600", "subsidy_policy": SubsidyPolicy.VOCATIONAL_TRAINING,
                           "groups": ["migrant_workers", "high_quality_farmers"]},
    Category.FITNESS_LEADER: {"fee_yuan": "0", "subsidy_yuan": "0", "subsidy_policy": "",
                              "groups": ["community_residents", "older_adults"]},
    Category.OTHER: {"fee_yuan": "0", "subsidy_yuan": "0", "subsidy_policy": "", "groups": []},
}
EXAM_FEE_YUAN = Decimal("260")


def _page_facts_set(page, rule: dict, groups: dict, extra: dict | None = None) -> bool:
    """Set the rule's facts on a live page through a published revision, only when they differ."""
    wanted = {"fee_yuan": Decimal(rule["fee_yuan"]), "subsidy_yuan": Decimal(rule["subsidy_yuan"]),
              "subsidy_policy": str(rule["subsidy_policy"]), **(extra or {})}
    wanted_groups = {code for code in rule["groups"] if code in groups}
    current_groups = {g.pk for g in page.target_groups.all()}
    if all(getattr(page, field) == value for field, value in wanted.items()) and current_groups == wanted_groups:
        return False
    for field, value in wanted.items():
        setattr(page, field, value)
    page.target_groups = [groups[code] for code in rule["groups"] if code in groups]
    page.save_revision().publish()
    return True


@transaction.atomic
def demo_course_facts_apply(*, stdout=None) -> int:
    """Apply the rules to every live course and 1+X programme; returns how many pages changed."""
    groups = {g.pk: g for g in TargetGroup.objects.all()}
    changed = 0
    for course in CoursePage.objects.live().prefetch_related("target_groups").order_by("pk"):
        rule = RULES.get(course.category)
        if rule is not None:
            changed += _page_facts_set(course, rule, groups)
    programmes = ProgrammePage.objects.live().filter(certificate__isnull=False).prefetch_related("target_groups")
    for programme in programmes.order_by("pk"):
        changed += _page_facts_set(programme, RULES[Category.X_CERTIFICATE], groups,
                                   {"exam_fee_yuan": EXAM_FEE_YUAN, "exam_eligibility": ExamEligibility.TRAINED})
    if stdout is not None:
        stdout.write(f"  courses: fees, subsidies and target groups set on {changed} pages")
    return changed
