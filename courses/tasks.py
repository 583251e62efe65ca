"""Celery tasks of the courses app: thin, safe to run twice."""

from celery import shared_task


@shared_task(name="courses.session_announce", ignore_result=True)
def session_announce(session_id: int) -> None:
    """Tell a new session's enrolled learners (through the platform's notifications)."""
    from .services.sessions import session_announce as announce

    announce(session_id=session_id)
