"""Where indicator L8 gets its catalog figures without credits importing courses.

The courses app registers a provider in its AppConfig.ready():

    from credits.records.registry import register_catalog_stats
    register_catalog_stats(catalog_online_stats)

A provider is called as ``func(year=Y, district_code=None|"410202", institution_id=None|int)``
and returns ``{"courses": int, "lesson_hours": number}``: the published online or blended
courses of the catalog categories open_university, community, elderly and continuing, in scope
at Y-12-31, and their total lesson hours. With no provider registered, ``catalog_stats`` returns
None and L8 is reported with value null (the catalog is not connected), never a made-up 0.
"""

from collections.abc import Callable

_providers: list[Callable] = []


def register_catalog_stats(func: Callable) -> Callable:
    """Register the catalog statistics provider (the last registration wins). Usable as a decorator."""
    if func not in _providers:
        _providers.append(func)
    return func


def unregister_catalog_stats(func: Callable) -> None:
    if func in _providers:
        _providers.remove(func)


def catalog_stats(*, year: int, district_code: str | None = None, institution_id: int | None = None) -> dict | None:
    if not _providers:
        return None
    return _providers[-1](year=year, district_code=district_code, institution_id=institution_id)
