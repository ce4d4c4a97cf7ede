"""Shaped glyphs -> character codes reportlab can embed, with a text layer that reads as the text.

reportlab subsets a TrueType font by character: it writes, for each code it was given,
the glyph the font's cmap names for it. A shaped run also holds glyphs no character
names (ligatures, small capitals, joined Arabic forms). Each of those gets a private
code here (from plane 15, where no font keeps real characters) that reportlab maps to
the glyph; the ToUnicode map of each subset is then written again so that every code
extracts as the characters it was shaped from ("fi" for the fi ligature, "u" for a
small-capital u), and characters beyond the BMP are written as UTF-16 pairs.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase.ttfonts import SUBSETN, TTEncoding, TTFont, TTFontFace

PRIVATE_START = 0xF0000  # Supplementary Private Use Area-A: never a real character in a font's cmap


class GlyphFont(TTFont):
    """A reportlab TrueType font that can also be given glyphs (by index) with the text they stand for."""

    def __init__(self, name: str, path: str, subfont: int = 0, advance=None, face: TTFontFace | None = None) -> None:
        if face is None:
            super().__init__(name, path, subfontIndex=subfont, shapable=False)
        else:  # parsed already (kept between runs): what TTFont's constructor sets, around that face
            self.fontName, self.face, self.encoding = name, face, TTEncoding()
            self.state = WeakKeyDictionary()
            self._asciiReadable = rl_config.ttfAsciiReadable
            self.shapable = False
        self.advance = advance  # glyph index -> its advance in font units (HarfBuzz's, set on registering)
        self.texts: dict[int, str] = {}  # private code -> the characters it extracts as
        self._codes: dict[tuple[int, str], int] = {}  # (glyph, text) -> private code
        self._next = PRIVATE_START
        self._scale = 1000.0 / self.face.unitsPerEm

    def code(self, gid: int, text: str) -> int:
        """The code that draws glyph `gid` and extracts as `text`."""
        if len(text) == 1 and self.face.charToGlyph.get(ord(text)) == gid:
            return ord(text)  # the plain case: the character's own glyph
        key = (gid, text)
        code = self._codes.get(key)
        if code is None:
            code = self._codes[key] = self._next
            self._next += 1
            self.face.charToGlyph[code] = gid
            self.face.charWidths[code] = self.advance(gid) * self._scale
            self.texts[code] = text
        return code

    def addObjects(self, doc) -> None:  # noqa: N802 (reportlab's name)
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)
        for number, subset in enumerate(subsets):
            if not any(code in self.texts or code > 0xFFFF for code in subset):
                continue  # reportlab's own map is right for plain BMP characters
            base = b"".join((SUBSETN(number), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = to_unicode_cmap(base, [self.texts.get(code, chr(code)) for code in subset])


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(name: str, texts: list[str]) -> str:
    """A ToUnicode CMap for one subset: code i extracts as texts[i] (nothing, for an empty text)."""
    entries = [f"<{code:02X}> <{_utf16(text)}>" for code, text in enumerate(texts) if text]
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
             f"/CMapName /{name} def", "/CMapType 2 def",
             "1 begincodespacerange", f"<00> <{max(len(texts) - 1, 0):02X}>", "endcodespacerange"]
    for start in range(0, len(entries), 100):  # a bfchar block holds at most 100 entries
        chunk = entries[start:start + 100]
        lines += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)
