"""Chapter files and photo set folders -> Chapter models, every problem reported against its file and line."""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import did_you_mean
from ..model import (
    BreakBlock,
    Chapter,
    HeadingBlock,
    PhotoBlock,
    PhotoSetBlock,
    QuoteBlock,
    SlotFill,
    SourceRef,
    TemplatePageBlock,
    TextBlock,
)
from . import schema
from .loader import Loader, Where
from .photosets import PhotoSetReader
from .yamlsrc import SourceMap

# A block is recognised by the first of these keys it has (a photoset may carry `text`).
BLOCK_PRIORITY = ("photoset", "page", "spread", "photo", "quote", "heading", "pagebreak", "text")


def load_chapter(loader: Loader, chapter_path: str, book_file: str, where: Where) -> Chapter | None:
    path = loader.resolve(chapter_path, book_file, where, "chapter file")
    loaded = loader.read_yaml(path) if path else None
    if loaded is None:
        return None
    data, smap = loaded
    file = loader.rel(path)
    if not isinstance(data, dict):
        loader.error_at(file, (1, 1), "a chapter file must be a mapping of keys",
                        "start it with 'title: ...' and then 'blocks:'")
        return None
    return ChapterReader(loader, file, smap).read(data)


def paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


class ChapterReader:
    """One chapter file -> Chapter, reporting against that file."""

    def __init__(self, loader: Loader, file: str, smap: SourceMap) -> None:
        self.loader, self.file, self.smap = loader, file, smap

    def ref(self, path: tuple) -> SourceRef:
        return SourceRef(self.file, *self.smap.where(path))

    def read(self, data: dict) -> Chapter | None:
        head = dict(data)
        raw_blocks = head.pop("blocks", None) or []
        top = self.loader.validate(schema.ChapterSchema, head, self.file, self.smap)
        if not isinstance(raw_blocks, list):
            self.loader.error_at(self.file, self.smap.where(("blocks",)), "'blocks' must be a list",
                                 "start each block with '- ' on its own line")
            raw_blocks = []
        blocks = [b for b in (self.block(raw, ("blocks", i)) for i, raw in enumerate(raw_blocks)) if b is not None]
        if top is None:
            return None
        opener = None
        if top.opener:
            opener = self.loader.photo(top.opener, top.opener.photo, self.file, self.smap, ("opener", "photo"))
        return Chapter(top.title.strip(), tuple(blocks), SourceRef(self.file, 1, 1), top.subtitle, opener)

    def block(self, raw: Any, path: tuple):
        where = self.smap.where(path)
        if not isinstance(raw, dict) or not raw:
            self.loader.error_at(self.file, where, "a block must be a mapping such as 'text: ...' or 'photo: ...'",
                                 f"start the block with one of: {', '.join(schema.BLOCK_KINDS)}")
            return None
        kinds = [k for k in BLOCK_PRIORITY if k in raw]
        if not kinds:
            first = next(iter(raw))
            self.loader.error_at(self.file, self.smap.where(path + (first,)), f"unknown block kind '{first}'",
                                 did_you_mean(str(first), schema.BLOCK_KINDS)
                                 or f"a block starts with one of: {', '.join(schema.BLOCK_KINDS)}")
            return None
        model = schema.BLOCK_KINDS[kinds[0]]
        others = [k for k in kinds[1:] if k not in model.model_fields]
        if others:
            self.loader.error_at(self.file, where, f"one block cannot be both '{kinds[0]}' and '{others[0]}'",
                                 "split it into two blocks, each starting with '- '")
            return None
        parsed = self.loader.validate(model, raw, self.file, self.smap, path)
        if parsed is None:
            return None
        readers = {"text": self._text, "heading": self._heading, "quote": self._quote, "pagebreak": self._pagebreak,
                   "photo": self._photo, "page": self._page, "spread": self._spread, "photoset": self._photoset}
        return readers[kinds[0]](parsed, path)

    def _text(self, b: schema.TextBlockSchema, path: tuple):
        return TextBlock(paragraphs(b.text), self.ref(path))

    def _heading(self, b: schema.HeadingBlockSchema, path: tuple):
        return HeadingBlock(b.heading.strip(), self.ref(path), b.toc, b.level)

    def _quote(self, b: schema.QuoteBlockSchema, path: tuple):
        if isinstance(b.quote, str):
            return QuoteBlock(b.quote.strip(), None, self.ref(path))
        return QuoteBlock(b.quote.text.strip(), b.quote.source, self.ref(path))

    def _pagebreak(self, b: schema.BreakBlockSchema, path: tuple):
        return BreakBlock(b.pagebreak, self.ref(path))

    def _photo(self, b: schema.PhotoBlockSchema, path: tuple):
        photo = self.loader.photo(b, b.photo, self.file, self.smap, path + ("photo",))
        return PhotoBlock(photo, self.ref(path)) if photo else None

    def _slots(self, slots: dict[str, schema.SlotSchema], path: tuple) -> tuple:
        fills = []
        for name, slot in slots.items():
            photo = None
            if slot.photo is not None:
                photo = self.loader.photo(slot, slot.photo, self.file, self.smap, path + ("slots", name, "photo"))
            fills.append((name, SlotFill(photo, slot.caption if slot.caption is not None else
                                         (photo.caption if photo else None), slot.text)))
        return tuple(fills)

    def _page(self, b: schema.PageBlockSchema, path: tuple):
        return TemplatePageBlock(b.page, self._slots(b.slots, path), self.ref(path + ("page",)), spread=False)

    def _spread(self, b: schema.SpreadBlockSchema, path: tuple):
        return TemplatePageBlock(b.spread, self._slots(b.slots, path), self.ref(path + ("spread",)), spread=True)

    def _photoset(self, b: schema.PhotoSetBlockSchema, path: tuple):
        where = self.smap.value_at(path + ("photoset",))  # the problem is the folder it names
        folder = self.loader.resolve(b.photoset, self.file, where, "photo set folder", must_be_dir=True)
        if folder is None:
            return None
        reader = PhotoSetReader(self.loader, folder, SourceRef(self.file, *where))
        photos = reader.read()
        if not photos:
            if not reader.found_images:
                self.loader.error_at(self.file, where, f"photo set folder '{b.photoset}' holds no images",
                                     "add JPEG, PNG, TIFF or WebP files to it")
            return None
        return PhotoSetBlock(b.photoset, tuple(photos), self.ref(path), b.title or reader.title,
                             b.text or reader.text, b.layout if b.layout != "auto" else (reader.layout or "auto"))
