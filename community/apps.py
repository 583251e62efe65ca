from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    label = "community"
    verbose_name = _("社区")

    def ready(self) -> None:
        """The header's community link."""
        from bianxue.registry import FOOTER, HEADER, menu_entry_register
        from django.urls import reverse_lazy

        menu_entry_register(menu=HEADER, key="community.index", label=_("社区"), url=reverse_lazy("community:index"),
                            order=30)
        menu_entry_register(menu=FOOTER, key="community.index", label=_("学习社区"),
                            url=reverse_lazy("community:index"), order=30)
