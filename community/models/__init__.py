"""Models of the community app, one module per part (live rooms here; boards, circles and moderation beside)."""

from .live import LiveMessage, LiveRoom, LiveVote

__all__ = ["LiveMessage", "LiveRoom", "LiveVote"]
