from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"
    label = "frontend"
    verbose_name = _("前端与门户")

    demo_loader = "frontend.demo.load"

    def ready(self) -> None:
        from bianxue.registry import FOOTER, menu_entry_register
        from django.urls import reverse_lazy
        from django.utils.text import format_lazy

        from . import search_documents, signals  # noqa: F401  (news registered as searchable)

        # 站内搜索: until the site search (issue 13) exists, the catalog's keyword search is the site's search
        # (its search field, #f-q; without it the link still opens the catalog).
        menu_entry_register(menu=FOOTER, key="frontend.search", label=_("站内搜索"),
                            url=format_lazy("{}#f-q", reverse_lazy("courses:catalog")), order=5)
