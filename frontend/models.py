"""The portal home page (Wagtail)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """汴学 portal home: search, course categories, the credit bank, community and the bureau dashboard."""

    intro = models.CharField(_("导语 intro"), max_length=255, blank=True)
    body = RichTextField(_("正文 body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = 1

    class Meta:
        verbose_name = _("门户首页 home page")
