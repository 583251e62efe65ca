"""Page panels: a section another app adds to a page it does not own (the course page's live Q&A rooms).

    page_panel_register(page="course", key="community.live", template="community/live/course_panel.html",
                        provider=live_course_panel)

The owning page asks ``page_panels_for(page="course", course=..., user=...)`` and includes each panel's template
with its data (``panel``); a provider returning None shows nothing. So the courses app shows community's rooms
without importing community.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PagePanel:
    page: str
    key: str
    template: str
    provider: Callable[..., Any]
    order: int = 100


_panels: dict[tuple[str, str], PagePanel] = {}


def page_panel_register(*, page: str, key: str, template: str, provider: Callable[..., Any],
                        order: int = 100) -> PagePanel:
    panel = PagePanel(page=page, key=key, template=template, provider=provider, order=order)
    _panels[(page, key)] = panel
    return panel


def page_panels_for(*, page: str, **kwargs) -> list[dict]:
    """The registered panels of ``page`` with their data, by order then key."""
    shown = []
    for panel in sorted((p for p in _panels.values() if p.page == page), key=lambda p: (p.order, p.key)):
        data = panel.provider(**kwargs)
        if data is not None:
            shown.append({"key": panel.key, "template": panel.template, "data": data})
    return shown
