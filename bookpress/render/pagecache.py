"""Pages drawn by an earlier build, reused: a one-word edit redraws only the pages whose content changed.

A page's drawing is its content stream: operators that name the glyphs by the codes of the
document's font subsets, and the photos by their stand-in forms. Both are numbered here from
the whole book, never by which page came first (the glyphs by CodeTable, the photos in page
order), so an unchanged page draws to the same bytes in the next build. Those bytes are kept, deflated
(reportlab then writes them as they are, instead of deflating a reused page again every build),
under two keys. The first is cheap: layout's `origin` (the inputs its chapter was laid out from,
and its place there), the page's side, the codes of the glyphs on it, its photos' stand-in names,
the book's geometry, fonts and render settings. A page it misses (its chapter was edited, or it is
front or back matter, which has no origin) is looked up by the second: what it draws, item by
item, each run of glyphs by its codes and offsets. A one-word edit thus redraws the page it is on,
not its whole chapter, nor the contents and credits pages when their text is the same. Pages with
links are always drawn where links are made (their annotations live outside the stream); in PDF/X,
which has none, they are kept like any other.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import struct
import zlib
from pathlib import Path
from typing import Optional

from reportlab.pdfbase import pdfmetrics

from ..book import Fragment, LaidOutBook, LinkArea, Page, PlacedText
from ..fonts.pdffont import PRIVATE_START, GlyphFont
from ..layout.records import RecordStore, canonical, code_digest, hash_of
from ..options import RenderSettings
from .glyphs import glyphs_of, glyph_code


TABLE_FORMAT = 1
_NO_LINK = "\1"  # stands for no link in a drawing (no link is this character)
STREAM_KIND = "deflated"  # a record holds the page's whole content stream, deflated, in base64
STALE_SHARE = 4  # the kept table starts afresh when more than 1/STALE_SHARE of its glyphs are no longer drawn


class CodeTable:
    """Every glyph the book draws given its subset code up front, and each page's codes summed up in a signature.

    reportlab numbers a font's codes in order of first use; numbered here instead, a word on page
    90 has the same code whether or not page 3 changed. The order is kept in the cache between
    builds and only appended to, so a glyph that a one-word edit brings in (or takes out) changes
    no other glyph's code; without a cache (or once it holds too many glyphs no longer used) the
    glyphs are numbered in sorted order. A page's signature lists the code of every glyph on it, so
    a page drawn under any numbering is reused only where its glyphs have the same codes.
    """

    def __init__(self, doc, book: LaidOutBook, store: Optional[RecordStore] = None, scope: str = "") -> None:
        runs: dict[tuple, tuple] = {}  # run key -> (font, glyphs): each distinct shaped word once
        self.page_runs: dict[int, set] = {}
        for page in book.pages:
            # A comprehension: a long book's pages hold some hundred thousand fragments.
            on_page = {(f.font, id(f.glyphs)) if f.glyphs else (f.font, f.text): f
                       for item in page.items if type(item) is PlacedText for f in item.fragments}
            self.page_runs[page.index] = set(on_page)
            for key, fragment in on_page.items():
                if key not in runs:  # the book holds every fragment alive: an id is not reused meanwhile
                    runs[key] = (fragment.font, glyphs_of(fragment))
        glyph_sets: dict[str, set] = {}
        for name, glyphs in runs.values():
            glyph_sets.setdefault(name, set()).update(glyphs)
        used: dict[str, dict[tuple, int]] = {}  # font -> {order key: code}
        for name, glyphs in glyph_sets.items():
            font = pdfmetrics.getFont(name)
            codes = {glyph_code(font, glyph) for glyph in glyphs}
            used[name] = {_order(font, code): code for code in codes}
        table_key = hash_of("code-table", TABLE_FORMAT, scope)
        kept = _kept_table(store.get(table_key) if store is not None else None)
        table: dict[str, list] = {}
        for name in sorted(used):
            font = pdfmetrics.getFont(name)
            now = used[name]
            before = [key for key in kept.get(name, []) if _valid(font, key)]
            if len(before) - len(set(before) & set(now)) > len(now) // STALE_SHARE:
                before = []  # mostly glyphs no longer drawn: numbered afresh
            known = set(before)
            order = before + sorted(key for key in now if key not in known)
            table[name] = order
            font.splitString("".join(chr(_code_of(font, key, now)) for key in order), doc)
            state = font.state[doc]
            for subset in range(len(state.subsets)):
                font.getSubsetInternalName(subset, doc)
        if store is not None and table != kept:
            store.put(table_key, [[name, [list(key) for key in order]] for name, order in table.items()])
        self.fonts = sorted((name, pdfmetrics.getFont(name).state[doc].internalName) for name in used)
        # Each distinct glyph's code as it is written in a signature, looked up once here: a long book's
        # signatures name some hundred thousand glyphs, each a code lookup in Python before.
        self._written: dict[str, dict] = {}
        for name, glyphs in glyph_sets.items():
            font = pdfmetrics.getFont(name)
            assignments = font.state[doc].assignments
            self._written[name] = {glyph: str(assignments.get(glyph_code(font, glyph), -1)) for glyph in glyphs}
        self._runs = runs
        self._signatures: dict[tuple, str] = {}
        self._drawings: dict[tuple, str] = {}

    def signature(self, page: Page) -> str:
        """The codes of every glyph the page draws, hashed (the same for the same codes in any build)."""
        # One line per run (a run's codes hold no line break), hashed as they are: JSON-encoding some
        # hundred runs per page for hash_of cost more than the rest of the lookup.
        runs = "\n".join(sorted(self._run_codes(key) for key in self.page_runs.get(page.index, ())))
        return hashlib.blake2b(runs.encode(), digest_size=16).hexdigest()

    def drawing(self, page: Page) -> str:
        """What the page draws, hashed: each line's place, colour and fragments, each fragment's run of
        glyphs by their codes and offsets, and every other item as it is (a photo, a rule, a box).

        The numbers go in as packed doubles and the strings NUL-separated, each line with its counts:
        two pages hash the same exactly when they draw the same. Written out as text (repr), a page's
        thousand numbers cost as much as drawing the page."""
        digest = hashlib.blake2b(digest_size=16)
        for item in page.items:
            if type(item) is PlacedText:
                numbers = [item.x, item.baseline, item.angle, *item.color]
                names = [item.role]
                for f in item.fragments:
                    numbers += (f.x, f.size, f.width, f.tracking)
                    names += (f.font, _NO_LINK if f.link is None else f.link, self._run_drawing(f))
                text = "\0".join(names).encode()
                digest.update(b"t%d,%d," % (len(numbers), len(text)))
                digest.update(struct.pack(f"<{len(numbers)}d", *numbers))
                digest.update(text)
            else:
                text = repr(item).encode()
                digest.update(b"o%d," % len(text))
                digest.update(text)
        return digest.hexdigest()

    def _run_codes(self, key: tuple) -> str:
        found = self._signatures.get(key)
        if found is None:
            name, glyphs = self._runs[key]
            found = self._signatures[key] = name + ":" + ",".join(map(self._written[name].__getitem__, glyphs))
        return found

    def _run_drawing(self, fragment: Fragment) -> str:
        key = (fragment.font, id(fragment.glyphs)) if fragment.glyphs else (fragment.font, fragment.text)
        found = self._drawings.get(key)
        if found is None:  # once per distinct run (a word), however often the book sets it
            _, glyphs = self._runs[key]
            offsets = [value for glyph in glyphs for value in (glyph.advance, glyph.dx, glyph.dy)]
            found = self._drawings[key] = self._run_codes(key) + ":" + struct.pack(f"<{len(offsets)}d",
                                                                                    *offsets).hex()
        return found


def _kept_table(value) -> dict[str, list[tuple]]:
    """The table kept by the last build: {font: [order key, ...]}, or {} if it is not one."""
    table: dict[str, list[tuple]] = {}
    try:
        for name, keys in value:
            table[str(name)] = [(int(kind), int(a), str(b)) for kind, a, b in keys]
    except (TypeError, ValueError):
        return {}
    return table


def _valid(font, key: tuple) -> bool:
    kind, value, text = key
    if kind == 0:
        return value < PRIVATE_START and value in font.face.charToGlyph
    return kind == 1 and isinstance(font, GlyphFont) and 0 <= value < font.face.numGlyphs and bool(text)


def _code_of(font, key: tuple, now: dict[tuple, int]) -> int:
    """The character code of an order key: the character, or the private code of (glyph, text)."""
    if key in now:
        return now[key]
    kind, value, text = key
    return value if kind == 0 else font.code(value, text)


def _order(font, code: int) -> tuple:
    """A code's place that is the same in every process: a character by itself, a shaped glyph by (glyph, text)."""
    if isinstance(font, GlyphFont) and code in font.texts:
        return (1, font.face.charToGlyph[code], font.texts[code])
    return (0, code, "")


