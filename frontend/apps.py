from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"
    label = "frontend"
    verbose_name = _("前端与门户")

    demo_loader = "frontend.demo.load"

    def ready(self) -> None:
        from . import search_documents, signals  # noqa: F401  (news registered as searchable)

        # 站内搜索 in the footer is the search app's own entry (search.apps), leading to /search/.
