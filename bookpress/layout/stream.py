"""A growing list of page drafts that knows which side the next page falls on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..book import Item, Side
from ..model import SourceRef


@dataclass
class PageDraft:
    """A page while it is being filled; frozen into book.Page by finalize."""

    kind: str
    side: Side
    items: list[Item] = field(default_factory=list)
    chapter: Optional[str] = None
    folio: bool = True
    running_head: bool = True
    source: Optional[SourceRef] = None
    # Flow pages only: the next free y in the live area, and where the area ends.
    cursor: Optional[float] = None
    bottom: float = 0.0
    top: float = 0.0
    origin: Optional[str] = None  # the chapter record it belongs to, and its place there (recall.py)

    @property
    def has_flow_content(self) -> bool:
        return self.cursor is not None and self.cursor > self.top + 0.01


@dataclass
class PageStream:
    first_index: int = 0  # the physical index of this stream's first page (its parity)
    pages: list[PageDraft] = field(default_factory=list)

    @property
    def next_side(self) -> Side:
        return "recto" if (self.first_index + len(self.pages)) % 2 == 0 else "verso"

    @property
    def next_index(self) -> int:
        return len(self.pages)

    def new_page(self, kind: str, **fields) -> PageDraft:
        page = PageDraft(kind=kind, side=self.next_side, **fields)
        self.pages.append(page)
        return page

    def blank(self, chapter: Optional[str] = None) -> PageDraft:
        """A truly blank page: no folio, no running head, nothing."""
        return self.new_page("blank", folio=False, running_head=False, chapter=chapter)

    def ensure_side(self, side: Side, chapter: Optional[str] = None) -> None:
        """Pad with a blank page so that the next page falls on `side`."""
        if self.next_side != side:
            self.blank(chapter)
