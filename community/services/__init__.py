"""Writes of the community app, one module per part (live rooms in ``live``; boards, circles, moderation beside)."""
