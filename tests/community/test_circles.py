"""Study circles: creating, joining openly or by request, meetings, posts and shared files."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community.models import CircleMembership, LeaderKind, ModerationStatus
from community.selectors.circles import circle_file_get, circle_list, circle_page
from community.services.circles import (
    circle_create,
    circle_file_share,
    circle_join,
    circle_meeting_create,
    circle_request_decide,
)
from community.services.errors import PostingRefused
from tests.factories import DistrictFactory, circle_post_create, member_trust, resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return DistrictFactory()


def test_a_resident_leads_a_circle_by_request(district):
    leader, neighbour = resident(), resident()
    circle = circle_create(user=leader, name="书法圈", topic="arts", district_code=district.pk, open_join=False)
    assert circle.leader_kind == LeaderKind.RESIDENT and circle.member_count == 1
    request = circle_join(user=neighbour, circle=circle, message="想学楷书")
    assert request.status == "pending"
    assert circle_page(user=leader, circle=circle)["requests"] == [request]
    with pytest.raises(PermissionDenied):
        circle_request_decide(user=neighbour, membership=request, accept=True)
    circle_request_decide(user=leader, membership=request, accept=True)
    circle.refresh_from_db()
    assert circle.member_count == 2
    assert CircleMembership.objects.get(circle=circle, user=neighbour).status == "active"


def test_open_circles_join_at_once_and_are_listed_by_district_and_topic(district):
    circle = circle_create(user=resident(), name="手机互助圈", topic="smart_tech", district_code=district.pk)
    assert circle_join(user=resident(), circle=circle).status == "active"
    assert circle_list(district=district.pk, topic="smart_tech") == [circle]
    assert circle_list(topic="arts") == []
    assert circle_list(q="互助") == [circle]


def test_creating_needs_a_verified_mobile_and_clean_words(district):
    from tests.factories import UserFactory

    with pytest.raises(PostingRefused):
        circle_create(user=UserFactory(), name="圈", topic="arts", district_code=district.pk)
    with pytest.raises(ValidationError):
        circle_create(user=resident(), name="赌博交流圈", topic="arts", district_code=district.pk)


def test_the_leader_schedules_meetings_in_the_future(district):
    leader = resident()
    circle = circle_create(user=leader, name="读书会", topic="reading", district_code=district.pk, place="社区活动室")
    when = timezone.now() + datetime.timedelta(days=2)
    meeting = circle_meeting_create(user=leader, circle=circle, title="第一次活动", starts_at=when, minutes=60)
    assert meeting.place == "社区活动室" and meeting.ends_at - meeting.starts_at == datetime.timedelta(minutes=60)
    with pytest.raises(ValidationError):
        circle_meeting_create(user=leader, circle=circle, title="过去", starts_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(PermissionDenied):
        circle_meeting_create(user=resident(), circle=circle, title="别人", starts_at=when)


def test_posts_for_members_only(district):
    leader = member_trust(resident())
    circle = circle_create(user=leader, name="读书会", topic="reading", district_code=district.pk)
    from community.services.circles import circle_post_create as create

    with pytest.raises(PostingRefused):
        create(user=member_trust(resident()), circle=circle, body="我不是成员")
    assert circle_post_create(circle=circle, author=leader, body="欢迎").status == ModerationStatus.VISIBLE


def test_shared_files_are_checked_by_content_and_read_by_members_only(district):
    leader = member_trust(resident())
    circle = circle_create(user=leader, name="读书会", topic="reading", district_code=district.pk)
    pdf = SimpleUploadedFile("notes.pdf", b"%PDF-1.4 notes", content_type="application/pdf")
    shared = circle_file_share(user=leader, circle=circle, title="读书笔记", upload=pdf)
    assert shared.content_type == "application/pdf" and not shared.file.name.endswith("notes.pdf")
    assert circle_file_get(user=leader, file_id=shared.pk) == shared
    with pytest.raises(PermissionDenied):
        circle_file_get(user=resident(), file_id=shared.pk)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        circle_file_share(user=leader, circle=circle, title="假文件", upload=fake)
