"""The CMS admin's own script: the ``bx-init`` controller that replaces Wagtail's inline scripts (widgets.py)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def _admin_init_script():
    return format_html('<script src="{}"></script>', static("bianxue_cms/admin-init.js"))
