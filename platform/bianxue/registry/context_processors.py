"""What the registries hold for the current user, for the base template (``header_entries``, ``my_entries``).

Lazy: a predicate that asks the database runs only when a template shows that menu.
"""

from django.utils.functional import SimpleLazyObject

from .menus import HEADER, MY, menu_entries_for_user


def registered(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "header_entries": SimpleLazyObject(lambda: menu_entries_for_user(menu=HEADER, user=user)),
        "my_entries": SimpleLazyObject(lambda: menu_entries_for_user(menu=MY, user=user)),
    }
