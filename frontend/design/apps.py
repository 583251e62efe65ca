from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignConfig(AppConfig):
    """The design system: base templates, components, the ``ui`` tags and the static assets.

    The bottom layer: it imports no app of the project. What it shows of the other apps (the header's
    entries) comes from the context, filled by the platform core's registries.
    """

    name = "frontend.design"
    label = "design"
    verbose_name = _("设计系统")
