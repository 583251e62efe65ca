"""The portal's news (通知公告) as documents residents can find: registered with the platform's searchable-types
registry, so the search app indexes them without importing the portal."""

from bianxue.registry import SearchDocument, searchable_type_register
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from .models import NewsPage


def news_documents(ids=None):
    """Published, public announcements."""
    qs = NewsPage.objects.live().public().order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for page in qs.iterator(chunk_size=200):
        text = " ".join(strip_tags(str(block.value.source)) for block in page.body if block.block_type == "text")
        yield SearchDocument(kind="news", pk=page.pk, title=page.title, url=page.url or "", summary=page.summary,
                             body=text, facets={"kind": "news"})


searchable_type_register(kind="news", label=_("通知公告"), documents=news_documents, model="frontend.NewsPage")
