"""Institution staff see documents and images of their own institution only: the shared staff group loses its
permissions on the root collection (which reached every collection), and each member joins the staff group of
each institution they hold a role at (institutions migration 0002), whose permissions are on that institution's
collection only. The bureau's group keeps the root collection: it sees all."""

from django.db import migrations

STAFF_GROUP = "机构工作人员 Institution staff"


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    StaffMembership = apps.get_model("accounts", "StaffMembership")
    staff = Group.objects.filter(name=STAFF_GROUP).first()
    if staff is not None:
        GroupCollectionPermission.objects.filter(group=staff, collection__depth=1).delete()
    for membership in StaffMembership.objects.select_related("institution", "user"):
        group_id = membership.institution.staff_group_id
        if group_id is not None:
            membership.user.groups.add(group_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_admin_groups"),
        ("institutions", "0002_institution_cms_space"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
