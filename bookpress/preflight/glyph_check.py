"""A print PDF -> every character code its pages draw, checked against the glyphs of the font embedded for it.

"Embedded" is not enough: a font can be embedded and still lack the glyph a code asks
for, and then a viewer or the printer's RIP draws a box or nothing. This reads the
content streams as a RIP would (the Tf font, then each code of Tj/TJ/'/"), and looks
each code up in the embedded font program's own cmap (simple TrueType fonts) or takes
it as the glyph index (Identity-encoded CID fonts). A code is drawn right when it
reaches a glyph other than .notdef that has an outline, or that reads (ToUnicode) as a
space or an invisible character; a glyph with no outline for a visible character (the
"null" glyph a font maps U+0000 to, where reportlab puts characters a font lacks) is
as wrong as a box.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterator

import pikepdf
from fontTools.ttLib import TTFont, TTLibError

SHOW = {"Tj", "TJ", "'", '"'}
# reportlab's subsets leave the font's creation date at zero, which fontTools remarks on: not our finding.
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)


@dataclass
class _FontGlyphs:
    """What one PDF font can draw: codes -> present or not, and what each code reads as."""

    name: str
    two_byte: bool
    has: dict[int, bool] = field(default_factory=dict)
    lookup: object = None  # code -> drawn with a real glyph

    def present(self, code: int) -> bool:
        if code not in self.has:
            self.has[code] = bool(self.lookup(code)) if self.lookup else False
        return self.has[code]


def _program(font: pikepdf.Dictionary) -> tuple[pikepdf.Dictionary, bytes | None]:
    descendant = font.DescendantFonts[0] if font.get("/Subtype") == pikepdf.Name.Type0 else font
    descriptor = descendant.get("/FontDescriptor")
    stream = descriptor.get("/FontFile2") if descriptor is not None else None
    return descendant, (stream.read_bytes() if stream is not None else None)


def _glyphs_of(font: pikepdf.Dictionary) -> _FontGlyphs | None:
    """None for fonts this check cannot read (Type 1, Type 3, CFF): 'embedded' is all that is checked there."""
    descendant, data = _program(font)
    if data is None:
        return None
    try:
        program = TTFont(io.BytesIO(data), lazy=True)
        tables = {(t.platformID, t.platEncID): t.cmap for t in program["cmap"].tables} if "cmap" in program else {}
        order = program.getGlyphOrder()
        glyf = program["glyf"]
    except (TTLibError, KeyError, AssertionError, ValueError, IndexError):
        return None
    name = str(font.get("/BaseFont", "?")).lstrip("/")
    texts = to_unicode(font)

    def drawn(glyph: str | None, code: int) -> bool:
        if glyph is None or glyph == order[0]:
            return False  # .notdef: a box
        text = texts.get(code)
        if text is not None and (not text or all(c.isspace() or unicodedata.category(c) in ("Cf", "Mn") for c in text)):
            return True  # a space or an invisible character needs no outline
        if text == "\x00":
            return False
        try:
            return glyf[glyph].numberOfContours != 0
        except KeyError:
            return False

    if font.get("/Subtype") == pikepdf.Name.Type0:
        # Identity-H with an identity CIDToGIDMap: the code is the glyph index.
        return _FontGlyphs(name, True, lookup=lambda code: code < len(order) and drawn(order[code], code))
    cmap = tables.get((3, 0)) or tables.get((1, 0)) or tables.get((3, 1)) or {}
    return _FontGlyphs(name, False, lookup=lambda code: drawn(cmap.get(code, cmap.get(0xF000 + code)), code))


def _codes(operands, two_byte: bool) -> Iterator[int]:
    for operand in operands:
        if isinstance(operand, pikepdf.String):
            data = bytes(operand)
            if two_byte:
                yield from (int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2))
            else:
                yield from data
        elif isinstance(operand, pikepdf.Array):
            yield from _codes(list(operand), two_byte)


def missing_glyphs(pdf: pikepdf.Pdf) -> Iterator[tuple[int, str, int, str]]:
    """(page index, font name, code, what the code reads as) for each drawn code its font has no glyph for."""
    fonts: dict[tuple[int, int], _FontGlyphs | None] = {}
    for index, page in enumerate(pdf.pages):
        resources = page.obj.get("/Resources") or {}
        font_dict = resources.get("/Font") or {}
        current: _FontGlyphs | None = None
        current_font = None
        reported: set[tuple[str, int]] = set()
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "Tf" and operands:
                current_font = font_dict.get(str(operands[0]))
                if current_font is None:
                    current = None
                    continue
                key = current_font.objgen
                if key not in fonts or key == (0, 0):
                    fonts[key] = _glyphs_of(current_font)
                current = fonts[key]
            elif op in SHOW and current is not None:
                for code in _codes(operands, current.two_byte):
                    if not current.present(code) and (current.name, code) not in reported:
                        reported.add((current.name, code))
                        yield index, current.name, code, to_unicode(current_font).get(code, "")


_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")


def to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    """code -> the text it extracts as, from the font's ToUnicode CMap (its bfchar entries)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    found: dict[int, str] = {}
    text = stream.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.DOTALL):
        for code, target in _BFCHAR.findall(block):
            try:
                found[int(code, 16)] = bytes.fromhex(target).decode("utf-16-be")
            except (ValueError, UnicodeDecodeError):
                continue
    return found
