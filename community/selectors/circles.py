"""Reads about study circles: listings by district and topic, a circle's page, membership and leadership."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Circle,
    CircleFile,
    CircleMeeting,
    CircleMembership,
    CirclePost,
    MembershipStatus,
    ModerationStatus,
)

PAGE_SIZE = 24


def circle_is_member(*, user, circle: Circle) -> bool:
    if not user or not user.is_authenticated:
        return False
    return CircleMembership.objects.filter(circle=circle, user=user, status=MembershipStatus.ACTIVE).exists()


def circle_is_leader(*, user, circle: Circle) -> bool:
    if not user or not user.is_authenticated:
        return False
    from bianxue.accounts.selectors import user_is_bureau_admin

    return circle.leader_id == user.pk or user_is_bureau_admin(user=user) or CircleMembership.objects.filter(
        circle=circle, user=user, is_leader=True, status=MembershipStatus.ACTIVE).exists()


def circle_list(*, district: str = "", topic: str = "", q: str = "", page: int = 1) -> list[Circle]:
    """Open circles by district and topic, the busiest first; ``q`` searches names and descriptions."""
    rows = Circle.objects.filter(closed_at__isnull=True).select_related("district")
    if district:
        rows = rows.filter(district_id=district)
    if topic:
        rows = rows.filter(topic=topic)
    for term in (q or "").split()[:5]:
        rows = rows.filter(Q(name__icontains=term) | Q(description__icontains=term))
    start = (max(page, 1) - 1) * PAGE_SIZE
    return list(rows.order_by("-member_count", "-created_at")[start:start + PAGE_SIZE])


def circles_for_user(*, user) -> QuerySet:
    """The circles the user belongs to or leads."""
    if not user or not user.is_authenticated:
        return Circle.objects.none()
    return (Circle.objects.filter(memberships__user=user, memberships__status=MembershipStatus.ACTIVE)
            .select_related("district").order_by("name"))


def circles_near_user(*, user, limit: int = 6) -> list[Circle]:
    """Circles in the districts of the user's circles, else the busiest of the city."""
    mine = circles_for_user(user=user)
    districts = list(mine.values_list("district_id", flat=True).distinct()[:3]) if user and user.is_authenticated else []
    rows = Circle.objects.filter(closed_at__isnull=True).select_related("district").exclude(pk__in=mine.values("pk"))
    if districts:
        rows = rows.filter(district_id__in=districts)
    return list(rows.order_by("-member_count", "-created_at")[:limit])


def circle_get(*, circle_id: int) -> Circle:
    circle = Circle.objects.select_related("district", "leader").filter(pk=circle_id).first()
    if circle is None:
        raise Http404(_("没有这个学习圈。"))
    return circle


def circle_page(*, user, circle: Circle) -> dict:
    """A circle's page for the viewer: membership, meetings to come, posts and files (members only; the
    leader sees held and hidden ones, marked), and requests to join (the leader)."""
    membership = None
    if user and user.is_authenticated:
        membership = CircleMembership.objects.filter(circle=circle, user=user).first()
    member = membership is not None and membership.status == MembershipStatus.ACTIVE
    leader = circle_is_leader(user=user, circle=circle)
    context = {"membership": membership, "is_member": member, "is_leader": leader, "posts": [], "files": [],
               "requests": [],
               "meetings": list(CircleMeeting.objects.filter(circle=circle, ends_at__gte=timezone.now(),
                                                             cancelled_at__isnull=True)[:10])}
    if member or leader:
        shown = Q() if leader else (Q(status=ModerationStatus.VISIBLE) | Q(author=user))
        context["posts"] = list(CirclePost.objects.filter(shown, circle=circle).select_related("author")
                                .order_by("-created_at")[:50])
        context["files"] = list(CircleFile.objects.filter(shown, circle=circle).select_related("author")
                                .order_by("-created_at")[:50])
    if leader:
        context["requests"] = list(CircleMembership.objects.filter(circle=circle, status=MembershipStatus.PENDING)
                                   .select_related("user").order_by("created_at"))
    return context


def circle_file_get(*, user, file_id: int) -> CircleFile:
    """A shared file for download: members only; a held or hidden file for its author and the leaders."""
    shared = CircleFile.objects.select_related("circle").filter(pk=file_id).first()
    if shared is None:
        raise Http404(_("没有这个文件。"))
    leader = circle_is_leader(user=user, circle=shared.circle)
    if not (leader or circle_is_member(user=user, circle=shared.circle)):
        raise PermissionDenied(_("加入学习圈后才能查看文件。"))
    if not shared.is_visible and not (leader or shared.author_id == user.pk):
        raise Http404(_("没有这个文件。"))
    return shared
