"""Links the community adds to other apps' pages through the registry (``bianxue.registry.links``)."""

from bianxue.registry import PageLink
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Board


def board_link_for_course(*, obj, user) -> PageLink:
    """The course page's link to its discussion board, with how many topics it holds (one query)."""
    count = Board.objects.filter(course_id=obj.pk).values_list("thread_count", flat=True).first() or 0
    note = ngettext("%(n)s 个主题", "%(n)s 个主题", count) % {"n": count} if count else _("还没有人发言")
    return PageLink(key="community.board", label=_("课程讨论区"), url=reverse("community:board", args=[obj.pk]),
                    note=note, order=10)
