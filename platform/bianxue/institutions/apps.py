from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class InstitutionsConfig(AppConfig):
    name = "bianxue.institutions"
    label = "institutions"
    verbose_name = pgettext_lazy("Institutions", "机构")

    demo_loader = "bianxue.institutions.demo_loader.load"

    def ready(self) -> None:
        from . import signals  # noqa: F401
