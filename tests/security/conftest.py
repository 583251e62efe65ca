"""Fixtures of the attack tests: two credit officers of one institution, and a way to try an attack in each
language (the refusal's message is asserted in zh and in en separately, through the language cookie)."""

import datetime
from decimal import Decimal

import pytest
from bianxue.accounts.models import Role
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import InstitutionFactory, bureau_admin, mfa_enable, staff_user, valuation_rules_create

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
LANGUAGES = ("zh-hans", "en")


@pytest.fixture
def institution(db):
    return InstitutionFactory(type="open_university", name="开封开放大学")


@pytest.fixture
def other_institution(db):
    return InstitutionFactory(name="另一所学校")


def _officer(institution, name):
    from bianxue.people.services import learner_for_user_get_or_create

    user = staff_user(institution=institution, role=Role.CREDIT_OFFICER, display_name=name)
    learner_for_user_get_or_create(user=user)  # an officer is also a resident with a learning account
    mfa_enable(user)
    return user


@pytest.fixture
def officer(institution):
    return _officer(institution, "认定员甲")


@pytest.fixture
def colleague(institution):
    return _officer(institution, "认定员乙")


@pytest.fixture
def bureau(db):
    admin = bureau_admin()
    mfa_enable(admin)
    return admin


@pytest.fixture
def rules(db):
    return valuation_rules_create()


def declare(user, institution, *, title="160 学时培训", hours="160"):
    """A declaration through the service (what /credits/declare/ does)."""
    from credits.services import declaration_submit

    return declaration_submit(user=user, outcome_type="training", title=title, institution_id=institution.pk,
                              date=datetime.date(2026, 3, 1), hours=Decimal(hours),
                              evidence=SimpleUploadedFile("证明.png", PNG))


def in_language(client, language: str) -> None:
    client.cookies["django_language"] = language


def ledger_state() -> tuple:
    """What an attack must not change: ledger entries, balances, certified outcomes, applications' states."""
    from credits.models import ConversionApplication, LearnerAccount, LedgerEntry, Outcome

    return (LedgerEntry.objects.count(), sorted(LearnerAccount.objects.values_list("pk", "balance")),
            sorted(Outcome.objects.values_list("pk", "status")),
            sorted(ConversionApplication.objects.values_list("pk", "status")))
