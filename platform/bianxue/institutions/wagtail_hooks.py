"""Institutions, districts, majors and certificates in the Wagtail admin (snippet viewsets)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Certificate, District, Institution, Major


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    list_display = ["code", "name", "kind"]
    menu_label = _("县区")


class InstitutionViewSet(SnippetViewSet):
    model = Institution
    icon = "home"
    list_display = ["code", "name", "type", "district", "quality_vocational", "parent"]
    list_filter = ["type", "district", "quality_vocational"]
    search_fields = ["name", "code"]
    menu_label = _("机构")
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("type"),
        FieldPanel("district"),
        FieldPanel("quality_vocational"),
        FieldPanel("parent"),
        FieldPanel("address"),
        FieldPanel("website"),
        FieldPanel("is_active"),
    ]


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "pick"
    list_display = ["code", "name", "issuer"]
    search_fields = ["name", "code"]
    menu_label = _("1+X证书")


class MajorViewSet(SnippetViewSet):
    model = Major
    icon = "list-ul"
    list_display = ["institution", "code", "name"]
    list_filter = ["institution"]
    menu_label = _("专业")
    panels = [FieldPanel("institution"), FieldPanel("code"), FieldPanel("name"), FieldPanel("certificates")]


class InstitutionsGroup(SnippetViewSetGroup):
    items = (InstitutionViewSet, DistrictViewSet, MajorViewSet, CertificateViewSet)
    menu_icon = "home"
    menu_label = _("机构与专业")
    menu_name = "institutions"


register_snippet(InstitutionsGroup)


@hooks.register("before_serve_document")
def document_serve_check(document, request):
    """An institution's documents are its own until a live page uses them (bianxue.institutions.selectors)."""
    from django.core.exceptions import PermissionDenied

    from .selectors import document_may_be_served

    if not document_may_be_served(document=document, user=request.user):
        raise PermissionDenied(_("这个文件只供所属机构的工作人员使用，尚未在已发布的页面中公开。"))
