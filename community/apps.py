from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    label = "community"
    verbose_name = _("社区")
    demo_loader = "community.demo.load"

    def ready(self) -> None:
        """The header, footer and 我的 entries, the course page's link to its board, notification kinds."""
        from bianxue.registry import (
            COURSE_PAGE,
            FOOTER,
            HEADER,
            MY,
            menu_entry_register,
            notification_kind_register,
            page_link_register,
        )
        from bianxue.registry.visibility import signed_in
        from django.urls import reverse_lazy

        from .selectors.links import board_link_for_course
        from .selectors.live import live_link_for_course, live_open_link_for_course
        from .selectors.moderation import user_is_moderator

        menu_entry_register(menu=HEADER, key="community.index", label=_("社区"), url=reverse_lazy("community:index"),
                            order=30)
        menu_entry_register(menu=FOOTER, key="community.index", label=_("学习社区"),
                            url=reverse_lazy("community:index"), order=30)
        menu_entry_register(menu=MY, key="community.circles", label=_("我的学习圈"),
                            url=reverse_lazy("community:circles"), order=40, visible=signed_in)
        menu_entry_register(menu=MY, key="community.moderation", label=_("社区审核队列"),
                            url=reverse_lazy("community:moderation"), order=45,
                            visible=lambda user: user_is_moderator(user=user))
        page_link_register(slot=COURSE_PAGE, key="community.board", provider=board_link_for_course)
        page_link_register(slot=COURSE_PAGE, key="community.live", provider=live_link_for_course)
        page_link_register(slot=COURSE_PAGE, key="community.live_open", provider=live_open_link_for_course)
        notification_kind_register(key="community.live_answer", label=_("直播答疑的回答"), source=_("学习社区"))
        notification_kind_register(key="community.reply", label=_("讨论区有新回复"))
        notification_kind_register(key="community.answer", label=_("老师解答了问题"))
