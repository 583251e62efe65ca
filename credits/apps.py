from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "credits"
    label = "credits"
    verbose_name = _("学分银行 Credit bank")

    demo_loader = "credits.demo.load"
