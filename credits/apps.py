from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "credits"
    label = "credits"
    verbose_name = _("学分银行")

    demo_loader = "credits.demo.load"

    def ready(self) -> None:
        """The header's credit-bank link, the my-menu entries (the review queue for credit officers, accreditation for the bureau) and
        the kinds of notification the credit bank sends."""
        from bianxue.accounts.models import Role
        from bianxue.registry import FOOTER, HEADER, MY, menu_entry_register, notification_kind_register
        from bianxue.registry.visibility import bureau_admin, holds_role, signed_in
        from django.urls import reverse_lazy

        menu_entry_register(menu=HEADER, key="credits.home", label=_("学分银行"), url=reverse_lazy("credits:home"),
                            order=20)
        menu_entry_register(menu=FOOTER, key="credits.home", label=_("学分银行"), url=reverse_lazy("credits:home"),
                            order=20)
        menu_entry_register(menu=FOOTER, key="credits.checkpoints", label=_("账本检查点"),
                            url=reverse_lazy("credits:checkpoints"), order=21)
        menu_entry_register(menu=MY, key="credits.home", label=_("我的学分银行"), url=reverse_lazy("credits:home"),
                            order=20, visible=signed_in)
        menu_entry_register(menu=MY, key="credits.queue", label=_("审核队列"), url=reverse_lazy("credits:queue"),
                            order=50, visible=holds_role(Role.CREDIT_OFFICER))
        menu_entry_register(menu=MY, key="credits.accreditations", label=_("认证资质与考核站点"),
                            url=reverse_lazy("credits:accreditations"), order=55, visible=bureau_admin)
        from bianxue.people.signals import learner_merged, merge_field_register

        from .services.merges import on_learner_merged

        learner_merged.connect(on_learner_merged, dispatch_uid="credits.learner_merged")
        merge_field_register(field="credits.LearnerAccount.learner",
                             how="kept: the source's account is closed with a transfer entry into the target's")
        # urgent: a decision on one's credits is e-mailed and texted at once, as it always was
        notification_kind_register(key="credits.outcome", label=_("学习成果"), urgent=True, source=_("学分银行"))
        notification_kind_register(key="credits.application", label=_("转换申请"), urgent=True, source=_("学分银行"))
