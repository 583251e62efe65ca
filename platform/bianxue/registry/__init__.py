"""Registries of the platform core: what each app contributes to the shared pages.

Each app registers its entries in its ``AppConfig.ready()``; the design system's base template and the
portal render what is registered (through :func:`bianxue.registry.context_processors.registered`), so
no lower layer imports a higher one to show it:

- ``menus``: the header navigation, the "我的" (my) menu and the footer links, each entry with an optional visibility
  predicate ``(user) -> bool`` for role-dependent entries (``visibility`` has the usual ones);
- ``panels``: home-page panels, a data provider per panel key, rendered by the portal's home blocks;
- ``notifications``: the kinds of notification an app sends, with their labels, and the header's bell;
- ``links``: links an app adds to another app's page (the course page's discussion board, its live rooms);
- ``holders``: which institutions hold records about a learner (who may confirm a real-name binding);
- ``searchable``: the kinds of document residents can find (news, threads...), with the function building them;
- ``health``: readiness checks of optional services (search backends...), reported by ``/readyz`` as degraded.
"""

from .health import health_check_register, health_checks
from .holders import RecordHolder, record_holder_register, record_holders
from .links import COURSE_PAGE, PageLink, page_link_register, page_links_for
from .menus import FOOTER, HEADER, MY, MenuEntry, menu_entries_for_user, menu_entry_register
from .notifications import (
    NotificationKind,
    bell_for_user,
    bell_provider_register,
    notification_kind_get,
    notification_kind_register,
    notification_kinds,
)
from .panels import HomePanel, home_panel_get, home_panel_register
from .searchable import (
    SearchableType,
    SearchDocument,
    searchable_type_get,
    searchable_type_register,
    searchable_types,
)

__all__ = [
    "FOOTER", "HEADER", "MY", "MenuEntry", "menu_entries_for_user", "menu_entry_register",
    "NotificationKind", "bell_for_user", "bell_provider_register", "notification_kind_get", "notification_kind_register", "notification_kinds",
    "HomePanel", "home_panel_get", "home_panel_register",
    "COURSE_PAGE", "PageLink", "page_link_register", "page_links_for",
    "RecordHolder", "record_holder_register", "record_holders",
    "SearchableType", "SearchDocument", "searchable_type_get", "searchable_type_register", "searchable_types",
    "health_check_register", "health_checks",
]
