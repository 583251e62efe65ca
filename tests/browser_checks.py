"""Checks any test can run on a page: content-security-policy violations and labels that mix the two languages.

CSP (browser only)::

    csp = CspCollector.attach(page)      # before the first page.goto
    page.goto("/learn/")
    assert not csp.violations(page), csp.violations(page)

It listens twice: the ``securitypolicyviolation`` DOM event (an init script records every event of every
document the page loads, with the blocked URI and directive) and the console, where Chromium also reports a
refused inline script or style ("Refused to ... because it violates the following Content Security Policy").

Mixed language (browser or server HTML): in the Chinese UI, a visible text (a text node, or an ``alt``,
``placeholder``, ``aria-label``, ``title`` or a submit button's ``value``) that contains a CJK character AND an
English word of three letters or more is a label that carries both languages ("手机号（可不填） Mobile number",
"课程代码 course code", "共 3 learners"). Not counted, because they are not translated labels:

- URLs, e-mail addresses, file names with an extension (records.csv);
- codes and abbreviations: words in capitals (PDF, CSV, WPS, TOTP), words joined to digits, and the names in
  ``PRODUCT_NAMES`` (1+X is never a word: it has no three letters);
- text inside an element whose ``lang`` is another language (the language switch "English" is ``lang="en"``);
- the elder-mode switch (``data-elder-switch``), whose name the issue allows in both languages.

``mixed_labels_in_html(html)`` parses server HTML (for the Django test client); ``mixed_labels(page)`` reads the
rendered page in Chromium. Both apply ``is_mixed_label`` to the same texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|(?:(?<=\s)|^)/[A-Za-z0-9._~/?=&%-]+")
FILE_NAME = re.compile(r"(?<![A-Za-z])[\w-]*\.(?:csv|xlsx|xls|pdf|json|jwt|png|jpg|jpeg|svg|mp4|mp3|txt|zip)\b", re.I)
# A Latin word: three letters or more, not glued to other letters, digits, "_" or "-" (those are codes: V1, L4,
# KF-ZY-01, smart_tech is two words glued by "_" -> a raw code, reported: see CODE_WORD below).
WORD = re.compile(r"(?<![A-Za-z0-9\-])[A-Za-z][A-Za-z']{2,}(?![A-Za-z0-9])")
CODE_WORD = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # snake_case: a raw code leaking into a label
PRODUCT_NAMES = {
    "python", "excel", "word", "office", "powerpoint", "photoshop", "wps", "app", "wifi", "wi-fi", "java",
    "linux", "windows", "android", "iphone", "ipad", "html", "css", "javascript", "mysql", "autocad", "bianxue",
    "tiktok", "douyin", "wechat", "logo", "plc", "ppt", "web", "wagtail", "webvtt", "https",
}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "code", "pre", "kbd", "samp"}
LABEL_ATTRS = ("alt", "placeholder", "aria-label", "title")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _latin_words(text: str) -> list[str]:
    text = FILE_NAME.sub(" ", URL.sub(" ", text))
    words = [w for w in WORD.findall(text) if not w.isupper() and w.lower() not in PRODUCT_NAMES]
    return words + CODE_WORD.findall(text)


def is_mixed_label(text: str) -> bool:
    """Whether ``text`` mixes the languages: a CJK character and an English word (see the module docstring).
    The same rule finds an English word left in a Chinese label and a Chinese word left beside an English one."""
    if not CJK.search(text):
        return False
    return bool(_latin_words(text))


@dataclass
class _Frame:
    tag: str
    skip: bool


class _TextCollector(HTMLParser):
    """Visible texts of a server-rendered page, with what marks them as exempt."""

    def __init__(self, page_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_language = page_language
        self.stack: list[_Frame] = []
        self.texts: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1].skip

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        other_language = bool(lang) and not lang.startswith(self.page_language)
        skip = (self._skipping() or tag in SKIP_TAGS or "data-elder-switch" in attrs or other_language
                or "hidden" in attrs)
        if not skip:
            self.texts.extend(attrs[a] for a in LABEL_ATTRS if attrs.get(a))
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in VOID_TAGS:
            self.stack.append(_Frame(tag, skip))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):  # forgiving: close up to the matching tag
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skipping():
            self.texts.append(text)


def visible_texts_in_html(html: str, *, page_language: str = "zh") -> list[str]:
    collector = _TextCollector(page_language)
    collector.feed(html)
    return collector.texts


# In the English UI, Chinese content (a course title, an institution) stands beside English labels by design;
# what gives a Chinese template away is its punctuation: a full-width colon, comma or bracket touching an English
# word ("Continue learning：", "Credits，Exempt") — or a raw code.
FULLWIDTH_BY_LATIN = re.compile(r"[A-Za-z]{2}[，：；。、（）]|[，：；。、（）] ?[A-Za-z]{2}")
LOOSE_CODE_WORD = re.compile(r"(?<![\w-])[a-z]+(?:_[a-z]+)+(?![\w-])")  # not inside a code such as P-smart_tech-1


CAPITALS = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?![a-z])")  # abbreviations in Chinese names: 建筑信息模型（BIM）


def english_slips_in_html(html: str) -> list[str]:
    """The texts of an English page that carry a Chinese template's punctuation or a raw code."""
    def slip(text: str) -> bool:
        text = URL.sub(" ", text)
        return bool(FULLWIDTH_BY_LATIN.search(CAPITALS.sub("", text)) or LOOSE_CODE_WORD.search(text))

    return sorted({t for t in visible_texts_in_html(html, page_language="en") if slip(t)})


