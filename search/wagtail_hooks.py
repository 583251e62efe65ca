"""Synonym groups in the Wagtail admin (设置 › 搜索同义词): bureau editors add the words residents use; a saved group
applies to the next search, without reindexing."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    list_display = ["terms", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["terms"]
    menu_label = _("搜索同义词")
    add_to_settings_menu = True
    panels = [FieldPanel("terms"), FieldPanel("active")]


register_snippet(SynonymGroupViewSet)
