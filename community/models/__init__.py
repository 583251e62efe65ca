"""The community's models, one module per concept (community-live adds ``live``)."""

from .boards import Board, Reply, Thread, ThreadFollow, ThreadLike
from .circles import (
    Circle,
    CircleFile,
    CircleMeeting,
    CircleMembership,
    CirclePost,
    CircleTopic,
    LeaderKind,
    MembershipStatus,
)
from .live import LiveMessage, LiveRoom, LiveVote
from .moderation import (
    CommunityPolicy,
    HeldReason,
    MemberStanding,
    Moderated,
    ModerationScope,
    ModerationStatus,
    PostingEvent,
    Report,
    ReportStatus,
    SensitiveWord,
)

__all__ = [
    "Board", "Reply", "Thread", "ThreadFollow", "ThreadLike",
    "LiveMessage", "LiveRoom", "LiveVote",
    "Circle", "CircleFile", "CircleMeeting", "CircleMembership", "CirclePost", "CircleTopic", "LeaderKind",
    "MembershipStatus",
    "CommunityPolicy", "HeldReason", "MemberStanding", "Moderated", "ModerationScope", "ModerationStatus",
    "PostingEvent", "Report", "ReportStatus", "SensitiveWord",
]
