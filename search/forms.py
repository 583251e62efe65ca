"""The search page's GET parameters, read without ever failing: bad input is trimmed or dropped, and said so."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .contract import FACETS, KINDS

MAX_QUERY_CHARS = 60  # a long sentence is cut here (residents type a few words; this bounds the backends' work)
MAX_CODE_CHARS = 40
MAX_PAGE = 50  # deep pages are no use to a resident and cost the backend; the page says to narrow instead
PER_PAGE = 20
FILTER_NAMES = tuple(name for name in FACETS if name != "kind")  # "kind" has its own parameter
# Facet codes are short identifiers (category values, district codes, provider ids, "free", "7d"...).
CODE = re.compile(rf"^[A-Za-z0-9_.:+-]{{1,{MAX_CODE_CHARS}}}$")
# Control and format characters (zero-width joiners, direction marks) are dropped; spaces collapsed.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}


def clean_text(value: str, *, limit: int = MAX_QUERY_CHARS) -> tuple[str, bool]:
    """(text, was_cut): NFKC (full-width letters and digits become plain ones), no invisible characters, one
    space between words, at most ``limit`` characters."""
    value = unicodedata.normalize("NFKC", value or "")
    value = "".join(" " if ch.isspace() else ch for ch in value if unicodedata.category(ch) not in _INVISIBLE
                    or ch.isspace())
    value = " ".join(value.split())
    if len(value) > limit:
        return value[:limit].rstrip(), True
    return value, False


@dataclass
class SearchParams:
    """What the page asks the selector, plus the notices for the reader about input that was corrected."""

    q: str = ""
    kind: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    page: int = 1
    notices: list[str] = field(default_factory=list)

    def querydict(self, **changes) -> dict[str, str]:
        """The GET parameters of this search with ``changes`` (a value of None or "" removes the key); page 1
        unless a page is given."""
        params: dict[str, str] = {}
        if self.q:
            params["q"] = self.q
        if self.kind:
            params["kind"] = self.kind
        params.update(self.filters)
        for key, value in changes.items():
            if value in (None, ""):
                params.pop(key, None)
            else:
                params[key] = str(value)
        if params.get("page") in ("1", 1):
            params.pop("page")
        return params


def search_params_from_get(data) -> SearchParams:
    """Read the page's GET parameters (a QueryDict). Never raises."""
    params = SearchParams()
    q, cut = clean_text(data.get("q", ""))
    params.q = q
    if cut:
        params.notices.append(_("搜索词太长，已按前 %(n)s 个字搜索。") % {"n": MAX_QUERY_CHARS})
    kind = (data.get("kind") or "").strip()
    if kind in KINDS:
        params.kind = kind
    elif kind:
        params.notices.append(_("不认识的结果类型，已显示全部类型。"))
    odd = False
    for name in FILTER_NAMES:
        value = (data.get(name) or "").strip()
        if not value:
            continue
        if CODE.match(value):
            params.filters[name] = value
        else:
            odd = True
    if odd:
        params.notices.append(_("有筛选条件无法识别，已忽略。"))
    raw_page = (data.get("page") or "1").strip()
    if raw_page.isdigit() and 1 <= int(raw_page) <= MAX_PAGE:
        params.page = int(raw_page)
    elif raw_page.isdigit() and int(raw_page) > MAX_PAGE:
        params.page = MAX_PAGE
        params.notices.append(_("只显示前 %(n)s 页结果，请换个更具体的词。") % {"n": MAX_PAGE})
    else:
        params.notices.append(_("页码无效，已显示第一页。"))
    return params
