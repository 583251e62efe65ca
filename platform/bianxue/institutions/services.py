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
