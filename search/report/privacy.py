"""Which typed queries may be counted at all: the normalised text, never anything shaped like personal data."""

from __future__ import annotations

import re

from search.forms import clean_text

# A resident who pastes their ID number, phone number or e-mail into the search box must not end up in a report.
# Digits may be split by spaces or dashes ("138 1234 5678", "410202-1990..."); 7 digits or more in a row are
# dropped whatever they are (phone numbers with or without area code, ID numbers with the check letter X,
# bank cards), which no course title needs.
_LONG_NUMBER = re.compile(r"\d(?:[\s\-]?\d){6,}")
_ID_NUMBER = re.compile(r"\d{17}[\dxX]|\d{15}")
_EMAIL = re.compile(r"\S+@\S+\.\S+")


def query_normalise(text: str) -> str:
    """The form a query is counted under: cleaned like the page cleans it, lower-case (pinyin and English)."""
    return clean_text(text)[0].lower()


def query_is_countable(text: str) -> bool:
    """False for empty queries and for queries shaped like an ID number, a phone number or an e-mail."""
    if not text:
        return False
    compact = text.replace(" ", "").replace("-", "")
    return not (_LONG_NUMBER.search(text) or _ID_NUMBER.search(compact) or _EMAIL.search(text))
