from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "bianxue.outbox"
    label = "outbox"
    verbose_name = _("待发任务")
