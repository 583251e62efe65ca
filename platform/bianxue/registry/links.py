"""Page links: links an app adds to another app's page without that page's app importing it.

    page_link_register(slot=COURSE_PAGE, key="community.board", provider=board_link_for_course)

A provider takes the page's object and the viewer as keyword arguments (``obj=``, ``user=``) and returns a
``PageLink`` or None; the page calls :func:`page_links_for` and renders what comes back (the course page
shows its discussion board and live rooms this way, and courses never imports community).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

COURSE_PAGE = "course.page"


@dataclass(frozen=True)
class PageLink:
    key: str
    label: Any
    url: str
    note: Any = ""
    order: int = 100


_providers: dict[str, dict[str, Callable[..., PageLink | None]]] = {}


def page_link_register(*, slot: str, key: str, provider: Callable[..., PageLink | None]) -> None:
    """Registering a key again replaces it (``ready()`` may run more than once in tests)."""
    _providers.setdefault(slot, {})[key] = provider


def page_links_for(*, slot: str, obj: Any, user: Any) -> list[PageLink]:
    links = [provider(obj=obj, user=user) for _key, provider in sorted(_providers.get(slot, {}).items())]
    return sorted((link for link in links if link is not None), key=lambda link: (link.order, link.key))
