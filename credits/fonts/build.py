"""Build credits/fonts/BianxueSansSC.ttf, the PDF font that ships with the repository (see credits/pdf_fonts.py).

reportlab embeds TrueType outlines only, while Noto Sans CJK (Debian's fonts-noto-cjk) has CFF outlines. This
script subsets Noto Sans CJK SC to ASCII, Latin-1, general and CJK punctuation (including "·"), letterlike symbols, arrows, mathematical operators (≥), fullwidth forms
and the 6,763 hanzi of GB 2312, and converts the outlines to TrueType (fontTools' cu2qu). Other characters are
taken from the system's Noto CJK at run time.
Run: ``.venv/bin/python credits/fonts/build.py [path to NotoSansCJK-Regular.ttc]``.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC_INDEX = 2  # Noto Sans CJK SC inside the collection (JP, KR, SC, TC, HK)
OUT = Path(__file__).with_name("BianxueSansSC.ttf")


def characters() -> str:
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027), (0x2030, 0x203B), (0x2100, 0x2199), (0x2200, 0x22FF), (0x2460, 0x2473),
              (0x25A0, 0x25CF), (0x2713, 0x2718), (0x3000, 0x303F), (0xFF01, 0xFF5E), (0xFFE0, 0xFFE5)]
    chars = {chr(c) for a, b in ranges for c in range(a, b + 1)}
    for hi in range(0xB0, 0xF8):  # GB 2312 hanzi rows 16-87
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    chars |= set("·—–…“”‘’×√✓✔✘《》【】（）：；，。、？！")
    return "".join(sorted(chars))


def cff_to_truetype(font: TTFont) -> None:
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    font["maxp"] = newTable("maxp")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 2.0
    font["post"].extraNames = []
    font["post"].mapping = {}
    font["post"].glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True


def main(source: str = NOTO) -> None:
    font = TTFont(source, fontNumber=SC_INDEX)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    cff_to_truetype(font)
    font.save(OUT)
    print(f"{OUT}: {len(font.getGlyphOrder())} glyphs, {OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main(*sys.argv[1:])
