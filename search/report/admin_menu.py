"""The search report in the CMS admin's menu, for the editors who may read it (imported by search.apps)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .selectors import user_may_read_search_report


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return user_may_read_search_report(user=request.user)


@hooks.register("register_admin_menu_item")
def search_report_menu_item():
    return SearchReportMenuItem(_("居民搜索报告"), reverse("search:report"), icon_name="search", order=230)
