from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "bianxue_search"
    verbose_name = _("搜索")

    def ready(self) -> None:
        from .documents import documents_register
        from .signals import signals_connect

        documents_register()
        signals_connect()
