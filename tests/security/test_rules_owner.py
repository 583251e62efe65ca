"""Rules belong to their owner (issue 10, scenario 5): valuation rules are city-wide and the bureau's, and a
new version takes effect today or later (never backdated); conversion rules are the receiving institution's,
created or changed only by its credit officers or the bureau, in the CMS admin too (choices filtered, saves
re-checked). The checks live in credits/services (valuation.py, conversion.py); docs/trust.md explains them.

Scenario × door matrix (every cell a test or a named "not applicable"):

| scenario                                   | staff page (/credits/staff/rules/)                        | bulk action                                   | CMS admin (Wagtail snippets)                                  | command                                              |
|--------------------------------------------|-----------------------------------------------------------|-----------------------------------------------|---------------------------------------------------------------|------------------------------------------------------|
| officer revises the valuation rule         | test_officer_cannot_revise_valuation_rule_on_rules_page   | n/a: rules have no bulk action                | test_officer_cannot_create_valuation_rule_in_cms_admin        | n/a: no command creates or changes rules            |
| backdated valuation version                | test_bureau_cannot_backdate_valuation_rule_on_rules_page  | n/a: as above                                 | test_bureau_cannot_backdate_valuation_rule_in_cms_admin       | n/a: as above                                        |
| conversion rule for another institution    | test_officer_cannot_create_conversion_rule_for_other_institution_on_rules_page | n/a: as above      | test_forged_cms_post_for_other_institutions_conversion_rule + test_cms_conversion_rule_save_is_rechecked | n/a: as above |
| legitimate: the bureau, from today         | test_bureau_revises_valuation_rule_from_today_on_rules_page | | test_bureau_creates_valuation_rule_from_today_in_cms_admin; test_cms_lists_and_offers_only_own_institutions |  |
"""

import datetime

import pytest
from django.utils import timezone

from credits.models import ConversionRule, ValuationRule
from tests.security.conftest import LANGUAGES, in_language, ledger_state

BUREAU_ONLY = {"zh-hans": "认定规则全市统一，只有教育局管理员可以新建或修改。",
               "en": "Valuation rules are city-wide: only bureau administrators may create or change them."}
NOT_BACKDATED = {"zh-hans": "认定规则不能追溯生效：生效日期须为今天或以后。",
                 "en": "Valuation rules are never backdated: the valid-from date must be today or later."}
OWNER_ONLY = {"zh-hans": "转换规则属于接收机构：只有该机构的学分认定员或教育局管理员可以新建或修改。",
              "en": "Conversion rules belong to the receiving institution: only its credit officers or bureau "
                    "administrators may create or change them."}
VALUATION_ADD = "/admin/snippets/credits/valuationrule/add/"
CONVERSION_ADD = "/admin/snippets/credits/conversionrule/add/"


def _rule_counts() -> tuple:
    return (ValuationRule.objects.count(), sorted(ValuationRule.objects.values_list("pk", "valid_to")),
            ConversionRule.objects.count())


def _valuation_post(valid_from: datetime.date) -> dict:
    return {"code": "hours-new", "version": "1", "name": "学时认定（新）", "kind": "hours", "outcome_type": "",
            "hours_per_credit": "1", "junior_credits": "2", "intermediate_credits": "4", "senior_credits": "6",
            "max_per_certificate": "8", "year_cap": "", "valid_from": valid_from.isoformat(), "valid_to": ""}


def _conversion_post(institution) -> dict:
    return {"institution": institution.pk, "programme_code": "P", "programme_name": "专业", "programme_credits": "",
            "share_cap_percent": "", "course_code": "C", "course_name": "课程", "credits": "2", "mode": "exempt_all",
            "outcome_type": "community", "certificate": "", "min_level": "", "min_credits": "0", "is_active": "on"}


# --- valuation rules: the bureau's ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_cannot_revise_valuation_rule_on_rules_page(client, officer, rules, language):
    """Issue 10: a credit officer revised the city-wide rule to 1 hour per credit, valid from 2020."""
    before, credits_before = _rule_counts(), ledger_state()
    client.force_login(officer)
    in_language(client, language)
    for valid_from in ("2020-01-01", timezone.localdate().isoformat()):
        response = client.post("/credits/staff/rules/", {"form": "revise", "rule": rules[0].pk,
                                                         "valid_from": valid_from, "hours_per_credit": "1"})
        assert response.status_code == 403 and BUREAU_ONLY[language] in response.content.decode()
    assert _rule_counts() == before and ledger_state() == credits_before


@pytest.mark.parametrize("language", LANGUAGES)
def test_bureau_cannot_backdate_valuation_rule_on_rules_page(client, bureau, rules, institution, language):
    before = _rule_counts()
    client.force_login(bureau)
    in_language(client, language)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post("/credits/staff/rules/", {"form": "revise", "rule": rules[0].pk,
                                                     "valid_from": yesterday.isoformat(), "hours_per_credit": "1"})
    assert response.status_code == 200  # the page again, with the reason; nothing saved
    assert NOT_BACKDATED[language] in response.content.decode()
    assert _rule_counts() == before


