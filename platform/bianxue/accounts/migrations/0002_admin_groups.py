"""Wagtail admin groups for the roles.

机构工作人员 Institution staff (teachers, registrars, credit officers): reach the Wagtail admin,
upload and choose images and documents, read (not edit) institutions, districts, majors, certificates.

教育局管理员 Bureau administrators: all of the above plus editing institutions, districts, majors,
certificates and staff memberships, deleting images/documents, reading the audit log.

Page permissions (which page trees staff may edit) are given by the apps that own the pages.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "机构工作人员 Institution staff"
BUREAU_GROUP = "教育局管理员 Bureau administrators"

STAFF_PERMS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("institutions", "institution", "view_institution"),
    ("institutions", "district", "view_district"),
    ("institutions", "major", "view_major"),
    ("institutions", "certificate", "view_certificate"),
]
BUREAU_PERMS = STAFF_PERMS + [
    (app, model, f"{action}_{model}")
    for app, model in [
        ("institutions", "institution"),
        ("institutions", "district"),
        ("institutions", "major"),
        ("institutions", "certificate"),
        ("accounts", "staffmembership"),
    ]
    for action in ("add", "change", "delete", "view")
] + [("accounts", "auditentry", "view_auditentry")]
STAFF_COLLECTION_PERMS = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "change_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtaildocs", "document", "choose_document"),
]
BUREAU_COLLECTION_PERMS = STAFF_COLLECTION_PERMS + [
    ("wagtailimages", "image", "delete_image"),
    ("wagtaildocs", "document", "delete_document"),
]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm = Permission.objects.filter(content_type=ct, codename=codename).first()
    if perm is None:
        perm = Permission.objects.create(content_type=ct, codename=codename, name=codename.replace("_", " "))
    return perm


def forwards(apps, schema_editor):
    # Model permissions are normally created after migrate; create them now so the groups can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    for name, perms, collection_perms in [
        (STAFF_GROUP, STAFF_PERMS, STAFF_COLLECTION_PERMS),
        (BUREAU_GROUP, BUREAU_PERMS, BUREAU_COLLECTION_PERMS),
    ]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[_permission(apps, *p) for p in perms])
        if root is not None:
            for p in collection_perms:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root, permission=_permission(apps, *p)
                )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[STAFF_GROUP, BUREAU_GROUP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("institutions", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0066_collection_management_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
