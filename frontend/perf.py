"""Page weight of the first load: the CSS and JavaScript a page references, gzip-compressed.

Used by `make bench` (tests/bench.py) and by tests/frontend/test_page_weight.py (budget 150 KB).
"""

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

BUDGET_BYTES = 150 * 1024


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []
        self.inline_js = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split():
            self.css.append(a.get("href") or "")
        if tag == "script":
            if a.get("src"):
                self.js.append(a["src"])
            else:
                self.inline_js += 1


def _static_file(url: str) -> bytes:
    path = urlsplit(url).path
    if not path.startswith(settings.STATIC_URL):
        raise ValueError(f"asset outside STATIC_URL: {url}")
    found = finders.find(path[len(settings.STATIC_URL):])
    if not found:
        raise FileNotFoundError(url)
    with open(found, "rb") as fh:
        return fh.read()


def _module_imports(source: bytes) -> list[str]:
    return re.findall(rb"""^\s*import\s[^'"]*['"]([^'"]+)['"]""", source, re.M)


def page_asset_weights(html: str) -> dict:
    """{"css": [(url, raw, gzip)], "js": [...], "external": [urls on another host], "total_gzip": n}"""
    parser = _Assets()
    parser.feed(html)
    result: dict = {"css": [], "js": [], "external": [], "total_gzip": 0}
    for kind, urls in (("css", parser.css), ("js", parser.js)):
        queue = list(urls)
        seen = set()
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            if urlsplit(url).netloc:
                result["external"].append(url)
                continue
            data = _static_file(url)
            size = len(gzip.compress(data, compresslevel=9))
            result[kind].append((url, len(data), size))
            result["total_gzip"] += size
            if kind == "js":  # follow static ES module imports
                base = url.rsplit("/", 1)[0]
                for name in _module_imports(data):
                    name = name.decode()
                    queue.append(name if name.startswith("/") else f"{base}/{name.removeprefix('./')}")
    return result


def home_asset_weights() -> dict:
    from django.test import Client

    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/")
    assert response.status_code == 200, response.status_code
    return page_asset_weights(response.content.decode())


def bench_home_weight() -> None:
    """`make bench`: CSS + JS of the home page's first load, gzip-compressed (budget 150 KB)."""
    weights = home_asset_weights()
    for kind in ("css", "js"):
        for url, raw, gz in weights[kind]:
            print(f"  {kind:3} {url:50} {raw / 1024:7.1f} KB raw {gz / 1024:7.1f} KB gzip")
    total = weights["total_gzip"]
    verdict = "within" if total < BUDGET_BYTES else "OVER"
    print(f"  total CSS+JS {total / 1024:.1f} KB gzip — {verdict} the 150 KB budget; "
          f"requests to other hosts: {len(weights['external'])}")
