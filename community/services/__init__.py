"""Writes of the community app, one module per concept (community-live adds ``live``)."""
