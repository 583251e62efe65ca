"""Reads about study circles: listings by district and topic, a circle's page, membership and leadership."""

from ..models import Circle, CircleMembership, MembershipStatus


def circle_is_member(*, user, circle: Circle) -> bool:
    if not user or not user.is_authenticated:
        return False
    return CircleMembership.objects.filter(circle=circle, user=user, status=MembershipStatus.ACTIVE).exists()
