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


def document_may_be_served(*, document, user) -> bool:
    """Whether a CMS document's file may be sent to ``user``: to those who may choose or change it in the CMS
    (its institution's staff, the bureau), and to everyone once a live page uses it (a lesson's video, a
    course's handout). A document only drafts or nobody use stays inside its institution."""
    from wagtail.documents.permissions import permission_policy
    from wagtail.models import Page, ReferenceIndex

    if user.is_authenticated and permission_policy.user_has_any_permission_for_instance(
            user, ["choose", "change"], document):
        return True
    page_type = Page._meta.get_field("content_type").related_model.objects.get_for_model(Page)
    page_ids = [int(object_id) for base_type, object_id in ReferenceIndex.get_references_to(document)
                .values_list("base_content_type_id", "object_id") if base_type == page_type.pk]
    return Page.objects.live().filter(pk__in=page_ids).exists()
