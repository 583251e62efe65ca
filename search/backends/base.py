"""What every search backend does. The pages and the contract tests see only search.selectors."""

from __future__ import annotations

from collections.abc import Iterable

from bianxue.registry import SearchDocument

from ..contract import SearchQuery, SearchResults, Suggestion


class SearchBackend:
    name = "base"

    def search(self, *, query: SearchQuery, synonyms: dict[str, tuple[str, ...]]) -> SearchResults:
        raise NotImplementedError

    def suggest(self, *, prefix: str, limit: int) -> list[Suggestion]:
        raise NotImplementedError

    def index(self, *, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents; returns how many."""
        raise NotImplementedError

    def delete(self, *, keys: Iterable[str]) -> int:
        raise NotImplementedError

    def rebuild(self, *, documents: Iterable[SearchDocument]) -> int:
        """Build the whole index anew from ``documents`` (readers see the old one until it is ready)."""
        raise NotImplementedError

    def counts(self) -> dict[str, int]:
        """Documents in the index, by kind (for ``search_index --check``)."""
        raise NotImplementedError

    def health(self) -> str:
        """"ok" or "degraded"."""
        return "ok"
