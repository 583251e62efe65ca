""""Did you mean": a query that found nothing, corrected towards the words of the indexed titles, by their pinyin.

A pinyin keyboard's slips (``shuoji`` for ``shouji``, a wrong homophone of a rarer word) land near the right word's
pinyin; so the vocabulary is the titles' words keyed by fuzzy pinyin, and a query's words are matched to the
closest key. Built from the database index (kept whatever backend answers), cached until the index changes.
"""

from __future__ import annotations

import difflib

from django.core.cache import cache
from django.db.models import Count, Max

from .models import SearchEntry
from .text import CJK_RUN, RUN, fuzzy, normalise, pinyin_split, syllables_of, words_of

CUTOFF = 0.75


def _key(word: str) -> str:
    if CJK_RUN.fullmatch(word):
        return "".join(fuzzy(s) for s in syllables_of(word) if s)
    syllables = pinyin_split(word)
    return "".join(fuzzy(s) for s in syllables) if syllables else word


def vocabulary() -> dict[str, str]:
    """fuzzy pinyin (or English word) -> the title word most often spelled so."""
    state = SearchEntry.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    last = state["last"].timestamp() if state["last"] else 0
    cache_key = f"search:vocabulary:{state['n']}:{last}"
    found = cache.get(cache_key)
    if found is not None:
        return found
    counts: dict[str, dict[str, int]] = {}
    for title in SearchEntry.objects.exclude(kind="session").values_list("title", flat=True).iterator():
        for run in RUN.findall(normalise(title)):
            words = words_of(run) if CJK_RUN.fullmatch(run) else ((run,) if len(run) > 2 else ())
            for word in words:
                spellings = counts.setdefault(_key(word), {})
                spellings[word] = spellings.get(word, 0) + 1
    found = {key: max(spellings, key=spellings.get) for key, spellings in counts.items() if key}
    cache.set(cache_key, found, 600)
    return found


def spelling_correct(text: str) -> str | None:
    """The query with its unknown words replaced by the closest title words, or None when nothing changed."""
    words = vocabulary()
    keys = list(words)
    changed, out = False, []
    for run in RUN.findall(normalise(text))[:8]:
        key = _key(run)
        if key in words:
            best = words[key]
        else:
            close = difflib.get_close_matches(key, keys, n=1, cutoff=CUTOFF)
            best = words[close[0]] if close else run
        changed |= best != run
        out.append(best)
    return " ".join(out) if changed else None
