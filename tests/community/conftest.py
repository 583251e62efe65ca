"""Fixtures of the community tests: a course with its teacher, an enrolled learner, an outsider and a live room."""

import pytest

from tests.courses.factories import create_course
from tests.factories import course_learner, live_room_create, member_trust, resident, staff_user


@pytest.fixture
def course(db):
    from courses.services import catalog_setup

    sections = {s.category: s for s in catalog_setup()["sections"]}
    return create_course(sections, title="智能手机使用入门")


@pytest.fixture
def teacher(course):
    return staff_user(institution=course.provider, display_name="王老师", phone="13800000001", phone_verified=True)


@pytest.fixture
def learner(course):
    return course_learner(course=course, display_name="李阿姨")


@pytest.fixture
def outsider(db):
    return member_trust(resident(display_name="路人"))


@pytest.fixture
def room(course, teacher):
    return live_room_create(course=course, teacher=teacher)