def test_bureau_revises_valuation_rule_from_today_on_rules_page(client, bureau, rules, institution):
    client.force_login(bureau)
    today = timezone.localdate()
    response = client.post("/credits/staff/rules/", {"form": "revise", "rule": rules[0].pk,
                                                     "valid_from": today.isoformat(), "hours_per_credit": "18"})
    assert response.status_code == 302
    new = ValuationRule.objects.get(code="hours", version=2)
    assert new.valid_from == today and new.hours_per_credit == 18
    assert ValuationRule.objects.get(pk=rules[0].pk).valid_to == today - datetime.timedelta(days=1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_cannot_create_valuation_rule_in_cms_admin(client, officer, rules, language):
    before = _rule_counts()
    client.force_login(officer)
    in_language(client, language)
    # the CMS admin refuses its own way (as Wagtail's permission_denied): back to the dashboard, with the reason
    attacks = (
        lambda: client.get(VALUATION_ADD),
        lambda: client.post(VALUATION_ADD, _valuation_post(timezone.localdate())),
        lambda: client.post(f"/admin/snippets/credits/valuationrule/edit/{rules[0].pk}/",
                            {**_valuation_post(datetime.date(2020, 1, 1)), "code": "hours", "hours_per_credit": "1"}),
    )
    for attack in attacks:
        response = attack()
        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert BUREAU_ONLY[language] in client.get("/admin/").content.decode()
    assert _rule_counts() == before
    assert ValuationRule.objects.get(pk=rules[0].pk).hours_per_credit == 16


@pytest.mark.parametrize("language", LANGUAGES)
def test_bureau_cannot_backdate_valuation_rule_in_cms_admin(client, bureau, rules, language):
    before = _rule_counts()
    client.force_login(bureau)
    in_language(client, language)
    response = client.post(VALUATION_ADD, _valuation_post(timezone.localdate() - datetime.timedelta(days=1)))
    assert response.status_code == 200  # the form again, with the reason on the date field
    assert NOT_BACKDATED[language] in response.content.decode()
    assert _rule_counts() == before


def test_bureau_creates_valuation_rule_from_today_in_cms_admin(client, bureau, rules):
    client.force_login(bureau)
    response = client.post(VALUATION_ADD, _valuation_post(timezone.localdate()))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ValuationRule.objects.filter(code="hours-new", valid_from=timezone.localdate()).exists()


# --- conversion rules: the receiving institution's -------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_cannot_create_conversion_rule_for_other_institution_on_rules_page(
        client, officer, other_institution, rules, language):
    before = _rule_counts()
    client.force_login(officer)
    in_language(client, language)
    response = client.post("/credits/staff/rules/", {"form": "conversion", **_conversion_post(other_institution)})
    assert response.status_code == 200 and OWNER_ONLY[language] in response.content.decode()
    assert _rule_counts() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_forged_cms_post_for_other_institutions_conversion_rule(client, officer, other_institution, rules, language):
    """Issue 10: in the CMS admin, an officer created conversion rules for other institutions."""
    before = _rule_counts()
    client.force_login(officer)
    in_language(client, language)
    response = client.post(CONVERSION_ADD, _conversion_post(other_institution))
    assert response.status_code == 200  # the form again: that institution is not among the choices
    assert OWNER_ONLY[language] in response.content.decode()
    assert _rule_counts() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_cms_conversion_rule_save_is_rechecked(client, officer, other_institution, rules, language, monkeypatch):
    """Even if the form let another institution through (a stale or widened choice list), the save refuses."""
    from bianxue.institutions.models import Institution

    from credits import wagtail_hooks

    monkeypatch.setattr(wagtail_hooks, "institutions_for_user", lambda **kwargs: Institution.objects.all())
    before = _rule_counts()
    client.force_login(officer)
    in_language(client, language)
    response = client.post(CONVERSION_ADD, _conversion_post(other_institution))
    assert response.status_code == 200  # the form again, with the service's reason; the transaction rolled back
    assert OWNER_ONLY[language] in response.content.decode()
    assert _rule_counts() == before
    from django.core.exceptions import PermissionDenied

    from credits.services import conversion_rule_require_owner

    with pytest.raises(PermissionDenied):  # the check the CMS save and the staff page's save both call
        conversion_rule_require_owner(actor=officer, institution_id=other_institution.pk)


def test_cms_lists_and_offers_only_own_institutions(client, officer, institution, other_institution, rules):
    ConversionRule.objects.create(institution=other_institution, programme_code="O", programme_name="他校专业",
                                  course_code="OC", course_name="他校课程", credits=2, outcome_type="community")
    client.force_login(officer)
    listing = client.get("/admin/snippets/credits/conversionrule/").content.decode()
    assert "他校专业" not in listing
    form = client.get(CONVERSION_ADD).content.decode()
    assert institution.name in form and other_institution.name not in form
    response = client.post(CONVERSION_ADD, _conversion_post(institution))
    assert response.status_code == 302
    assert ConversionRule.objects.filter(institution=institution).count() == 1
