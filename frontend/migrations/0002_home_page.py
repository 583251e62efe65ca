"""Replace Wagtail's default welcome page with the 汴学 home page and point the site at it."""

from django.db import migrations


def create_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("frontend.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore").delete()
    if HomePage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="frontend")
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="汴学 · 开封终身学习平台",
        intro="开放大学、社区教育、老年教育、职业技能培训与1+X证书，学习成果存入学分银行。",
        draft_title="汴学 · 开封终身学习平台",
        slug="home",
        content_type=content_type,
        path=root.path + "0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=locale.pk if locale else None,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page_id": home.pk, "site_name": "汴学"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("frontend", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_home, migrations.RunPython.noop)]
