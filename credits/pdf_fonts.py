"""Fonts for the PDFs (transcripts, indicator reports): embedded, so every reader shows the same glyphs.

reportlab embeds TrueType outlines only; Debian's fonts-noto-cjk has CFF outlines. The repository therefore
ships ``credits/fonts/BianxueSansSC.ttf`` (Noto Sans CJK SC, SIL OFL 1.1, subset to ASCII, Latin-1,
punctuation including "·", fullwidth forms and the GB 2312 hanzi, outlines converted by
``credits/fonts/build.py``). A character outside it (a rare hanzi in a name) is taken from the system's Noto
Sans CJK SC (``settings.PDF_CJK_FONT``, fonts-noto-cjk) by subsetting it at run time with fontTools; without that
font such a character falls back to the reader-provided CID font STSong-Light (not embedded).
``pdf_markup`` escapes text for reportlab paragraphs and marks those characters with the fallback font.
"""

import functools
import hashlib
import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings

FONT = "BianxueSansSC"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "BianxueSansSC.ttf"
CID_FALLBACK = "STSong-Light"
NOTO_SC_INDEX = 2  # Noto Sans CJK SC in NotoSansCJK-Regular.ttc (JP, KR, SC, TC, HK)


def pdf_font() -> str:
    """Register the shipped font with reportlab (once) and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))
    return FONT


@functools.cache
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(FONT_PATH))["cmap"].getBestCmap())


def pdf_missing(text: str) -> set[str]:
    """Characters of ``text`` the shipped font has no glyph for (line breaks and tabs are not drawn)."""
    return {ch for ch in text if ord(ch) not in _covered() and ch not in "\n\r\t"}


@functools.lru_cache(maxsize=16)
def _noto_subset(chars: str, name: str) -> bytes | None:
    """A TrueType subset of the system Noto Sans CJK SC with ``chars`` (None when that font is absent)."""
    source = Path(getattr(settings, "PDF_CJK_FONT", ""))
    if not source.is_file():
        return None
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from .fonts.build import cff_to_truetype

    font = TTFont(str(source), fontNumber=NOTO_SC_INDEX if source.suffix == ".ttc" else -1)
    options = subset.Options()
    options.layout_features, options.name_IDs, options.notdef_outline, options.hinting = [], ["*"], True, False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    if "CFF " in font:
        cff_to_truetype(font)
    for record in font["name"].names:  # reportlab keys embedded fonts by PostScript name: not the shipped font's
        if record.nameID in (1, 4, 6):
            record.string = name
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def pdf_fallback_font(texts: list[str]) -> str | None:
    """Register a font for the characters of ``texts`` the shipped font lacks; its name, or None if none lack."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    missing = "".join(sorted(set().union(*(pdf_missing(t) for t in texts)))) if texts else ""
    if not missing:
        return None
    name = "BianxueExtra" + hashlib.sha256(missing.encode()).hexdigest()[:12]
    data = _noto_subset(missing, name)
    if data is None:
        if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
        return CID_FALLBACK
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    return name


def pdf_markup(text: str, fallback: str | None = None) -> str:
    """``text`` escaped for a reportlab Paragraph; characters the shipped font lacks set in ``fallback``."""
    if not fallback:
        return escape(text)
    missing = pdf_missing(text)
    out = []
    for ch in text:
        out.append(f'<font name="{fallback}">{escape(ch)}</font>' if ch in missing else escape(ch))
    return "".join(out)
