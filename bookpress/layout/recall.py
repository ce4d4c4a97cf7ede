"""Chapters laid out by an earlier build, recalled from the cache: a one-word edit lays out one chapter again.

A chapter's pages depend only on the chapter itself, its number (its label), and what every
chapter shares (style, format and margins, fonts, templates, words, printer, the authors'
focus points, bookpress's own code); never on where it starts, since every chapter starts on
a recto of its own. So they are kept under a hash of exactly those, relative to the
chapter's first page: a chapter whose inputs are unchanged is read back, whatever moved
before it, and page numbers, running heads and the contents are set afterwards (finalize)
as always. A chapter that had an error, reached for a system font, or holds a link to a
page is never kept. The problems a chapter reported (a missing face, told once per book)
are kept with it and told again, once, as a fresh layout would.
"""

from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional

from ..book import LinkArea, PlacedBox, PlacedImage, PlacedRule, PlacedText
from ..diagnostics import Diagnostic, PageRef, Severity
from ..geometry import Rect
from ..load.probecache import file_state
from ..model import Chapter, ImageInfo, Photo, SourceRef
from ..options import PARAGRAPH_RECORDS
from .paragraphs import ParagraphMemo
from .records import RecordStore, canonical, code_digest, hash_of
from .stream import PageDraft
from .wordtable import WordTable, faces_of, fragment_of, words_of

if TYPE_CHECKING:
    from .context import LayoutContext

BodyBuilder = Any  # body.py's builder (it imports this module)

FORMAT = 1  # of the records below: a new one never reads an old one


def fonts_digest(ctx: LayoutContext) -> str:
    """Every font the book may be set in, known by its file's state (size, times, inode) as the photos are:
    hashing the bundled families' 14 MB cost ~6 ms of every rebuild, and a font replaced on disk changes
    its ctime whatever its bytes."""
    h = hashlib.blake2b(digest_size=16)
    for name in sorted({str(face.path) for face in ctx.fonts.faces.values()}):
        h.update(name.encode())
        h.update(repr(file_state(Path(name).stat())).encode())
    return h.hexdigest()


