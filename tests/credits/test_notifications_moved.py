"""Migration credits 0009: the credit bank's notifications move to the platform core with their ids (queued outbox
rows under the old task name still find them), a kind each, and the sequence continues after them."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("credits", "0008_chinese_labels"), ("notifications", "0001_initial")]
AFTER = [("credits", "0009_notifications_moved")]


def test_rows_move_with_their_ids_and_kinds(restored_db):
    """(``restored_db``, tests/browser_harness.py: a transactional test whose serialized rollback restores the
    migration data whatever ran before it.)"""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    User = old_apps.get_model("accounts", "User")
    Old = old_apps.get_model("credits", "Notification")
    user = User.objects.create(username="moved", email="moved@example.cn")
    Old.objects.create(pk=41, user_id=user.pk, title="学习成果已认证：老年照护", url="/credits/")
    Old.objects.create(pk=42, user_id=user.pk, title="转换申请已通过：护理专业", url="/credits/applications/1/")
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        new_apps = executor.loader.project_state(AFTER).apps
        New = new_apps.get_model("notifications", "Notification")
        assert list(New.objects.order_by("pk").values_list("pk", "kind")) == [
            (41, "credits.outcome"), (42, "credits.application")]
        assert all(n.digested_at is not None for n in New.objects.all())  # nothing old goes into a first digest
        assert New.objects.create(user_id=user.pk, title="新的").pk > 42  # the sequence continues
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
