"""Rules in the Wagtail admin (snippets). Rules belong to their owner (docs/trust.md): valuation rules are
city-wide and the bureau's, never backdated; conversion rules are the receiving institution's (its credit
officers choose only among their own institutions, and every save is re-checked by the service); bureau
administrators manage accreditation and exam sites (others are refused with the reason; saves go through
``accreditation_save``, which checks and audits). A valuation rule already used by an outcome cannot be edited in place
(ValuationRule.clean): a change is a new version row, so past entries never change."""

from bianxue.accounts.models import Role, User
from bianxue.accounts.selectors import institutions_for_user, user_institution_ids, user_is_bureau_admin
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet, SnippetViewSetGroup

from .models import Accreditation, ConversionRule, ValuationRule
from .roles import OFFICER_ROLES
from .services import (
    accreditation_require_bureau,
    accreditation_save,
    conversion_rule_require_owner,
    valuation_rule_check_valid_from,
    valuation_rule_require_bureau,
)


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
        if institution_id is None or user_is_bureau_admin(user=user):
            return True
        return institution_id in user_institution_ids(user=user, roles=OFFICER_ROLES)


class BureauPolicy(OfficerPolicy):
    bureau_only = True


register_permission_policy(ValuationRule, BureauPolicy(ValuationRule))
register_permission_policy(ConversionRule, OfficerPolicy(ConversionRule))
register_permission_policy(Accreditation, BureauPolicy(Accreditation))


# --- valuation rules: the bureau's, from today or later ---------------------------------------------------


class ValuationRuleFormMixin:
    """A new rule, or a changed start date, takes effect today or later (never backdated)."""

    def clean(self):
        cleaned = super().clean()
        valid_from = cleaned.get("valid_from")
        if valid_from is not None and (self.instance.pk is None or "valid_from" in self.changed_data):
            try:
                valuation_rule_check_valid_from(valid_from=valid_from)
            except ValidationError as exc:
                self.add_error("valid_from", exc)
        return cleaned


def _refused(request, exc: PermissionDenied):
    """The CMS admin's way of refusing (as Wagtail's own permission_denied), with the service's reason."""
    messages.error(request, str(exc))
    return redirect("wagtailadmin_home")


class BureauOnlyMixin:
    """Refuse anyone but the bureau with the service's message (before Wagtail's own, wordless check)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            valuation_rule_require_bureau(actor=request.user)
        except PermissionDenied as exc:
            return _refused(request, exc)
        return super().dispatch(request, *args, **kwargs)


class ValuationRuleCreateView(BureauOnlyMixin, CreateView):
    pass


class ValuationRuleEditView(BureauOnlyMixin, EditView):
    pass


class ValuationRuleViewSet(SnippetViewSet):
    model = ValuationRule
    icon = "form"
    list_display = ["name", "code", "version", "kind", "outcome_type", "valid_from", "valid_to"]
    list_filter = ["kind", "code"]
    add_view_class = ValuationRuleCreateView
    edit_view_class = ValuationRuleEditView

    def get_form_class(self, for_update=False):
        return type("ValuationRuleAdminForm", (ValuationRuleFormMixin, super().get_form_class(for_update)), {})


# --- conversion rules: the receiving institution's ------------------------------------------------------


class ConversionRuleFormMixin:
    """Offers only the institutions the user is a credit officer of (all of them for the bureau): a plain
    select instead of the snippet chooser, whose modal would list every institution."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("institution")
        if field is not None and getattr(self, "for_user", None) is not None:
            field.queryset = institutions_for_user(user=self.for_user, roles=OFFICER_ROLES)
            field.widget = forms.Select(choices=field.choices)
            field.error_messages["invalid_choice"] = _(
                "转换规则属于接收机构：只有该机构的学分认定员或教育局管理员可以新建或修改。")


class OwnerRecheckMixin:
    """Re-check on save (a forged or stale form): the receiving institution's officers or the bureau only."""

    def save_instance(self):
        conversion_rule_require_owner(actor=self.request.user, institution_id=self.form.instance.institution_id)
        return super().save_instance()

    def form_valid(self, form):
        try:
            return super().form_valid(form)  # save_instance runs in a transaction: a refusal writes nothing
        except PermissionDenied as exc:
            return _refused(self.request, exc)


class ConversionRuleCreateView(OwnerRecheckMixin, CreateView):
    pass


class ConversionRuleEditView(OwnerRecheckMixin, EditView):
    pass


class ConversionRuleViewSet(SnippetViewSet):
    model = ConversionRule
    icon = "resubmit"
    list_display = ["institution", "programme_name", "course_name", "credits", "mode", "outcome_type"]
    list_filter = ["mode", "outcome_type"]
    add_view_class = ConversionRuleCreateView
    edit_view_class = ConversionRuleEditView

    def get_form_class(self, for_update=False):
        return type("ConversionRuleAdminForm", (ConversionRuleFormMixin, super().get_form_class(for_update)), {})

    def get_queryset(self, request):
        qs = ConversionRule.objects.select_related("institution")
        if user_is_bureau_admin(user=request.user):
            return qs
        return qs.filter(institution_id__in=user_institution_ids(user=request.user, roles=OFFICER_ROLES))


# --- accreditation and exam sites: the bureau's, saved through the service (checked, audited) ---------------


class AccreditationBureauMixin:
    """Refuse anyone but the bureau with the service's reason; save through ``accreditation_save``."""

    def dispatch(self, request, *args, **kwargs):
        try:
            accreditation_require_bureau(actor=request.user)
        except PermissionDenied as exc:
            return _refused(request, exc)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        return accreditation_save(actor=self.request.user, row=self.form.save(commit=False))

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)


class AccreditationCreateView(AccreditationBureauMixin, CreateView):
    pass


class AccreditationEditView(AccreditationBureauMixin, EditView):
    pass


class AccreditationViewSet(SnippetViewSet):
    model = Accreditation
    icon = "tick-inverse"
    list_display = ["institution", "outcome_type", "certificate", "accredited", "note", "updated_at"]
    list_filter = ["outcome_type", "accredited"]
    add_view_class = AccreditationCreateView
    edit_view_class = AccreditationEditView


class CreditRulesGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("学分银行规则")
    menu_icon = "form"
    items = (ValuationRuleViewSet, ConversionRuleViewSet, AccreditationViewSet)


register_snippet(CreditRulesGroup)
