"""Websocket consumers of the community app. Live Q&A rooms will live here (issue 14).

The former ``PingConsumer`` is gone: it broadcast the email or phone of whoever pinged to every connected
socket. The tests prove the websocket stack with a test-only consumer (``tests/websocket_probe.py``).
"""
