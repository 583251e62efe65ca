from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    label = "community"
    verbose_name = _("社区")
    demo_loader = "community.demo_live.load"  # community-boards adds its own; both run (see load_demo)

    def ready(self) -> None:
        """The header's community link, the course page's live Q&A section and the kinds of notification sent."""
        from bianxue.registry import (
            FOOTER,
            HEADER,
            menu_entry_register,
            notification_kind_register,
            page_panel_register,
        )
        from django.urls import reverse_lazy

        from .selectors.live import live_course_panel

        menu_entry_register(menu=HEADER, key="community.index", label=_("社区"), url=reverse_lazy("community:index"),
                            order=30)
        menu_entry_register(menu=FOOTER, key="community.index", label=_("学习社区"),
                            url=reverse_lazy("community:index"), order=30)
        page_panel_register(page="course", key="community.live", template="community/live/course_panel.html",
                            provider=live_course_panel, order=50)
        notification_kind_register(key="community.live_answer", label=_("直播答疑的回答"), source=_("学习社区"))
