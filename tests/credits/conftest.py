"""Fixtures of the credit bank tests."""

import datetime
from decimal import Decimal

import pytest
from bianxue.accounts.models import Role

from tests.factories import (
    CertificateFactory,
    InstitutionFactory,
    LearnerFactory,
    UserFactory,
    staff_user,
    valuation_rules_create,
)


@pytest.fixture
def institution(db):
    return InstitutionFactory(type="open_university", name="开封开放大学")


@pytest.fixture
def other_institution(db):
    return InstitutionFactory(name="另一所学校")


@pytest.fixture
def officer(institution):
    return staff_user(institution=institution, role=Role.CREDIT_OFFICER)


@pytest.fixture
def other_officer(other_institution):
    return staff_user(institution=other_institution, role=Role.CREDIT_OFFICER)


@pytest.fixture
def learner_user(db):
    from bianxue.people.services import learner_for_user_get_or_create

    user = UserFactory(display_name="王秀兰")
    learner = learner_for_user_get_or_create(user=user)
    learner.name = "王秀兰"
    learner.save(update_fields=["name"])
    return user


@pytest.fixture
def learner(learner_user):
    return learner_user.learner


@pytest.fixture
def certificate(institution):
    """A 1+X certificate the test institution is a registered exam site for (its exam results certify)."""
    from tests.factories import exam_site_create

    certificate = CertificateFactory(name="老年照护")
    exam_site_create(institution=institution, certificate=certificate)
    return certificate


@pytest.fixture
def make_record(institution):
    """record_upsert with sensible defaults (the real seam)."""
    from credits.records.services import record_upsert

    counter = {"n": 0}

    def make(*, learner=None, kind="training", category="vocational", result="completed", hours=Decimal("32"),
             date=datetime.date(2025, 5, 1), inst=None, correction=False, record_id=None, **extra):
        counter["n"] += 1
        record, status = record_upsert(
            institution_id=(inst or institution).pk, record_id=record_id or f"R{counter['n']:05d}", kind=kind,
            learner=learner or LearnerFactory(), programme_code="P1", programme_name=extra.pop("name", "电工培训"),
            category=category, date=date, result=result, hours=hours, correction=correction, **extra)
        return record

    return make


@pytest.fixture
def rules(db):
    return valuation_rules_create()


@pytest.fixture(autouse=True, scope="session")
def _idle_event_loop_ok():
    """The browser harness keeps Playwright's (idle) event loop in the main thread for the whole session, and
    Django then refuses ORM calls of later tests in this thread, including pytest-django's flush at the teardown
    of transactional tests. The loop is idle between calls, so it is safe. Session-scoped so that it outlives
    the database fixtures; the previous value is restored at the end."""
    import os

    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old
