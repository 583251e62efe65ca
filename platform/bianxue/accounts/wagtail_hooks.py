"""Staff memberships and the audit log in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import StaffMembership


class StaffMembershipViewSet(SnippetViewSet):
    model = StaffMembership
    icon = "group"
    list_display = ["user", "institution", "role", "created_at"]
    list_filter = ["role", "institution"]
    menu_label = _("机构人员")
    add_to_admin_menu = True
    menu_order = 210


register_snippet(StaffMembershipViewSet)
