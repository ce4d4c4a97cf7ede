"""The laid-out book: pages of placed items, geometry only (layout's output, render's input).

Positions are in points from the top-left of the trimmed page, y downwards (see
geometry.py). Nothing here knows about PDF, reportlab or pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Literal, NamedTuple, Optional, Union

from .diagnostics import Diagnostic
from .geometry import Rect, Sides, Size
from .model import BookMeta, Photo, SourceRef

Side = Literal["recto", "verso"]


class Glyph(NamedTuple):
    """One shaped glyph: what the font draws for a cluster of the text, and where.

    Lengths are in ems (multiply by the fragment's size), so one shaping serves every size.
    """

    gid: int  # glyph index in the font
    advance: float  # how far the pen moves after it, kerning included
    dx: float  # offset of this glyph from the pen, rightwards
    dy: float  # and upwards (marks over letters)
    text: str  # the characters it stands for in the text layer ("" for a second glyph of one cluster)


@dataclass(frozen=True)
class Fragment:
    """A piece of a line drawn with one font, at its own x.

    `glyphs` is the shaped run layout measured, in visual order; render draws exactly
    these glyphs at these advances, so the width measured is the width drawn.
    """

    x: float  # offset from the line's left edge, points, justification already applied
    text: str  # the characters, in reading order
    font: str  # registered font name (FontBook.face(...))
    size: float
    width: float  # = size * (sum of advances + tracking between glyphs)
    link: str | None = None
    glyphs: tuple[Glyph, ...] = ()  # empty: render shapes `text` itself, with the font's defaults
    tracking: float = 0.0  # ems added after every glyph but the last (letter-spaced capitals)


@dataclass(frozen=True)
class PlacedImage:
    photo: Photo
    rect: Rect  # where the image is drawn on the page; the crop already has this rect's aspect
    crop: tuple[float, float, float, float]  # left, top, right, bottom in the oriented source's pixels
    frame: Rect  # the template frame it was placed in (equal to rect for `fill`)
    bleeds: bool = False  # placed in a bleed frame: may run past the trim


# Told a chapter's photos as soon as layout has placed them (the compile starts preparing them then).
PhotosPlaced = Callable[[list[PlacedImage]], None]


@dataclass(frozen=True)
class PlacedText:
    """One line of text; fragments carry their own x offsets from `x` along the baseline."""

    x: float
    baseline: float
    fragments: tuple[Fragment, ...]
    color: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)  # CMYK 0..1
    role: str = "body"  # body, caption, heading, title, folio, running-head, toc, ...
    angle: float = 0.0  # degrees clockwise about (x, baseline): 90 reads top to bottom, as on a spine
    source: SourceRef | None = None  # the manuscript block the line was set from (running text), for findings

    @property
    def width(self) -> float:
        return max((f.x + f.width for f in self.fragments), default=0.0)

    @property
    def text(self) -> str:
        return "".join(f.text for f in self.fragments)

    @property
    def visible(self) -> bool:
        """Whether the line prints more than spaces: `text.strip()`, without joining a whole line of a
        long book's hundred thousand to find out (the checks ask it of every line)."""
        return any(f.text and not f.text.isspace() for f in self.fragments)

    def bounds(self) -> Rect:
        """The line's box on the page (ascent 0.8 and descent 0.2 of the size), turned with it."""
        size = max((f.size for f in self.fragments), default=0.0)
        if not self.angle:
            return Rect(self.x, self.baseline - size * 0.8, self.width, size)
        turn = math.radians(self.angle)
        corners = [(dx * math.cos(turn) - dy * math.sin(turn), dx * math.sin(turn) + dy * math.cos(turn))
                   for dx in (0.0, self.width) for dy in (-size * 0.8, size * 0.2)]
        xs, ys = [self.x + cx for cx, _ in corners], [self.baseline + cy for _, cy in corners]
        return Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


@dataclass(frozen=True)
class PlacedRule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5
    color: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)


@dataclass(frozen=True)
class PlacedBox:
    """A filled rectangle (a cover's background, a band behind its title)."""

    rect: Rect
    color: tuple[float, float, float, float]  # CMYK 0..1


@dataclass(frozen=True)
class LinkArea:
    rect: Rect
    page_index: Optional[int] = None  # an internal link to a page
    url: Optional[str] = None


Item = Union[PlacedImage, PlacedText, PlacedRule, PlacedBox, LinkArea]


@dataclass(frozen=True)
class Page:
    index: int  # physical position, 0 = the first (recto) page
    label: str  # the printed page number ("iii", "12"), also the PDF page label
    section: Literal["front", "body", "back", "cover"]
    kind: str  # blank, half-title, title, copyright, toc, opener, text, photo, full-bleed, credits, ...
    items: tuple[Item, ...]
    chapter: Optional[str] = None
    source: Optional[SourceRef] = None  # the manuscript block that began this page
    # A hash of everything that fixed the items (a chapter laid out from the same inputs, the same
    # folio), so that a page drawn before can be reused; None where layout does not know one.
    origin: Optional[str] = field(default=None, compare=False)

    @property
    def side(self) -> Side:
        return "recto" if self.index % 2 == 0 else "verso"

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    page_index: int
    level: int  # 0 chapter (or front/back matter part), 1 section


@dataclass(frozen=True)
class PageGeometry:
    trim: Size
    bleed: float
    bleed_inside: bool  # False: the binding edge has no bleed (KDP)
    margins: Sides  # the type area's margins the book was laid out with (the gutter may have been widened)

    def bleed_sides(self, side: Side) -> tuple[float, float, float, float]:
        """left, top, right, bottom bleed of a page on `side`."""
        inside = self.bleed if self.bleed_inside else 0.0
        if side == "recto":
            return inside, self.bleed, self.bleed, self.bleed
        return self.bleed, self.bleed, inside, self.bleed

    def bleed_rect(self, side: Side) -> Rect:
        left, top, right, bottom = self.bleed_sides(side)
        return Rect(-left, -top, self.trim.width + left + right, self.trim.height + top + bottom)


@dataclass(frozen=True)
class LaidOutBook:
    meta: BookMeta
    geometry: PageGeometry
    pages: tuple[Page, ...]
    outline: tuple[OutlineEntry, ...]
    fonts: tuple[str, ...]  # registered font names used
    notes: tuple[Diagnostic, ...] = ()  # what the author should know (unshown captions, a widened gutter)


@dataclass(frozen=True)
class Sheet:
    left: Optional[int]  # page index of the verso, None on the first sheet
    right: Optional[int]  # page index of the recto, None after an even last page

    @property
    def indexes(self) -> tuple[int, ...]:
        return tuple(i for i in (self.left, self.right) if i is not None)


def sheets_for(page_count: int) -> list[Sheet]:
    """Page 1 alone on the right, then (2, 3), (4, 5) ... as a bound book opens."""
    sheets = [Sheet(None, 0)] if page_count else []
    for left in range(1, page_count, 2):
        sheets.append(Sheet(left, left + 1 if left + 1 < page_count else None))
    return sheets