class DrawnPages:
    """The page records of one book; `drawn` and `reused` count the pages each build did which way."""

    def __init__(self, folder: Optional[Path], doc, book: LaidOutBook, options: RenderSettings) -> None:
        self.store = RecordStore(folder) if folder is not None else None
        self.drawn = 0
        self.reused = 0
        self.links = options.links  # without annotations (PDF/X), a page's links draw nothing: it can be kept
        self._shared = None
        scope = None
        if self.store is not None:
            try:
                scope = hash_of(code_digest(), canonical(book.geometry), canonical(options), _font_files(book))
            except (TypeError, OSError):
                self.store = None
        self.codes = CodeTable(doc, book, self.store, scope or "")
        if self.store is not None:
            self._shared = hash_of(scope, self.codes.fonts)

    def key(self, page: Page, forms: list[str]) -> Optional[str]:
        """The page's key by where layout made it (None where it has no origin, or cannot be kept)."""
        if self.store is None or page.origin is None or (self.links and _has_links(page)):
            return None
        return hash_of(self._shared, page.origin, page.side, forms, self.codes.signature(page))

    def drawing_key(self, page: Page, forms: list[str]) -> Optional[str]:
        """The page's key by what it draws (None where it cannot be kept)."""
        if self.store is None or (self.links and _has_links(page)):
            return None
        return hash_of(self._shared, "drawing", page.kind, page.section, page.side, forms, self.codes.drawing(page))

    def get(self, key: Optional[str]) -> Optional[tuple[bytes, list[str]]]:
        """The page's deflated content stream and the stand-in forms it draws, as kept, or None."""
        if key is None:
            return None
        value = self.store.get(key)
        try:
            kind, code, forms = value
            if kind == STREAM_KIND and isinstance(code, str) and all(isinstance(form, str) for form in forms):
                deflated = base64.b64decode(code, validate=True)
                zlib.decompressobj().decompress(deflated, 1)  # a stream that does not even start to inflate
                return deflated, list(forms)
        except (TypeError, ValueError, binascii.Error, zlib.error):
            pass
        return None

    def put(self, key: Optional[str], deflated: bytes, forms: list[str]) -> None:
        if key is not None:
            self.store.put(key, [STREAM_KIND, base64.b64encode(deflated).decode("ascii"), forms])


def _font_files(book: LaidOutBook) -> list:
    """Each font the book is set in, by its registered name, file, size and time (a font changed on disk
    draws other outlines, or advances, under the same codes)."""
    files = []
    for name in book.fonts:
        path = pdfmetrics.getFont(name).face.filename
        info = os.stat(path)
        files.append([name, str(path), info.st_size, info.st_mtime_ns])
    return files


def _has_links(page: Page) -> bool:
    for item in page.items:
        if isinstance(item, LinkArea):
            return True
        if isinstance(item, PlacedText) and any(fragment.link for fragment in item.fragments):
            return True
    return False

