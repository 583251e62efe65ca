"""The community's demo loader is idempotent and gives circles in several districts."""

from io import StringIO

import pytest

from community.demo import load
from community.models import Circle, CircleMembership, CirclePost
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_loader_twice_gives_the_same_circles(districts):
    UserFactory(email="learner@demo.bianxue.cn")
    UserFactory(email="teacher@demo.bianxue.cn")
    load(stdout=StringIO())
    counts = (Circle.objects.count(), CircleMembership.objects.count(), CirclePost.objects.count())
    load(stdout=StringIO())
    assert (Circle.objects.count(), CircleMembership.objects.count(), CirclePost.objects.count()) == counts
    assert Circle.objects.values("district").distinct().count() >= 3
    assert {c.leader_kind for c in Circle.objects.all()} == {"resident", "teacher", "worker"}
