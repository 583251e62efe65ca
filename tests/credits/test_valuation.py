"""Valuation: rounding, caps, rule versions; account numbers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from credits.ledger import account_number_generate, account_number_is_valid, round_down_half, value_credits
from credits.models import ValuationRule
from credits.services import outcome_value, valuation_rule_for, valuation_rule_revise

D = Decimal


@pytest.mark.parametrize(("hours", "credits"), [
    ("16", "1.0"), ("7.9", "0.0"), ("15.9", "0.5"), ("24", "1.5"), ("31.9", "1.5"), ("32", "2.0"), ("40", "2.5"), ("0", "0.0"),
])
def test_hours_rounded_down_to_half(hours, credits):
    assert value_credits(kind="hours", hours=D(hours)) == D(credits)


def test_configurable_hours_per_credit():
    assert value_credits(kind="hours", hours=D("36"), hours_per_credit=D("18")) == D("2.0")


@given(st.decimals(min_value=0, max_value=5000, places=1))
def test_rounding_is_down_and_on_half_steps(hours):
    value = round_down_half(hours / 16)
    assert value <= hours / 16 < value + D("0.5")
    assert (value * 2) % 1 == 0


def test_certificate_cap_of_8_and_year_cap():
    assert value_credits(kind="fixed", level_credits=D("6"), max_per_certificate=D("8"),
                         certificate_total=D("6")) == D("2.0")
    assert value_credits(kind="fixed", level_credits=D("6"), max_per_certificate=D("8"),
                         certificate_total=D("8")) == D("0.0")
    assert value_credits(kind="hours", hours=D("160"), year_cap=D("12"), year_total=D("5")) == D("7.0")
    assert value_credits(kind="hours", hours=D("160"), year_cap=D("12"), year_total=D("20")) == D("0.0")


def test_levels_2_4_6_and_per_certificate_cap_through_records(make_record, rules, learner, certificate):
    def exam(level, day):
        return make_record(learner=learner, kind="exam", category="x_certificate", result="passed", hours=None,
                           certificate_id=certificate.pk, cert_level=level,
                           date=datetime.date(2025, 1, day)).outcomes.get()

    assert exam("junior", 1).credits == D("2")
    assert exam("intermediate", 2).credits == D("4")
    assert exam("senior", 3).credits == D("2")  # 2 + 4 already: at most 8 per certificate


def test_per_learner_year_cap(make_record, rules, learner):
    ValuationRule.objects.filter(code="hours").update(year_cap=D("3"))
    first = make_record(learner=learner, hours=D("40")).outcomes.get()  # 2.5
    second = make_record(learner=learner, hours=D("40")).outcomes.get()  # capped to 0.5
    other_year = make_record(learner=learner, hours=D("40"), date=datetime.date(2024, 3, 1)).outcomes.get()
    assert (first.credits, second.credits, other_year.credits) == (D("2.5"), D("0.5"), D("2.5"))


def test_rule_in_force_on_the_outcome_date_and_revision_keeps_the_past(make_record, rules, learner):
    from django.utils import timezone

    from tests.factories import bureau_admin

    today = timezone.localdate()  # the bureau revises from today (never backdated: tests/security)
    old = make_record(learner=learner, hours=D("32"), date=datetime.date(2024, 6, 1)).outcomes.get()
    assert old.credits == D("2")
    new_rule = valuation_rule_revise(actor=bureau_admin(), rule=rules[0], valid_from=today,
                                     hours_per_credit=D("8"))
    assert new_rule.version == 2
    assert valuation_rule_for(outcome_type="training", date=today - datetime.timedelta(days=1)).pk == rules[0].pk
    assert valuation_rule_for(outcome_type="training", date=today).pk == new_rule.pk
    later = make_record(learner=learner, hours=D("32"), date=today).outcomes.get()
    earlier = make_record(learner=learner, hours=D("32"), date=datetime.date(2024, 7, 1)).outcomes.get()
    assert later.credits == D("4") and later.rule == new_rule
    assert earlier.credits == D("2") and earlier.rule == rules[0]
    old.refresh_from_db()
    assert old.credits == D("2") and old.entries.get().credits == D("2")  # nothing rewritten


def test_used_rule_cannot_be_edited_in_place(make_record, rules, learner):
    make_record(learner=learner)
    rule = ValuationRule.objects.get(pk=rules[0].pk)
    rule.hours_per_credit = D("10")
    with pytest.raises(ValidationError):
        rule.full_clean()
    rule.hours_per_credit = D("16")
    rule.valid_to = datetime.date(2030, 1, 1)  # ending a version is allowed
    rule.full_clean()


def test_specific_type_rule_wins_and_default_without_rules(make_record, learner, db):
    outcome = make_record(learner=learner, hours=D("48"), category="elderly").outcomes.get()
    assert outcome.credits == D("3") and outcome.rule is None  # built-in default 16 h/credit
    ValuationRule.objects.create(code="g", name="g", kind="hours", valid_from=datetime.date(2020, 1, 1))
    ValuationRule.objects.create(code="e", name="e", kind="hours", outcome_type="elderly", hours_per_credit=D("12"),
                                 valid_from=datetime.date(2020, 1, 1))
    assert outcome_value(outcome=outcome)[0] == D("4")


def test_account_number_check_character():
    numbers = {account_number_generate() for _ in range(300)}
    assert len(numbers) == 300
    for number in numbers:
        assert number.startswith("KF") and len(number) == 13 and account_number_is_valid(number)
        for i in range(2, 13):  # every single substitution is caught
            for ch in "07AZ":
                if ch != number[i]:
                    assert not account_number_is_valid(number[:i] + ch + number[i + 1:])
    swaps = [n[:i] + n[i + 1] + n[i] + n[i + 2:] for n in numbers for i in range(2, 12) if n[i] != n[i + 1]]
    caught = sum(not account_number_is_valid(s) for s in swaps)
    assert caught / len(swaps) > 0.99  # ISO 7064 hybrid systems catch nearly all adjacent transpositions
