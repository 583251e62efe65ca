"""Home-page panels: the data behind a section of the portal's home page, provided by the app that owns it.

    home_panel_register(key="courses", provider=course_list_for_home)

The portal's home blocks ask for a panel by key and call its provider with keyword arguments; a panel
nobody registered shows the block's empty state.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HomePanel:
    key: str
    provider: Callable[..., Any]


_panels: dict[str, HomePanel] = {}


def home_panel_register(*, key: str, provider: Callable[..., Any]) -> HomePanel:
    panel = HomePanel(key=key, provider=provider)
    _panels[key] = panel
    return panel


def home_panel_get(*, key: str) -> HomePanel | None:
    return _panels.get(key)
