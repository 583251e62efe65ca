"""Indexing tasks, sent through the outbox after commit. Thin and safe to run twice."""

from celery import shared_task


@shared_task(name="search.tasks.search_index_update")
def search_index_update(*, kind: str, ids: list[int]) -> dict:
    from .services import search_index_update as update

    return update(kind=kind, ids=ids)


@shared_task(name="search.tasks.search_synonyms_push")
def search_synonyms_push() -> None:
    from .services import search_synonyms_push as push

    push()


@shared_task(name="search.tasks.search_index_rebuild")
def search_index_rebuild() -> int:
    from .services import search_index_rebuild as rebuild

    return rebuild()
