from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "bianxue.accounts"
    label = "accounts"
    verbose_name = _("账户与角色")

    demo_loader = "bianxue.accounts.demo_loader.load"

    def ready(self) -> None:
        from . import signals  # noqa: F401
