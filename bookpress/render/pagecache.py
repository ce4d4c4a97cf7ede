"""Pages drawn by an earlier build, reused: a one-word edit redraws only the pages whose content changed.

A page's drawing is its content stream: operators that name the glyphs by the codes of the
document's font subsets, and the photos by their stand-in forms. Both are numbered here in an
order that depends only on what the whole book uses (every glyph, sorted; every photo, in
page order), never on which page came first, so an unchanged page draws to the same bytes
in every build. Those bytes are kept under a hash of the page's content (layout's `origin`,
which covers the items), its side, the book's geometry, the code table, its photos' stand-in
names and the render settings. Pages without an origin (front and back matter) and pages
with links (annotations live outside the stream) are always drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from reportlab.pdfbase import pdfmetrics

from ..book import LaidOutBook, LinkArea, Page, PlacedText
from ..fonts.pdffont import GlyphFont
from ..layout.recall import canonical, code_digest, hash_of
from ..layout.records import RecordStore
from ..options import RenderSettings
from .glyphs import glyphs_of, glyph_code


def assign_codes(doc, book: LaidOutBook) -> str:
    """Give every glyph the book draws its subset code now, in sorted order; returns a digest of the table.

    reportlab numbers a font's subset codes in order of first use; numbered up front, a word
    drawn on page 90 has the same code whether or not page 3 changed.
    """
    glyph_sets: dict[str, set] = {}  # font -> every glyph drawn in it (a word's glyphs once per tuple)
    seen: set = set()
    for page in book.pages:
        for item in page.items:
            if isinstance(item, PlacedText):
                for fragment in item.fragments:
                    key = (fragment.font, id(fragment.glyphs)) if fragment.glyphs else (fragment.font, fragment.text)
                    if key not in seen:
                        seen.add(key)  # the book holds every fragment alive: an id is not reused meanwhile
                        glyph_sets.setdefault(fragment.font, set()).update(glyphs_of(fragment))
    codes: dict[str, set[int]] = {}
    for name, glyphs in glyph_sets.items():
        font = pdfmetrics.getFont(name)
        codes[name] = {glyph_code(font, glyph) for glyph in glyphs}
    table = []
    for name in sorted(codes):
        font = pdfmetrics.getFont(name)
        ordered = sorted(codes[name], key=lambda code: _order(font, code))
        if ordered:
            for subset in {subset for subset, _ in font.splitString("".join(map(chr, ordered)), doc)}:
                font.getSubsetInternalName(subset, doc)
        table.append([name, [_order(font, code) for code in ordered]])
    return hash_of(table)


def _order(font, code: int) -> tuple:
    """A code's place that is the same in every process: a character by itself, a shaped glyph by (glyph, text)."""
    if isinstance(font, GlyphFont) and code in font.texts:
        return (1, font.face.charToGlyph[code], font.texts[code])
    return (0, code, "")


class DrawnPages:
    """The page records of one book; `drawn` and `reused` count the pages each build did which way."""

    def __init__(self, folder: Optional[Path], book: LaidOutBook, codes: str, options: RenderSettings) -> None:
        self.store = RecordStore(folder) if folder is not None else None
        self.drawn = 0
        self.reused = 0
        self._shared = None
        if self.store is not None:
            try:
                self._shared = hash_of(code_digest(), codes, canonical(book.geometry), canonical(options),
                                       book.fonts[:1])
            except TypeError:
                self.store = None

    def key(self, page: Page, forms: list[str]) -> Optional[str]:
        if self.store is None or page.origin is None or _has_links(page):
            return None
        return hash_of(self._shared, page.origin, page.side, forms)

    def get(self, key: Optional[str]) -> Optional[tuple[str, list[str]]]:
        if key is None:
            return None
        value = self.store.get(key)
        try:
            code, forms = value
            if isinstance(code, str) and all(isinstance(form, str) for form in forms):
                return code, list(forms)
        except (TypeError, ValueError):
            pass
        return None

    def put(self, key: Optional[str], code: str, forms: list[str]) -> None:
        if key is not None:
            self.store.put(key, [code, forms])


def _has_links(page: Page) -> bool:
    for item in page.items:
        if isinstance(item, LinkArea):
            return True
        if isinstance(item, PlacedText) and any(fragment.link for fragment in item.fragments):
            return True
    return False

