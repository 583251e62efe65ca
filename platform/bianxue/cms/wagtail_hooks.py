"""The CMS admin's own script (the ``bx-init`` controller that replaces Wagtail's inline scripts, widgets.py)
and its script catalog (Wagtail's, completed with bianxue.cms's djangojs.po)."""

from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from django.views.i18n import JavaScriptCatalog
from wagtail import hooks
from wagtail.admin.localization import get_localized_response

# The later package wins: Wagtail's own translations, then ours for the strings its zh_Hans catalog lacks.
_js_catalog = JavaScriptCatalog.as_view(packages=["wagtail.admin", "bianxue.cms"])


def _localized_js_catalog(request, *args, **kwargs):
    return get_localized_response(_js_catalog, request, *args, **kwargs)


@hooks.register("insert_global_admin_js")
def _admin_init_script():
    return format_html('<script src="{}"></script>', static("bianxue_cms/admin-init.js"))


@hooks.register("register_admin_urls")
def _admin_js_catalog_url():
    """Served at Wagtail's own address (admin/jsi18n/): hook URLs come before Wagtail's pattern."""
    return [path("jsi18n/", _localized_js_catalog, name="bianxue_cms_javascript_catalog")]
