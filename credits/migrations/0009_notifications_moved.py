"""Notifications moved to the platform core (bianxue.notifications): every row is copied with its id (so outbox rows
still queued under the old task name deliver the same notice), then the credit bank's table is dropped."""

from django.db import migrations

BATCH = 5000


def _kind(title: str) -> str:
    return "credits.application" if title.startswith("转换申请") else "credits.outcome"


def copy_rows(apps, schema_editor):
    Old = apps.get_model("credits", "Notification")
    New = apps.get_model("notifications", "Notification")
    last = 0
    while True:
        rows = list(Old.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            break
        New.objects.bulk_create([
            New(pk=r.pk, user_id=r.user_id, kind=_kind(r.title), title=r.title, body=r.body, url=r.url,
                read_at=r.read_at, delivered_at=r.delivered_at,
                # before the move there were no digests: nothing old goes into a first one
                digested_at=r.delivered_at or r.created_at, created_at=r.created_at)
            for r in rows
        ])
        last = rows[-1].pk
    if last:  # ids were given explicitly: the sequence must continue after them
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(_no_style(), [New]):
                cursor.execute(sql)


def _no_style():
    from django.core.management.color import no_style

    return no_style()


def copy_back(apps, schema_editor):
    Old = apps.get_model("credits", "Notification")
    New = apps.get_model("notifications", "Notification")
    Old.objects.bulk_create([
        Old(pk=r.pk, user_id=r.user_id, title=r.title, body=r.body, url=r.url, read_at=r.read_at,
            delivered_at=r.delivered_at, created_at=r.created_at)
        for r in New.objects.filter(kind__startswith="credits.").iterator()
    ], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ("credits", "0008_chinese_labels"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_rows, copy_back),
        migrations.DeleteModel(name="Notification"),
    ]
