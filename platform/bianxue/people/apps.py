from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "bianxue.people"
    label = "people"
    verbose_name = _("学习者 Learners")
