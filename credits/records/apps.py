from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "credits.records"
    label = "records"
    verbose_name = _("学习记录与计划指标 Records and plan indicators")
    demo_loader = "credits.records.demo_loader.load"
