"""Each institution's space in the CMS: a collection of its own (under the root collection) and an admin group
of its staff with add, change and choose permissions on documents and images of that collection only.
Backfills the institutions that exist (later ones get theirs from services.institution_cms_space_ensure)."""

import django.db.models.deletion
from django.db import migrations, models


STAFF_COLLECTION_PERMISSIONS = [  # as services.STAFF_COLLECTION_PERMISSIONS
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def backfill(apps, schema_editor):
    Institution = apps.get_model("institutions", "Institution")
    Collection = apps.get_model("wagtailcore", "Collection")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    permissions = list(Permission.objects.filter(
        content_type__app_label__in={app for app, _ in STAFF_COLLECTION_PERMISSIONS},
        codename__in=[codename for _, codename in STAFF_COLLECTION_PERMISSIONS],
    ))
    # Collections are a sorted tree (treebeard, ordered by name): only the real model's add_child keeps its
    # paths right, so this migration uses it (Wagtail's Collection table, not ours, so its shape is stable).
    from wagtail.models import Collection as TreeCollection

    tree_root = TreeCollection.objects.get(pk=root.pk)
    for institution in Institution.objects.filter(collection__isnull=True).order_by("code"):
        collection = tree_root.add_child(instance=TreeCollection(name=f"{institution.code} {institution.name}"[:255]))
        tree_root.refresh_from_db()
        group, _ = Group.objects.get_or_create(name=f"机构工作人员 Staff of {institution.code}"[:150])
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(group=group, collection_id=collection.pk, permission=permission)
        institution.collection_id, institution.staff_group_id = collection.pk, group.pk
        institution.save(update_fields=["collection", "staff_group"])


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('institutions', '0001_initial'),
        ('wagtailcore', '0098_apitoken'),
        ('accounts', '0002_admin_groups'),  # creates the image and document permissions on a fresh database
    ]

    operations = [
        migrations.AddField(
            model_name='institution',
            name='collection',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='institution', to='wagtailcore.collection', verbose_name='文档与图片集 CMS collection'),
        ),
        migrations.AddField(
            model_name='institution',
            name='staff_group',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='staff_of_institution', to='auth.group', verbose_name='后台工作人员组 CMS staff group'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