class ChapterMemory:
    """The chapter records of one book; `laid` and `recalled` list the chapter numbers each build did which way."""

    def __init__(self, folder: Path, keep: bool = True) -> None:
        # keep=False: records are read, none written (a manuscript with errors makes no book to keep them for)
        self.keep = keep
        self.store = RecordStore(folder)
        self.paragraph_store = RecordStore(Path(folder) / PARAGRAPH_RECORDS)  # the lines of each chapter's paragraphs
        self.laid: list[int] = []
        self.recalled: list[int] = []
        # Of the paragraphs of the chapters laid out again: those read back as last set, and those set again.
        self.paragraphs_recalled = self.paragraphs_set = 0
        self._shared: Optional[tuple[LayoutContext, Optional[str]]] = None

    def shared_key(self, ctx: LayoutContext, focus: dict) -> Optional[str]:
        """What every chapter's layout depends on, hashed; None when some of it has no plain form (not kept)."""
        m = ctx.manuscript
        try:
            return hash_of(FORMAT, code_digest(), fonts_digest(ctx), canonical(
                [m.meta, m.format, m.style, m.print, m.words, m.unprintable, ctx.preset, ctx.templates,
                 ctx.geometry, sorted(focus.items())]))
        except (TypeError, OSError):
            return None

    # -- one chapter -----------------------------------------------------------------------
    def lay_out(self, builder: BodyBuilder, chapter: Chapter, number: int) -> None:
        """Recall the chapter's pages, or lay them out (and keep them)."""
        ctx = builder.ctx
        if self._shared is None or self._shared[0] is not ctx:  # once per layout pass
            self._shared = (ctx, self.shared_key(ctx, builder.photo_pages.focus))
        shared = self._shared[1]
        key = None
        if shared is not None:
            try:
                key = hash_of(shared, number, canonical(chapter))
            except TypeError:
                key = None
        if key is not None:
            with gc_paused():
                record = self.store.get(key)
                if record is not None and self._replay(builder, chapter, record, key):
                    self.recalled.append(number)
                    return
        self.laid.append(number)
        with self.paragraphs_of(ctx, number):
            record, pages = self._lay_out_recorded(builder, chapter, number)
        if key is not None and record is not None:
            if self.keep:
                with gc_paused():
                    self.store.put(key, record)
            _mark_origin(pages, key)

    @contextmanager
    def paragraphs_of(self, ctx: LayoutContext, part: int | str) -> Iterator[None]:
        """Within this block, `ctx` sets each paragraph of `part` (a chapter's number, or "matter": the front
        and back matter, running heads and folios) as the last build set it, when its inputs are the same."""
        # A chapter's layout pass has hashed what all share already; the matter's lines do not depend on focus.
        shared = self._shared[1] if self._shared is not None and self._shared[0] is ctx else self.shared_key(ctx, {})
        if shared is None or ctx.paragraphs is not None:  # no plain form, or already recalling (nested)
            yield
            return
        key = hash_of(shared, "paragraphs", part)
        with gc_paused():
            ctx.paragraphs = ParagraphMemo(ctx.fonts, self.paragraph_store.get(key))
        try:
            yield
        finally:
            memo, ctx.paragraphs = ctx.paragraphs, None
        self.paragraphs_recalled += memo.recalled
        self.paragraphs_set += memo.set_afresh
        if not self.keep:
            return
        with gc_paused():
            self.paragraph_store.put(key, memo.record())

    def _lay_out_recorded(self, builder: BodyBuilder, chapter: Chapter, number: int
                          ) -> tuple[Optional[dict], list[PageDraft]]:
        ctx, stream = builder.ctx, builder.stream
        book_reported, ctx.reported = ctx.reported, set()
        ctx.once_log = {}
        marks = (len(builder.outline), len(builder.notes), len(ctx.diag.items))
        # The chapter's own pages begin after the blank that brings it onto a recto, if it needs one.
        start, padded = len(stream.pages), stream.next_side != "recto"
        base = start + padded
        try:
            builder.chapter_filling_its_pages(chapter, number)
        finally:
            once, ctx.once_log, ctx.reported = ctx.once_log, None, book_reported
        told = [(once.get(id(d)), d) for d in ctx.diag.items[marks[2]:]]
        del ctx.diag.items[marks[2]:]
        _tell(ctx, told)
        pages = stream.pages[base:]
        clean = ((not padded or (len(stream.pages) > start and stream.pages[start].kind == "blank"))
                 and builder.pending_title is None and not builder.flow.floats and builder.flow.page is None
                 and not any(d.severity is Severity.ERROR for _, d in told)
                 and not any(isinstance(i, LinkArea) and i.page_index is not None for p in pages for i in p.items))
        if not clean:
            return None, pages
        try:
            return _Encoder(ctx.fonts).chapter(pages, [(t, i - base, lv) for t, i, lv in builder.outline[marks[0]:]],
                                               [(i - base, d) for i, d in builder.notes[marks[1]:]], told), pages
        except (TypeError, ValueError):
            return None, pages

    def _replay(self, builder: BodyBuilder, chapter: Chapter, record: Any, key: str) -> bool:
        if builder.pending_title is not None:  # the chapter before left its title for a page yet to come
            return False
        try:
            pages, outline, notes, told, faces = _decode(record)
            # Each font the pages are set in, registered as layout would have (drawing needs it).
            if any(builder.ctx.fonts.face(family, style) != name for name, family, style in faces):
                return False
        except Exception:  # noqa: BLE001 - a record of the right hash and the wrong shape: laid out afresh
            self.store.damaged += 1
            return False
        flow = builder.flow
        flow.flush_floats()
        flow.chapter = chapter.title
        builder.stream.ensure_side("recto", chapter.title)
        base = len(builder.stream.pages)
        builder.stream.pages.extend(pages)
        _mark_origin(pages, key)
        builder.outline.extend((title, base + index, level) for title, index, level in outline)
        builder.notes.extend((base + index, note) for index, note in notes)
        _tell(builder.ctx, told)
        flow.close()
        return True


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cycle collector held off while a record is read or written: it makes and drops only plain
    objects, by the hundred thousand, and the collector walking them all again and again took 2/3 of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _mark_origin(pages: list[PageDraft], key: str) -> None:
    """Each page of a kept chapter is known by the record and its place in it (drawing reuses it by that)."""
    for index, page in enumerate(pages):
        page.origin = f"{key}/{index}"


def _tell(ctx: LayoutContext, told: list[tuple[Optional[tuple], Diagnostic]]) -> None:
    """A chapter's problems into the book's: those told once per book only if no chapter before told them."""
    for key, diagnostic in told:
        if key is not None:
            key = tuple(key)
            if key in ctx.reported:
                continue
            ctx.reported.add(key)
        ctx.diag.items.append(diagnostic)


