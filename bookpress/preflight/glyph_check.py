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

import array
import hashlib
import io
import logging
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Iterator

import pikepdf
from fontTools.ttLib import TTFont, TTLibError

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


# A font selection, or a literal string (PDF escapes: \\n, \\(, \\ddd ...), in a content stream's order: one
# pattern, so that text inside a string that looks like a font selection is read as the string it is. The
# string is matched as runs of plain bytes between escapes (each a backslash and one byte; the unescaping
# reads the rest of an octal one): a pattern that also took a run as a choice would backtrack without end
# on a string that is never closed.
_TOKENS = re.compile(rb"(/[^\s/\[\]()<>{}%]+)\s+[-+\d.]+\s+Tf\b|\(([^\\)]*(?:\\.[^\\)]*)*)\)", re.DOTALL)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
_NAMED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescaped(raw: bytes) -> bytes:
    def one(match: re.Match) -> bytes:
        what = match.group(1)
        if what[:1].isdigit():
            return bytes([int(what, 8) & 0xFF])
        return _NAMED.get(what, b"" if what in b"\r\n" else what)

    return _ESCAPE.sub(one, raw) if b"\\" in raw else raw


def _streams(page: pikepdf.Page) -> list[bytes]:
    contents = page.obj.get("/Contents")
    if contents is None:
        return []
    return [stream.read_bytes() for stream in (list(contents) if isinstance(contents, pikepdf.Array) else [contents])]


def _drawn(page: pikepdf.Page, streams: list[bytes] | None = None) -> dict[str, list[bytes]]:
    """Font resource name -> the strings the page shows in it (as written: escapes not yet read).

    Read from the content stream's bytes with a tokenizer for what bookpress writes (Tf, then
    literal strings in Tj and TJ): parsing every operator into objects took longer than the rest
    of preflight together on a text-heavy book, so the strings are only collected here, and their
    codes read once per font and page (_codes).
    """
    runs: dict[bytes, list[bytes]] = {}
    for data in _streams(page) if streams is None else streams:
        shown = None  # the strings of the font in use; none before the first Tf
        for selection, string in _TOKENS.findall(data):
            if selection:
                shown = runs.setdefault(selection, [])
            elif shown is not None:
                shown.append(string)
    return {font.decode("latin-1"): strings for font, strings in runs.items() if strings}


def _codes(strings: list[bytes], two_byte: bool) -> set[int]:
    """The codes that strings written in a content stream show, one byte each or two (big-endian)."""
    if not two_byte:  # an escape never reaches past the end of its string: the strings can be run together
        return set(_unescaped(b"".join(strings)))
    shown = [string if b"\\" not in string else _unescaped(string) for string in strings]
    if any(len(string) & 1 for string in shown):  # a stray last byte is no code; it must not shift the next
        shown = [string[:len(string) & ~1] for string in shown]
    codes = array.array("H", b"".join(shown))  # in C: a text-heavy book shows some 100,000 strings
    if sys.byteorder == "little":
        codes.byteswap()
    return set(codes)


class CheckedPages:
    """Pages found to draw every code with a glyph, known by a hash of all that decides it: the page's content
    streams, and the programs and ToUnicode maps of the fonts its resources name. After an edit most pages
    are drawn as they were, with the same font subsets, and are not read again; a page whose hash is new is.

    `before`: the hashes a check of an earlier build found clean; `now`: those this check found clean.
    """

    def __init__(self, before=()) -> None:
        self.before = set(before)
        self.now: set[str] = set()
        self.skipped = 0


def missing_glyphs(pdf: pikepdf.Pdf, checked: CheckedPages | None = None) -> Iterator[tuple[int, str, int, str]]:
    """(page index, font name, code, what the code reads as) for each drawn code its font has no glyph for."""
    fonts: dict[tuple[int, int], _FontGlyphs | None] = {}
    font_hashes: dict[tuple[int, int], bytes] = {}
    for index, page in enumerate(pdf.pages):
        font_dict = (page.obj.get("/Resources") or {}).get("/Font") or {}
        streams = _streams(page)
        key = _page_hash(streams, font_dict, font_hashes) if checked is not None else None
        if key is not None and key in checked.before:
            checked.now.add(key)
            checked.skipped += 1
            continue
        clean = True
        for name, strings in _drawn(page, streams).items():
            font = font_dict.get(name)
            if font is None:
                continue
            font_key = font.objgen
            if font_key not in fonts or font_key == (0, 0):
                fonts[font_key] = _glyphs_of(font)
            glyphs = fonts[font_key]
            if glyphs is None:
                continue
            for code in sorted(_codes(strings, glyphs.two_byte)):
                if not glyphs.present(code):
                    clean = False
                    yield index, glyphs.name, code, to_unicode(font).get(code, "")
        if key is not None and clean:
            checked.now.add(key)


def _page_hash(streams: list[bytes], font_dict, known: dict[tuple[int, int], bytes]) -> str | None:
    h = hashlib.blake2b(digest_size=16)
    for data in streams:
        h.update(len(data).to_bytes(8, "big") + data)
    for name in sorted(font_dict.keys()):
        font = font_dict[name]
        if font.objgen == (0, 0):  # a direct object: no identity to remember it by (bookpress writes none)
            return None
        if font.objgen not in known:
            known[font.objgen] = _font_hash(font)
        h.update(name.encode("latin-1") + known[font.objgen])
    return h.hexdigest()


def _font_hash(font: pikepdf.Dictionary) -> bytes:
    """What decides whether a code finds its glyph in this font: its kind, its program and its ToUnicode map."""
    h = hashlib.blake2b(digest_size=16)
    descendant, program = _program(font)
    h.update(str(font.get("/Subtype")).encode() + str(descendant.get("/CIDToGIDMap", "")).encode())
    h.update(program or b"")
    unicode_map = font.get("/ToUnicode")
    h.update(unicode_map.read_bytes() if unicode_map is not None else b"")
    return h.digest()


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
