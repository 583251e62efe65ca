"""Staff memberships and the audit log in the Wagtail admin (bureau administrators only).

Memberships made or removed here go through the same audit trail and group sync as
``membership_grant`` / ``membership_revoke`` (hooks below).
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import AuditEntry, StaffMembership, User
from .selectors import user_is_bureau_admin
from .services import audit_record, user_admin_groups_sync, user_require_verified_contact


class BureauAdminOnlyPolicy(ModelPermissionPolicy):
    """Every action on the model is for bureau administrators (and superusers) only."""

    read_only = False

    def user_has_permission(self, user, action):
        if self.read_only and action not in ("view",):
            return False
        return user_is_bureau_admin(user=user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if self.read_only and not set(actions) & {"view"}:
            return User.objects.none()
        return User.objects.filter(Q(is_bureau_admin=True) | Q(is_superuser=True), is_active=True)


class ReadOnlyBureauPolicy(BureauAdminOnlyPolicy):
    read_only = True


register_permission_policy(StaffMembership, BureauAdminOnlyPolicy(StaffMembership))
register_permission_policy(AuditEntry, ReadOnlyBureauPolicy(AuditEntry))


class StaffMembershipAdminForm(WagtailAdminModelForm):
    """The CMS door of a grant obeys the service's rule: roles only to accounts with a verified contact."""

    def clean(self):
        cleaned_data = super().clean()
        user = cleaned_data.get("user")
        if user is not None:
            try:
                user_require_verified_contact(user=user)
            except ValidationError as error:
                self.add_error("user", error)
        return cleaned_data


class StaffMembershipViewSet(SnippetViewSet):
    model = StaffMembership
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("institution"), FieldPanel("role")],
        base_form_class=StaffMembershipAdminForm,
    )
    icon = "group"
    list_display = ["user", "institution", "role", "created_at"]
    list_filter = ["role", "institution"]
    menu_label = _("机构人员")
    add_to_admin_menu = True
    menu_order = 210

    def get_queryset(self, request):
        return StaffMembership.objects.select_related("user", "institution")


class AuditEntryViewSet(SnippetViewSet):
    model = AuditEntry
    icon = "history"
    list_display = ["created_at", "actor", "action_label", "institution", "object_type", "object_id"]
    list_filter = ["action"]
    menu_label = _("审计日志")
    add_to_admin_menu = True
    menu_order = 220
    inspect_view_enabled = True

    def get_queryset(self, request):
        return AuditEntry.objects.select_related("actor", "institution")


register_snippet(StaffMembershipViewSet)
register_snippet(AuditEntryViewSet)


@hooks.register("after_create_snippet")
def _membership_created(request, instance):
    if isinstance(instance, StaffMembership):
        user_admin_groups_sync(user=instance.user)
        audit_record(actor=request.user, action="membership.grant", obj=instance,
                     institution_id=instance.institution_id,
                     data={"user": instance.user_id, "role": instance.role, "via": "wagtail"})


@hooks.register("after_edit_snippet")
def _membership_edited(request, instance):
    if isinstance(instance, StaffMembership):
        user_admin_groups_sync(user=instance.user)
        audit_record(actor=request.user, action="membership.change", obj=instance,
                     institution_id=instance.institution_id,
                     data={"user": instance.user_id, "role": instance.role, "via": "wagtail"})


@hooks.register("after_delete_snippet")
def _membership_deleted(request, instances):
    for instance in instances:
        if isinstance(instance, StaffMembership):
            audit_record(actor=request.user, action="membership.revoke",
                         institution_id=instance.institution_id,
                         data={"user": instance.user_id, "role": instance.role, "via": "wagtail"})
