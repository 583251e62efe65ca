"""Moderation: who may post, the word list, new members' first posts, hide/restore (audited), reports."""

import pytest
from bianxue.accounts.models import AuditEntry
from django.core.exceptions import PermissionDenied, ValidationError

from community.models import CommunityPolicy, ModerationStatus, Report, SensitiveWord
from community.services.errors import PostingRefused
from community.services.moderation import (
    content_hide,
    content_report,
    content_restore,
    content_screen,
    posting_check,
    report_dismiss,
)
from tests.factories import (
    CircleFactory,
    UserFactory,
    bureau_admin,
    circle_post_create,
    member_trust,
    resident,
)

pytestmark = pytest.mark.django_db


def test_posting_needs_sign_in_and_a_verified_mobile():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PostingRefused) as exc:
        posting_check(user=AnonymousUser())
    assert exc.value.code == "login"
    with pytest.raises(PostingRefused) as exc:
        posting_check(user=UserFactory(phone="13900000009", phone_verified=False))
    assert exc.value.code == "phone"
    posting_check(user=resident())


def test_id_binding_only_when_the_bureau_asks_for_it():
    user = resident()
    posting_check(user=user)
    CommunityPolicy.objects.create(require_id_binding=True)
    with pytest.raises(PostingRefused) as exc:
        posting_check(user=user)
    assert exc.value.code == "binding"
    assert "实名绑定" in str(exc.value)


def test_rate_limit_per_user():
    CommunityPolicy.objects.create(posts_per_hour=2, new_member_reviewed_posts=0)
    user, other = resident(), resident()
    for _ in range(2):
        posting_check(user=user)
        content_screen(author=user, text="你好")
    with pytest.raises(PostingRefused) as exc:
        posting_check(user=user)
    assert exc.value.code == "rate"
    posting_check(user=other)  # per user


def test_a_listed_word_is_held_even_spaced_out():
    user = member_trust(resident())
    assert not content_screen(author=user, text="今天学了发微信").held
    screening = content_screen(author=user, text="来玩 赌 博 吧")
    assert screening.held and screening.code == "word" and screening.detail == "赌博"
    SensitiveWord.objects.create(word="违禁词")
    assert content_screen(author=user, text="这是违禁词").held
    SensitiveWord.objects.filter(word="违禁词").update(active=False)
    assert not content_screen(author=user, text="这是违禁词").held


def test_a_new_members_first_post_is_held_until_approved():
    circle = CircleFactory()
    user = resident()
    post = circle_post_create(circle=circle, author=user, body="大家好")
    assert post.status == ModerationStatus.HELD and post.held_reason == "new_member"
    content_restore(actor=circle.leader, target=post)
    post.refresh_from_db()
    assert post.status == ModerationStatus.VISIBLE
    assert circle_post_create(circle=circle, author=user, body="第二条").status == ModerationStatus.VISIBLE
    assert AuditEntry.objects.filter(action="community.content.approve", actor=circle.leader).count() == 1


def test_a_report_hides_nothing_by_itself():
    circle = CircleFactory()
    post = circle_post_create(circle=circle, author=member_trust(resident()), body="一条帖子")
    report = content_report(reporter=resident(), target=post, reason="广告")
    again = content_report(reporter=report.reporter, target=post, reason="广告")
    post.refresh_from_db()
    assert post.status == ModerationStatus.VISIBLE
    assert again.pk == report.pk and Report.objects.count() == 1 and report.status == "open"


def test_a_moderators_hide_is_audited_and_closes_reports_and_restore_too():
    circle = CircleFactory()
    post = circle_post_create(circle=circle, author=member_trust(resident()), body="一条帖子")
    content_report(reporter=resident(), target=post, reason="广告")
    with pytest.raises(ValidationError):
        content_hide(actor=circle.leader, target=post, reason=" ")
    content_hide(actor=circle.leader, target=post, reason="广告")
    post.refresh_from_db()
    assert post.status == ModerationStatus.HIDDEN and post.hidden_by == circle.leader
    entry = AuditEntry.objects.get(action="community.content.hide")
    assert entry.actor == circle.leader and entry.reason == "广告" and entry.object_id == str(post.pk)
    assert Report.objects.get().status == "acted"
    content_restore(actor=circle.leader, target=post)
    post.refresh_from_db()
    assert post.status == ModerationStatus.VISIBLE
    assert AuditEntry.objects.filter(action="community.content.restore").count() == 1


def test_only_moderators_hide_and_nobody_approves_their_own_post():
    circle = CircleFactory()
    post = circle_post_create(circle=circle, author=member_trust(resident()), body="一条帖子")
    with pytest.raises(PermissionDenied):
        content_hide(actor=resident(), target=post, reason="不喜欢")
    own = circle_post_create(circle=circle, author=circle.leader, body="圈主的帖子", trusted=False)
    assert own.status == ModerationStatus.HELD
    with pytest.raises(PermissionDenied):
        content_restore(actor=circle.leader, target=own)
    content_restore(actor=bureau_admin(), target=own)


def test_dismissing_a_report_is_audited_and_keeps_the_post():
    circle = CircleFactory()
    post = circle_post_create(circle=circle, author=member_trust(resident()), body="一条帖子")
    report = content_report(reporter=resident(), target=post, reason="看不懂")
    report_dismiss(actor=circle.leader, report=report)
    post.refresh_from_db()
    assert post.status == ModerationStatus.VISIBLE and Report.objects.get().status == "dismissed"
    assert AuditEntry.objects.filter(action="community.report.dismiss").exists()
