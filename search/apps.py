from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "bianxue_search"
    verbose_name = _("搜索")

    demo_loader = "search.report.demo.load"

    def ready(self) -> None:
        from bianxue.registry import FOOTER, MY, health_check_register, menu_entry_register
        from django.urls import reverse_lazy

        from .documents import documents_register
        from .report import admin_menu  # noqa: F401 (the report in the CMS admin's menu)
        from .report.selectors import user_may_read_search_report
        from .signals import signals_connect

        documents_register()
        signals_connect()
        menu_entry_register(menu=FOOTER, key="search.page", label=_("站内搜索"), url=reverse_lazy("search:page"),
                            order=5)
        menu_entry_register(menu=MY, key="search.report", label=_("居民搜索报告"), url=reverse_lazy("search:report"),
                            order=80, visible=lambda user: user_may_read_search_report(user=user))
        health_check_register(key="search", check=_search_health)


def _search_health():
    """The search backends' health (search.selectors.search_backend_health), looked up when asked."""
    from . import selectors

    return selectors.search_backend_health()
