from django.db.models import QuerySet

from .models import Certificate, District, Institution


def district_list() -> QuerySet[District]:
    return District.objects.all()


def institution_get_by_code(*, code: str) -> Institution | None:
    return Institution.objects.filter(code=code).first()


def institution_ids_by_code(*, codes: list[str]) -> dict[str, int]:
    return dict(Institution.objects.filter(code__in=codes).values_list("code", "id"))


def certificate_ids_by_code(*, codes: list[str]) -> dict[str, int]:
    return dict(Certificate.objects.filter(code__in=codes).values_list("code", "id"))
