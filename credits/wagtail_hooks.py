"""Rules in the Wagtail admin (snippets). Credit officers manage valuation rules and their own institutions'
conversion rules; bureau administrators manage accreditation. A valuation rule already used by an outcome
cannot be edited in place (ValuationRule.clean): a change is a new version row, so past entries never change."""

from bianxue.accounts.models import Role, User
from bianxue.accounts.selectors import user_institution_ids, user_is_bureau_admin
from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Accreditation, ConversionRule, ValuationRule
from .roles import OFFICER_ROLES


def _is_officer(user) -> bool:
    return user_is_bureau_admin(user=user) or bool(user_institution_ids(user=user, roles=OFFICER_ROLES))


class OfficerPolicy(ModelPermissionPolicy):
    """Credit officers and bureau administrators; nobody deletes a rule (versions are kept)."""

    bureau_only = False

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        if self.bureau_only:
            return user_is_bureau_admin(user=user)
        return _is_officer(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def users_with_any_permission(self, actions):
        return User.objects.filter(Q(is_bureau_admin=True) | Q(is_superuser=True)
                                   | Q(memberships__role=Role.CREDIT_OFFICER), is_active=True).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        institution_id = getattr(instance, "institution_id", None)
        if institution_id is None or user_is_bureau_admin(user=user) or self.model is ValuationRule:
            return True
        return institution_id in user_institution_ids(user=user, roles=OFFICER_ROLES)


class BureauPolicy(OfficerPolicy):
    bureau_only = True


register_permission_policy(ValuationRule, OfficerPolicy(ValuationRule))
register_permission_policy(ConversionRule, OfficerPolicy(ConversionRule))
register_permission_policy(Accreditation, BureauPolicy(Accreditation))


class ValuationRuleViewSet(SnippetViewSet):
    model = ValuationRule
    icon = "form"
    list_display = ["name", "code", "version", "kind", "outcome_type", "valid_from", "valid_to"]
    list_filter = ["kind", "code"]


class ConversionRuleViewSet(SnippetViewSet):
    model = ConversionRule
    icon = "resubmit"
    list_display = ["institution", "programme_name", "course_name", "credits", "mode", "outcome_type"]
    list_filter = ["mode", "outcome_type"]

    def get_queryset(self, request):
        qs = ConversionRule.objects.select_related("institution")
        if user_is_bureau_admin(user=request.user):
            return qs
        return qs.filter(institution_id__in=user_institution_ids(user=request.user, roles=OFFICER_ROLES))


class AccreditationViewSet(SnippetViewSet):
    model = Accreditation
    icon = "tick-inverse"
    list_display = ["institution", "outcome_type", "accredited", "note", "updated_at"]


class CreditRulesGroup(SnippetViewSetGroup):
    menu_label = "学分银行规则 Credit bank rules"
    menu_icon = "form"
    items = (ValuationRuleViewSet, ConversionRuleViewSet, AccreditationViewSet)


register_snippet(CreditRulesGroup)
