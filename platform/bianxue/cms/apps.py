from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The CMS admin under the site's content security policy (docs/frontend.md#cms-csp): Wagtail's widgets start
    from data attributes instead of inline scripts, and the admin speaks the user's language (Chinese first)."""

    name = "bianxue.cms"
    label = "cms"
    verbose_name = _("内容管理")

    def ready(self) -> None:
        from .widgets import chooser_render_without_inline_script

        chooser_render_without_inline_script()
