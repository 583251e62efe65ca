"""Celery tasks of the community (thin, safe to run twice)."""

from celery import shared_task


@shared_task(name="community.notify_thread_followers", ignore_result=True)
def notify_thread_followers(*, kind: str, thread_id: int, reply_id: int, user_ids: list[int]) -> int:
    """Tell a thread's followers of a reply or a teacher's answer (the platform core's notifications: the bell,
    e-mail or SMS, digests). Safe to run twice."""
    from .services import notify

    return notify.thread_followers_notify(kind=kind, thread_id=thread_id, reply_id=reply_id, user_ids=user_ids)
