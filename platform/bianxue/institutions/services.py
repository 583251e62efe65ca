"""Writes about institutions, majors and certificates (used by imports and the demo loader)."""

from django.db import transaction

from .models import Certificate, District, Institution, Major, MajorCertificate


def district_upsert(*, code: str, name: str, kind: str) -> District:
    district, _ = District.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
    return district


def institution_upsert(
    *, code: str, name: str, type: str, district_code: str, quality_vocational: bool = False,
    parent_code: str | None = None,
) -> tuple[Institution, bool]:
    parent = Institution.objects.get(code=parent_code) if parent_code else None
    return Institution.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "type": type,
            "district_id": district_code,
            "quality_vocational": quality_vocational,
            "parent": parent,
        },
    )


def certificate_upsert(*, code: str, name: str, issuer: str = "") -> tuple[Certificate, bool]:
    return Certificate.objects.update_or_create(code=code, defaults={"name": name, "issuer": issuer})


@transaction.atomic
def major_upsert(*, institution_code: str, code: str, name: str, cert_codes: list[str]) -> tuple[Major, bool]:
    institution = Institution.objects.get(code=institution_code)
    major, created = Major.objects.update_or_create(institution=institution, code=code, defaults={"name": name})
    wanted = set(Certificate.objects.filter(code__in=cert_codes).values_list("id", flat=True))
    have = set(major.certificate_links.values_list("certificate_id", flat=True))
    MajorCertificate.objects.filter(major=major, certificate_id__in=have - wanted).delete()
    MajorCertificate.objects.bulk_create([MajorCertificate(major=major, certificate_id=c) for c in wanted - have])
    return major, created


# What an institution's staff may do with the documents and images of their institution's collection
# (app label, codename). Deleting stays the bureau's, on the root collection (accounts migration 0002).
STAFF_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def institution_staff_group_name(*, code: str) -> str:
    return f"机构工作人员 Staff of {code}"[:150]


def institution_collection_name(*, institution: Institution) -> str:
    return f"{institution.code} {institution.name}"[:255]


@transaction.atomic
def institution_cms_space_ensure(*, institution: Institution) -> Institution:
    """The institution's space in the CMS: a collection of its own under the root collection, and an admin
    group of its staff with add, change and choose permissions on that collection only. Idempotent; keeps
    the names in step with the institution's code and name.

    Which users are in the group is the accounts app's business (``user_admin_groups_sync``); the bureau's
    group has its permissions on the root collection, so it sees every institution's collection.
    """
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:  # before wagtailcore's initial data
        return institution
    created = False
    collection_name = institution_collection_name(institution=institution)
    collection = Collection.objects.filter(pk=institution.collection_id).first() if institution.collection_id else None
    if collection is None:
        collection = root.add_child(instance=Collection(name=collection_name))
        created = True
    elif collection.name != collection_name:
        collection.name = collection_name
        collection.save(update_fields=["name"])
    group_name = institution_staff_group_name(code=institution.code)
    group = Group.objects.filter(pk=institution.staff_group_id).first() if institution.staff_group_id else None
    if group is None:
        group, _ = Group.objects.get_or_create(name=group_name)
        created = True
    elif group.name != group_name:
        group.name = group_name
        group.save(update_fields=["name"])
    if created:
        institution.collection, institution.staff_group = collection, group
        Institution.objects.filter(pk=institution.pk).update(collection=collection, staff_group=group)
        permissions = Permission.objects.filter(
            content_type__app_label__in={app for app, _ in STAFF_COLLECTION_PERMISSIONS},
            codename__in=[codename for _, codename in STAFF_COLLECTION_PERMISSIONS],
        )
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    return institution
