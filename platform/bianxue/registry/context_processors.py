"""What the registries hold for the current user, for the base template (``header_entries``, ``my_entries``,
``footer_entries``), and the core's own pages the base template links to (``site_urls``): the design system
names no app's URLs, it renders what it is given.

Lazy: a predicate that asks the database runs only when a template shows that menu.
"""

from django.urls import reverse_lazy
from django.utils.functional import SimpleLazyObject

from .menus import FOOTER, HEADER, MY, menu_entries_for_user
from .notifications import bell_for_user

SITE_URLS = {
    "my": reverse_lazy("accounts:profile"),
    "login": reverse_lazy("account_login"),
    "signup": reverse_lazy("account_signup"),
    "logout": reverse_lazy("account_logout"),
    "set_language": reverse_lazy("set_language"),
}


def registered(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "header_entries": SimpleLazyObject(lambda: menu_entries_for_user(menu=HEADER, user=user)),
        "my_entries": SimpleLazyObject(lambda: menu_entries_for_user(menu=MY, user=user)),
        "footer_entries": SimpleLazyObject(lambda: menu_entries_for_user(menu=FOOTER, user=user)),
        "site_urls": SITE_URLS,
        "bell": SimpleLazyObject(lambda: bell_for_user(user=user) or {}),
    }
