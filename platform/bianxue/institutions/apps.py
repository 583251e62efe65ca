from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "bianxue.institutions"
    label = "institutions"
    verbose_name = _("机构 Institutions")

    demo_loader = "bianxue.institutions.demo_loader.load"

    def ready(self) -> None:
        from . import signals  # noqa: F401
