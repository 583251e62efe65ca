"""The portal home page and the announcements (news) pages (Wagtail)."""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import HomeStreamBlock, NewsStreamBlock, home_default_sections


class HomePage(Page):
    """汴学 portal home: search, course categories, courses for elders, sessions nearby, the resident's
    next lesson, announcements and entries to the credit bank and community. Editors arrange the
    sections (StreamField); until they do, ``home_default_sections()`` is shown."""

    intro = models.CharField(_("导语"), max_length=255, blank=True)
    sections = StreamField(HomeStreamBlock(), blank=True, verbose_name=_("版块"),
                           help_text=_("留空则使用默认布局。"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("sections")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = 1

    class Meta:
        verbose_name = _("门户首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.sections:
            context["home_sections"] = self.sections
        else:
            context["home_sections"] = self.sections.stream_block.to_python(
                [{"type": t, "value": v} for t, v in home_default_sections()]
            )
        return context


class NewsIndexPage(Page):
    """通知公告: the list of announcements, newest first, ten a page."""

    intro = models.CharField(_("导语"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["frontend.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("通知公告栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().child_of(self).order_by("-date", "-pk")
        context["page_obj"] = Paginator(news, 10).get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    """One announcement (通知) with a date, a summary and a body."""

    date = models.DateField(pgettext_lazy("date", "发布日期"), default=timezone.localdate, db_index=True)
    summary = models.CharField(_("摘要"), max_length=255, blank=True)
    body = StreamField(NewsStreamBlock(), blank=True, verbose_name=_("正文"))

    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["frontend.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = pgettext_lazy("announcement", "通知公告")
        verbose_name_plural = _("通知公告")
