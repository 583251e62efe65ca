"""The seed of the bureau's sensitive-word list (scams and illegal trade aimed at older residents); the bureau
edits the list in the CMS (社区管理 → 敏感词) and may switch any of these off."""

from django.db import migrations

SEED = ["赌博", "六合彩", "网络博彩", "代开发票", "办证", "刷单", "高利贷", "套路贷", "传销", "非法集资",
        "保健品包治", "裸聊", "枪支", "毒品", "冰毒"]


def seed(apps, schema_editor):
    word = apps.get_model("community", "SensitiveWord")
    for w in SEED:
        word.objects.get_or_create(word=w, defaults={"note": "种子词表 seed list"})


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
