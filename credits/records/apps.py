from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "credits.records"
    label = "records"
    verbose_name = _("学习记录与计划指标")
    demo_loader = "credits.records.demo_loader.load"

    def ready(self) -> None:
        """My-menu entries: the import page for registrars and credit officers, the dashboard for the
        bureau and institution staff (the same rules as the pages). Record holders: an institution with records
        or a roster entry of a learner may confirm that learner's real-name binding (bianxue.people)."""
        from bianxue.accounts.models import Role
        from bianxue.registry import MY, menu_entry_register, record_holder_register
        from bianxue.registry.visibility import holds_role
        from django.urls import reverse_lazy

        menu_entry_register(menu=MY, key="records.import", label=_("数据导入"), url=reverse_lazy("records:import"),
                            order=60, visible=holds_role(Role.REGISTRAR, Role.CREDIT_OFFICER))
        menu_entry_register(menu=MY, key="records.dashboard", label=_("规划指标看板"),
                            url=reverse_lazy("records:dashboard"), order=70, visible=holds_role())
        from bianxue.people.signals import learner_merged, merge_field_register

        from .services import on_learner_merged

        learner_merged.connect(on_learner_merged, dispatch_uid="records.learner_merged")
        merge_field_register(field="records.LearningRecord.learner", how="moved")
        merge_field_register(field="records.StudentRoster.learner",
                             how="moved (where the target is on the same year's roster of that institution, it wins)")
        record_holder_register(key="records.records", learners_at=_learners_with_records_at)
        record_holder_register(key="records.roster", learners_at=_learners_on_roster_at)


def _learners_with_records_at(institution_ids):
    from .models import LearningRecord

    return LearningRecord.objects.filter(institution_id__in=list(institution_ids)).values("learner_id")


def _learners_on_roster_at(institution_ids):
    from .models import StudentRoster

    return StudentRoster.objects.filter(institution_id__in=list(institution_ids)).values("learner_id")
