"""Matches in a title or summary marked with <mark>, the text escaped: safe to render.

Marks what the query's tokens matched, including through pinyin, initials and homophones (``shouji`` marks 手机),
the same way for every backend.
"""

from __future__ import annotations

import re

from django.utils.html import escape

from .text import CJK, RUN, fuzzy, normalise, syllables_of

SPAN = re.compile(rf"[{CJK}]+|[A-Za-z0-9]+")


def _hanzi_spans(run: str, start: int, tokens: set[str]) -> list[tuple[int, int]]:
    syllables = syllables_of(run)
    spans = [(start + i, start + i + 1) for i, ch in enumerate(run) if ch in tokens]
    for i in range(len(run) - 1):
        a, b = syllables[i], syllables[i + 1]
        pinyin = (fuzzy(a) + fuzzy(b), a[:1] + b[:1]) if a and b else ()
        if run[i:i + 2] in tokens or any(p in tokens for p in pinyin):
            spans.append((start + i, start + i + 2))
    return spans


def highlight(text: str, tokens: set[str]) -> str:
    """``text`` escaped, with the parts matching ``tokens`` in <mark>."""
    if not text:
        return ""
    spans: list[tuple[int, int]] = []
    # NFKC keeps lengths of hanzi and ASCII, so positions in the normalised text are positions in the text
    normal = normalise(text)
    if len(normal) != len(text):
        normal = text.lower()
    for match in SPAN.finditer(normal):
        word = match.group()
        if RUN.fullmatch(word) and word.isascii():
            if word in tokens:
                spans.append(match.span())
        else:
            spans += _hanzi_spans(word, match.start(), tokens)
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, pos = [], 0
    for a, b in merged:
        out += [escape(text[pos:a]), "<mark>", escape(text[a:b]), "</mark>"]
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)
