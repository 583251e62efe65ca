"""The bureau's moderation settings in the CMS: the sensitive-word list and the posting policy (bureau
administrators only; nobody deletes a word, it is switched off)."""

from bianxue.accounts.models import User
from bianxue.accounts.selectors import user_is_bureau_admin
from django.db.models import Q
from django.utils.translation import gettext_lazy
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import CommunityPolicy, SensitiveWord


class BureauPolicy(ModelPermissionPolicy):
    """Bureau administrators only; words and the policy are never deleted (switched off, or edited)."""

    def user_has_permission(self, user, action):
        return action != "delete" and user_is_bureau_admin(user=user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def users_with_any_permission(self, actions):
        return User.objects.filter(Q(is_bureau_admin=True) | Q(is_superuser=True), is_active=True)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


register_permission_policy(SensitiveWord, BureauPolicy(SensitiveWord))
register_permission_policy(CommunityPolicy, BureauPolicy(CommunityPolicy))


class SensitiveWordViewSet(SnippetViewSet):
    model = SensitiveWord
    icon = "warning"
    list_display = ["word", "active", "note", "created_at"]
    list_filter = ["active"]
    search_fields = ["word", "note"]


class CommunityPolicyViewSet(SnippetViewSet):
    model = CommunityPolicy
    icon = "cog"
    list_display = ["__str__", "require_id_binding", "posts_per_hour", "new_member_reviewed_posts", "updated_at"]


class CommunityGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("社区管理")
    menu_icon = "group"
    items = (SensitiveWordViewSet, CommunityPolicyViewSet)


register_snippet(CommunityGroup)
