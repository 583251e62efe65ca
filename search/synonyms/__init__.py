"""Synonyms applied at query time: the checked-in file (synonyms.txt, reviewed in git) and the groups bureau editors
keep in the CMS (:class:`search.models.SynonymGroup`). Neither needs a reindex: the query grows, the index does not.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.core.cache import cache

from ..models import SynonymGroup
from ..text import normalise

FILE = Path(__file__).with_name("synonyms.txt")
CACHE_KEY = SynonymGroup.CACHE_KEY
SPLIT = re.compile(r"[,，、;；\s]+")


def parse(text: str) -> list[tuple[str, ...]]:
    """Groups of a synonyms text: one a line, terms separated by commas; ``#`` starts a comment."""
    groups = []
    for line in text.splitlines():
        terms = tuple(dict.fromkeys(normalise(t) for t in SPLIT.split(line.split("#", 1)[0]) if t.strip()))
        if len(terms) > 1:
            groups.append(terms)
    return groups


def synonym_map(groups: list[tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """term -> the other terms of every group holding it."""
    found: dict[str, dict[str, None]] = {}
    for group in groups:
        for term in group:
            found.setdefault(term, {}).update(dict.fromkeys(t for t in group if t != term))
    return {term: tuple(others) for term, others in found.items()}


def synonyms_current() -> dict[str, tuple[str, ...]]:
    """The file's groups and the CMS's, cached until an editor saves a group (see search.models)."""
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    groups = parse(FILE.read_text(encoding="utf-8"))
    groups += parse("\n".join(SynonymGroup.objects.filter(active=True).values_list("terms", flat=True)))
    result = synonym_map(groups)
    cache.set(CACHE_KEY, result, 300)
    return result


def synonyms_forget() -> None:
    cache.delete(CACHE_KEY)
