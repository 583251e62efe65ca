"""Fixtures of the courses tests: the catalog sections and a course builder."""

import pytest

from tests.courses.factories import Clock, create_course
from tests.factories import UserFactory


@pytest.fixture
def sections(db):
    from courses.services import catalog_setup

    return {s.category: s for s in catalog_setup()["sections"]}


@pytest.fixture
def make_course(sections):
    def make(**kwargs):
        return create_course(sections, **kwargs)

    return make


@pytest.fixture
def learner_user(db):
    return UserFactory()


@pytest.fixture
def clock(monkeypatch):
    """The server's clock, moved by hand: ``clock.advance(15)``."""
    from django.utils import timezone

    moved = Clock()
    monkeypatch.setattr(timezone, "now", moved)
    return moved
