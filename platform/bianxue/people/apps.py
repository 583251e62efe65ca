from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "bianxue.people"
    label = "people"
    verbose_name = _("学习者")
    demo_loader = "bianxue.people.demo_loader.load"

    def ready(self) -> None:
        """My-menu entries: staff confirm real-name binding claims; the bureau unbinds (the pages' own rules)."""
        from django.urls import reverse_lazy

        from bianxue.registry import MY, menu_entry_register
        from bianxue.registry.visibility import bureau_admin, holds_role

        from .services.phones import on_learner_merged
        from .signals import learner_merged, merge_field_register

        learner_merged.connect(on_learner_merged, dispatch_uid="people.learner_merged")
        merge_field_register(field="people.LearnerPhone.learner", how="moved (the target's number per institution wins)")
        merge_field_register(field="people.BindingRequest.learner",
                             how="kept: a decided claim records which learner it was decided for")

        menu_entry_register(menu=MY, key="people.binding_requests", label=_("实名绑定申请"),
                            url=reverse_lazy("people:binding_requests"), order=75, visible=holds_role())
        menu_entry_register(menu=MY, key="people.bindings", label=_("解除实名绑定"),
                            url=reverse_lazy("people:bindings"), order=76, visible=bureau_admin)
