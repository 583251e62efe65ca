"""Bureau administrators (the group made by accounts 0002) keep the search synonyms in the CMS."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

BUREAU_GROUP = "教育局管理员 Bureau administrators"
CODENAMES = ["add_synonymgroup", "change_synonymgroup", "delete_synonymgroup", "view_synonymgroup"]


def grant(apps, schema_editor):
    config = apps.get_app_config("bianxue_search")
    config.models_module = True  # the migration state's stub: make create_permissions treat it as a models app
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=BUREAU_GROUP).first()
    if group:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="bianxue_search",
                                                         codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("bianxue_search", "0002_engine_indexes"),
        ("accounts", "0002_admin_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
