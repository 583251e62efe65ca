"""The seam between boards/circles and notifications: ``thread_followers_notify`` is what the outbox task calls.

Notifications (the bell, digests) are built by the live stream; it replaces this function's body with a call
to its notification service. Kinds are registered in ``CommunityConfig.ready`` (``community.reply``,
``community.answer``) so the bell can label them."""


def thread_followers_notify(*, kind: str, thread_id: int, reply_id: int, user_ids: list[int]) -> int:
    return len(user_ids)
