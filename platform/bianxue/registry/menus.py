"""Menu entries: the header navigation and the "我的" (my) menu.

    menu_entry_register(menu=HEADER, key="courses.catalog", label=_("课程"), url="/learn/", order=10)
    menu_entry_register(menu=MY, key="credits.queue", label=_("审核队列"), url=reverse_lazy("credits:queue"),
                        visible=holds_role(Role.CREDIT_OFFICER))

Registering a key again replaces the entry (an app's ``ready()`` may run more than once in tests).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HEADER = "header"
MY = "my"
FOOTER = "footer"
MENUS = (HEADER, MY, FOOTER)

Visibility = Callable[[Any], bool]


@dataclass(frozen=True)
class MenuEntry:
    """One link. ``label`` is a (lazy) translatable string, ``url`` a path or a ``reverse_lazy``."""

    key: str
    label: Any
    url: Any
    order: int = 100
    visible: Visibility | None = None

    def visible_to(self, user) -> bool:
        return self.visible is None or bool(self.visible(user))


_entries: dict[str, dict[str, MenuEntry]] = {menu: {} for menu in MENUS}


def menu_entry_register(*, menu: str, key: str, label: Any, url: Any, order: int = 100,
                        visible: Visibility | None = None) -> MenuEntry:
    if menu not in _entries:
        raise ValueError(f"unknown menu {menu!r}; one of {MENUS}")
    entry = MenuEntry(key=key, label=label, url=url, order=order, visible=visible)
    _entries[menu][key] = entry
    return entry


def menu_entries_for_user(*, menu: str, user) -> list[MenuEntry]:
    """The entries of ``menu`` that ``user`` (possibly anonymous or None) may see, by order then key."""
    entries = sorted(_entries[menu].values(), key=lambda e: (e.order, e.key))
    return [e for e in entries if e.visible_to(user)]
