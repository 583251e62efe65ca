"""Index after commit when something searchable changes, from any door (CMS, services, loaders, shell).

The search app may import the apps it indexes, never the reverse; so it listens: Wagtail's publish/unpublish
signals and Django's saves and deletes, of the models registered as searchable (bianxue.registry.searchable), are
turned into an outbox message in the writer's transaction (search.services.search_index_enqueue).
"""

from __future__ import annotations

from bianxue.registry import searchable_types
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from .services import search_index_enqueue, search_synonyms_changed


def _kind_of(model) -> str | None:
    label = model._meta.label
    for searchable in searchable_types():
        if searchable.model == label:
            return searchable.kind
    return None


def _enqueue(instance) -> None:
    kind = _kind_of(type(instance))
    if kind is None:
        return
    search_index_enqueue(kind=kind, ids=[instance.pk])
    if kind == "course":  # the course's sessions are shown (or hidden) with it
        search_index_enqueue(kind="session", ids=list(instance.sessions.values_list("pk", flat=True)))


def on_page_changed(sender, instance, **kwargs) -> None:
    _enqueue(instance)


def on_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw or isinstance(instance, Page):  # pages are indexed when published, not when a draft is saved
        return
    _enqueue(instance)


def on_deleted(sender, instance, **kwargs) -> None:
    _enqueue(instance)


def on_restriction_changed(sender, instance, **kwargs) -> None:
    """A page made private (or public again): it and every page below it."""
    for page in Page.objects.descendant_of(instance.page, inclusive=True).specific().iterator():
        _enqueue(page)


def on_synonyms_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        search_synonyms_changed()


def signals_connect() -> None:
    from .models import SynonymGroup

    post_save.connect(on_synonyms_changed, sender=SynonymGroup, dispatch_uid="search.synonyms_saved")
    post_delete.connect(on_synonyms_changed, sender=SynonymGroup, dispatch_uid="search.synonyms_deleted")
    page_published.connect(on_page_changed, dispatch_uid="search.page_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="search.page_unpublished")
    post_save.connect(on_saved, dispatch_uid="search.saved")
    post_delete.connect(on_deleted, dispatch_uid="search.deleted")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search.restricted")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search.unrestricted")
