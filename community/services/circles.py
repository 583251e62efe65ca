"""Study circles: creating, joining (at once or by the leader's acceptance), meetings, posts and files."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Circle, CirclePost
from ..selectors.circles import circle_is_member
from .errors import PostingRefused
from .moderation import content_screen, posting_check


def circle_member_required(*, user, circle: Circle) -> None:
    if not circle_is_member(user=user, circle=circle):
        raise PostingRefused(_("加入学习圈后才能发言。"), code="member")


@transaction.atomic
def circle_post_create(*, user, circle: Circle, body: str) -> CirclePost:
    """A member posts in their circle, through the posting rules (a held post waits for review)."""
    posting_check(user=user)
    circle_member_required(user=user, circle=circle)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("请填写内容。"))
    post = CirclePost(circle=circle, author=user, body=body[:5000])
    post.screening_apply(content_screen(author=user, text=body))
    post.save()
    return post