# -- records: plain lists of numbers and strings, with tables for what repeats ----------------------------------
class _Encoder:
    def __init__(self, fonts) -> None:
        self.words = WordTable(fonts)
        self.tables: dict[str, dict] = {"sources": {}, "photos": {}}

    def _index(self, table: str, value, encoded) -> int:
        found = self.tables[table]
        if value not in found:
            found[value] = (len(found), encoded() if callable(encoded) else encoded)
        return found[value][0]

    def source(self, ref: Optional[SourceRef]) -> Optional[int]:
        if ref is None:
            return None
        return self._index("sources", ref, lambda: [ref.file, ref.line, ref.column])

    def photo(self, photo: Photo) -> int:
        def encoded():
            # By field name, so that a field added to ImageInfo or Photo is kept (or the record refused)
            # rather than shifting every value after it.
            image = _fields_of(photo.image)
            image["path"] = str(photo.image.path)
            fields_ = _fields_of(photo)
            fields_["image"], fields_["source"] = image, self.source(photo.source)
            return fields_
        return self._index("photos", photo, encoded)

    def item(self, item) -> list:
        if isinstance(item, PlacedText):
            return ["t", item.x, item.baseline, [self.words.fragment(f) for f in item.fragments], list(item.color),
                    item.role, item.angle, self.source(item.source)]
        if isinstance(item, PlacedImage):
            return ["i", self.photo(item.photo), _rect(item.rect), list(item.crop), _rect(item.frame), item.bleeds]
        if isinstance(item, PlacedRule):
            return ["r", item.x1, item.y1, item.x2, item.y2, item.width, list(item.color)]
        if isinstance(item, PlacedBox):
            return ["b", _rect(item.rect), list(item.color)]
        if isinstance(item, LinkArea):
            return ["l", _rect(item.rect), item.page_index, item.url]
        raise TypeError(f"no record for {type(item).__name__}")

    def chapter(self, pages: list[PageDraft], outline, notes, told) -> dict:
        drafts = [[p.kind, p.side, p.chapter, p.folio, p.running_head, self.source(p.source), p.cursor, p.bottom,
                   p.top, [self.item(i) for i in p.items]] for p in pages]
        return {"pages": drafts, "outline": [list(entry) for entry in outline],
                "notes": [[index, _diagnostic(note)] for index, note in notes],
                "told": [[None if key is None else list(key), _diagnostic(d)] for key, d in told],
                **{name: [encoded for _, encoded in sorted(table.values(), key=lambda e: e[0])]
                   for name, table in self.tables.items()},
                **self.words.tables()}


def _fields_of(value: Any) -> dict:
    """A flat dataclass's fields by name, tuples as JSON lists."""
    return {f.name: list(v) if isinstance(v := getattr(value, f.name), tuple) else v for f in fields(value)}


def _tuples(values: dict) -> dict:
    """JSON lists back to the tuples the frozen dataclasses hold."""
    return {name: tuple(v) if isinstance(v, list) else v for name, v in values.items()}


def _rect(rect: Rect) -> list:
    return [rect.x, rect.y, rect.width, rect.height]


def _diagnostic(d: Diagnostic) -> list:
    page = None if d.page is None else [d.page.index, d.page.label]
    return [d.severity.value, d.message, d.file, d.line, d.column, d.hint, page, d.check]


def _undiagnostic(v: list) -> Diagnostic:
    severity, message, file, line, column, hint, page, check = v
    return Diagnostic(Severity(severity), message, file, line, column, hint,
                      None if page is None else PageRef(int(page[0]), str(page[1])), check)


def _decode(record: dict):
    sources = [SourceRef(str(file), int(line), int(column)) for file, line, column in record["sources"]]
    words = words_of(record)

    def source(index):
        return None if index is None else sources[index]

    photos = []
    for fields_ in record["photos"]:
        image = dict(fields_["image"], path=Path(fields_["image"]["path"]))
        photo = dict(fields_, image=ImageInfo(**_tuples(image)), source=source(fields_["source"]))
        photos.append(Photo(**_tuples(photo)))

    def rect(v):
        return Rect(*v)

    def item(v):
        tag = v[0]
        if tag == "t":
            frags = tuple(fragment_of(x, words[word]) for x, word in v[3])
            # Made as fragment_of makes a Fragment, without the frozen dataclass's field-by-field __init__ (which
            # checks nothing either): a long book's record holds its lines by the ten thousand.
            line = object.__new__(PlacedText)
            line.__dict__.update(x=v[1], baseline=v[2], fragments=frags, color=tuple(v[4]), role=v[5], angle=v[6],
                                 source=source(v[7]))
            return line
        if tag == "i":
            return PlacedImage(photos[v[1]], rect(v[2]), tuple(v[3]), rect(v[4]), v[5])
        if tag == "r":
            return PlacedRule(v[1], v[2], v[3], v[4], v[5], tuple(v[6]))
        if tag == "b":
            return PlacedBox(rect(v[1]), tuple(v[2]))
        if tag == "l":
            return LinkArea(rect(v[1]), v[2], v[3])
        raise ValueError(f"unknown item {tag!r}")

    pages = [PageDraft(kind, side, [item(i) for i in items], chapter, folio, running_head, source(where), cursor,
                       bottom, top)
             for kind, side, chapter, folio, running_head, where, cursor, bottom, top, items in record["pages"]]
    outline = [(str(title), int(index), int(level)) for title, index, level in record["outline"]]
    notes = [(int(index), _undiagnostic(note)) for index, note in record["notes"]]
    told = [(None if key is None else tuple(key), _undiagnostic(d)) for key, d in record["told"]]
    return pages, outline, notes, told, faces_of(record)
