"""Seed the audience tags."""

from django.db import migrations

AUDIENCES = [
    ("elderly", "老年人", 1),
    ("rural_labour", "农村劳动力", 2),
    ("migrant_workers", "进城务工人员", 3),
    ("veterans", "退役军人", 4),
    ("disabled", "残疾人", 5),
    ("students", "在校学生", 6),
]


def seed(apps, schema_editor):
    Audience = apps.get_model("courses", "Audience")
    for code, name, order in AUDIENCES:
        Audience.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
