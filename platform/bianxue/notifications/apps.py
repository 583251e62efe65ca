from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "bianxue.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        """The bell in the header (through the registry), the notifications page in the my-menu."""
        from django.urls import reverse_lazy

        from bianxue.registry import MY, bell_provider_register, menu_entry_register
        from bianxue.registry.visibility import signed_in

        from .selectors import notification_bell

        bell_provider_register(provider=notification_bell)
        menu_entry_register(menu=MY, key="notifications.list", label=_("我的通知"),
                            url=reverse_lazy("notifications:list"), order=15, visible=signed_in)