def mixed_labels_in_html(html: str, *, page_language: str = "zh") -> list[str]:
    """The texts of a server-rendered page that mix the two languages (see the module's docstring)."""
    return sorted({t for t in visible_texts_in_html(html, page_language=page_language)
                   if is_mixed_label(t)})


_PAGE_TEXTS_JS = r"""(pageLang) => {
  const out = [];
  const exempt = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      if (e.matches('script,style,noscript,template,svg,code,pre,kbd,samp,[data-elder-switch],[hidden]')) return true;
      const lang = (e.getAttribute('lang') || '').toLowerCase();
      if (lang && e !== document.documentElement && !lang.startsWith(pageLang)) return true;
    }
    return false;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue.replace(/\s+/g, ' ').trim();
    if (text && !exempt(n.parentElement)) out.push(text);
  }
  for (const el of document.querySelectorAll('[alt],[placeholder],[aria-label],[title],input[type=submit],input[type=button]')) {
    if (exempt(el)) continue;
    for (const a of ['alt', 'placeholder', 'aria-label', 'title']) { const v = el.getAttribute(a); if (v) out.push(v); }
    if (el.matches('input[type=submit],input[type=button]') && el.value) out.push(el.value);
  }
  out.push(document.title);
  return out;
}"""


def mixed_labels(page, *, page_language: str = "zh") -> list[str]:
    """The texts of the page in Chromium that mix the two languages."""
    texts = page.evaluate(_PAGE_TEXTS_JS, page_language)
    return sorted({t for t in texts if is_mixed_label(t)})


# --- CSP --------------------------------------------------------------------------------------------------
_CSP_INIT_JS = r"""(() => {
  window.__bxCsp = window.__bxCsp || [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__bxCsp.push({directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI,
                         source: e.sourceFile, line: e.lineNumber, sample: e.sample, page: location.pathname});
  }, true);
})();"""
CSP_CONSOLE = re.compile(r"Content Security Policy|Content-Security-Policy", re.I)


@dataclass
class CspCollector:
    """Every CSP violation a page meets, from the DOM event and from the console."""

    console: list[str] = field(default_factory=list)
    reported: list[dict] = field(default_factory=list)

    @classmethod
    def attach(cls, page) -> CspCollector:
        collector = cls()
        page.context.add_init_script(_CSP_INIT_JS)
        page.on("console", collector._on_console)
        return collector

    def _on_console(self, message) -> None:
        if CSP_CONSOLE.search(message.text):
            self.console.append(f"{message.type}: {message.text} ({message.location.get('url', '')})")

    def collect(self, page) -> None:
        """Move the events recorded in the current document into ``reported`` (call before leaving a page)."""
        try:
            events = page.evaluate("() => { const e = window.__bxCsp || []; window.__bxCsp = []; return e; }")
        except Exception:  # the page is navigating: its events go with it, the console still has them
            events = []
        self.reported.extend(events)

    def violations(self, page=None) -> list[str]:
        if page is not None:
            self.collect(page)
        found = [f"{e.get('page')}: {e.get('directive')} blocked {e.get('blocked') or e.get('sample')!r} "
                 f"({e.get('source')}:{e.get('line')})" for e in self.reported]
        return found + self.console

    def clear(self) -> None:
        self.console.clear()
        self.reported.clear()
