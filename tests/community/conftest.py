"""Fixtures of the community tests: a course with its teacher and an enrolled resident; an outsider and a live room."""

import pytest

from tests.courses.factories import create_course
from tests.factories import InstitutionFactory, live_room_create, member_trust, resident, staff_user


@pytest.fixture
def sections(db):
    from courses.services import catalog_setup

    return {s.category: s for s in catalog_setup()["sections"]}


@pytest.fixture
def course(sections):
    return create_course(sections, provider=InstitutionFactory(type="elderly_university"), title="智能手机入门")


@pytest.fixture
def teacher(course):
    return staff_user(institution=course.provider)


@pytest.fixture
def learner(course):
    """An enrolled resident whose earlier posts were approved (not a new member)."""
    from courses.services.enrolment import enrolment_create

    user = member_trust(resident(display_name="李阿姨"))
    enrolment_create(user=user, course=course)
    return user


@pytest.fixture
def outsider(db):
    """A resident who may post but is not enrolled in the course."""
    return member_trust(resident(display_name="路人"))


@pytest.fixture
def room(course, teacher):
    return live_room_create(course=course, teacher=teacher)
