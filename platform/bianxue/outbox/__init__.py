"""A transactional outbox: work that must happen after a commit is a row written in the same transaction, and
is handed to Celery after the commit, or later by the relay when the broker was down. See services.py."""
