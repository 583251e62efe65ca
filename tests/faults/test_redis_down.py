"""Faults lose nothing: with Redis (broker and cache) down, a learner completes a course, an officer certifies
a declaration and a registrar uploads an import; no page answers 500, the work after each commit waits in the
outbox; when Redis is back every notification is delivered exactly once and the import finishes.

Grouped by fault, like tests/security/ by attack. The test starts a private redis-server on a free port and
stops it; CI's shared Redis is never touched."""

import datetime
import shutil
import socket
import subprocess
import time
from decimal import Decimal

import pytest
from bianxue.celery import app
from bianxue.notifications.models import Notification
from bianxue.outbox.models import OutboxMessage
from bianxue.outbox.services import outbox_relay
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from credits.models import Outcome, OutcomeStatus
from credits.records.models import ImportBatch
from tests.credits.records.factories import base_files, write_folder
from tests.factories import (
    InstitutionFactory,
    UserFactory,
    bureau_admin,
    mfa_enable,
    staff_user,
    valuation_rules_create,
)

pytestmark = [
    # PostgreSQL: a real worker thread and the test write at once, which SQLite serialises by locking tables
    pytest.mark.postgres,
    # committed data (a worker thread reads it), with the catalog's home page from the migrations
    pytest.mark.usefixtures("restored_db"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


class PrivateRedis:
    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis(settings):
    server = PrivateRedis()
    server.start()
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    settings.CACHES = {"default": {"BACKEND": "bianxue.cache.ResilientRedisCache", "LOCATION": server.url}}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(task_always_eager=False, broker_url=server.url, result_backend=server.url)
    _reset_broker_pools()
    try:
        yield server
    finally:
        server.stop()
        app.conf.update(saved)
        _reset_broker_pools()


def _reset_broker_pools():
    """Connections and producers are pooled per broker URL the app first saw: start afresh on this one."""
    app._pool = None  # not closed: another test's producers may still hold the old pool
    app.amqp._producer_pool = None


def _wait(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _course_completed(learner_user):
    from courses import services as courses
    from tests.courses.factories import create_course, lesson

    sections = {s.category: s for s in courses.catalog_setup()["sections"]}
    course = create_course(sections, category="community", hours="8", lessons=[lesson("quiz")])
    quiz = course.lesson_list()[0]["id"]
    enrolment = courses.enrolment_create(user=learner_user, course=course)
    item = course.lesson_get(quiz)
    answers = {i: [j for j, c in enumerate(q["choices"]) if c["correct"]]
               for i, q in enumerate(item["value"]["questions"])}
    courses.quiz_submit(user=learner_user, enrolment=enrolment, lesson_id=quiz, answers=answers)
    enrolment.refresh_from_db()
    return enrolment


def test_nothing_is_lost_while_redis_is_down(redis, client, monkeypatch, tmp_path):
    from bianxue.people.services import learner_for_user_get_or_create

    from credits import services as credits
    from credits.records import imports

    valuation_rules_create()
    institution = InstitutionFactory(type="open_university", name="开封开放大学")
    officer = staff_user(institution=institution, role=credits_officer_role())
    mfa_enable(officer)
    learner_user = UserFactory(display_name="王秀兰", email="wang@example.cn")
    learner_for_user_get_or_create(user=learner_user)
    declared = credits.declaration_submit(
        user=learner_user, outcome_type="training", title="家庭急救员培训", institution_id=institution.pk,
        date=datetime.date(2025, 5, 1), hours=Decimal("24"), evidence=SimpleUploadedFile("证书.png", PNG))
    monkeypatch.setattr(imports, "UPLOAD_ASYNC_BYTES", 0)  # every upload runs in the worker
    mail.outbox.clear()

    redis.stop()  # ---------------------------------------------------------------- Redis is down

    # a resident signs in (allauth's rate limits live in the cache)
    response = client.post(reverse("account_login"), {"login": "wang@example.cn", "password": "x-wrong"})
    assert response.status_code == 200  # the form again, not a 500
    # the learner completes a course: the credits are certified, the notice waits
    enrolment = _course_completed(learner_user)
    assert enrolment.status == "completed"
    # an officer certifies the declaration through the page
    client.force_login(officer)
    response = client.post(reverse("credits:staff_outcome", args=[declared.pk]), {"action": "certify", "reason": ""})
    assert response.status_code == 302, response.content.decode()[:500]
    declared.refresh_from_db()
    assert declared.status == OutcomeStatus.CERTIFIED
    # a bureau admin uploads an import: queued, the page shows it, nothing fails
    admin = bureau_admin()
    mfa_enable(admin)
    client.force_login(admin)
    folder = write_folder(tmp_path / "up", base_files())
    uploads = [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv") for p in sorted(folder.iterdir())]
    response = client.post(reverse("records:import"), {"files": uploads})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PENDING
    assert client.get(reverse("records:import_detail", args=[batch.pk])).status_code == 200

    notes = list(Notification.objects.filter(user=learner_user))
    assert notes and all(n.delivered_at is None for n in notes)
    assert OutboxMessage.objects.filter(sent_at=None).count() >= len(notes) + 1
    assert mail.outbox == []

    redis.start()  # --------------------------------------------------------------- Redis is back
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
        later = timezone.now() + datetime.timedelta(minutes=10)
        _wait(lambda: outbox_relay(now=later) >= 0 and not OutboxMessage.objects.filter(sent_at=None).exists(),
              "the outbox to drain")
        _wait(lambda: ImportBatch.objects.get().status == ImportBatch.Status.VALID, "validation in the worker")
        response = client.post(reverse("records:import_detail", args=[batch.pk]))  # confirm
        assert response.status_code == 302
        _wait(lambda: ImportBatch.objects.get().status == ImportBatch.Status.DONE, "the import in the worker")
        _wait(lambda: not Notification.objects.filter(user=learner_user, delivered_at=None).exists(),
              "every notification to be delivered")
        assert outbox_relay(now=later) == 0  # nothing left, nothing sent twice

    from django.utils import translation

    with translation.override("zh-hans"):  # e-mails are written in the site's language
        titles = [note.display_title for note in Notification.objects.filter(user=learner_user)]
    for title in titles:
        assert sum(title in m.subject for m in mail.outbox) == 1, title  # exactly once each
    assert Outcome.objects.filter(account__learner__user=learner_user, status=OutcomeStatus.CERTIFIED).count() == 2


def credits_officer_role():
    from bianxue.accounts.models import Role

    return Role.CREDIT_OFFICER
