"""Running text -> lines on flow pages: paragraphs, headings, quotes and inline figures.

Lines are kept on a steady leading; a paragraph split across pages leaves at least
two lines on each side (no widows, no orphans) and a heading never ends a page.
"""

from __future__ import annotations

import math
from typing import Callable, Optional

from ..geometry import Rect
from ..model import Photo, SourceRef, TextStyle
from .context import BASELINE_RISE, LayoutContext
from .photos.place import place_photo
from .stream import PageDraft, PageStream
from .text.lines import Line

MIN_LINES = 2  # lines a split paragraph keeps on each page
# An inline figure takes at most this share of the type area's height: half of an upright page, more of an
# oblong one, where a wide photo at half the height would be a small picture in a wide white band.
FIGURE_MAX_HEIGHT = 0.5
FIGURE_MAX_HEIGHT_OBLONG = 0.72
FIGURE_GAP = 6.0  # points between a figure and its caption
FIGURE_MIN_SHRINK = 0.75  # a figure may print this much smaller to stay on the page of the text it follows
INCH = 72.0


class Flow:
    """Places running text on successive flow pages of a stream."""

    def __init__(self, ctx: LayoutContext, stream: PageStream, kind: str = "text",
                 on_new_page: Optional[Callable[[PageDraft], None]] = None) -> None:
        self.ctx, self.stream, self.kind = ctx, stream, kind
        self.page: Optional[PageDraft] = None
        self.chapter: Optional[str] = None
        self.on_new_page = on_new_page
        self.floats: list[Photo] = []  # figures waiting for the top of the next page
        self.after_heading = True  # the next paragraph is not indented
        self.figure_scale = 1.0  # inline figures a little smaller, to pull a chapter's last lines back

    def column(self, side: str):
        """Running text keeps to the text column; contents and credits lists use the whole type area."""
        return self.ctx.text_column(side) if self.kind == "text" else self.ctx.live(side)

    # -- pages -----------------------------------------------------------------------------
    def close(self) -> None:
        """The next text starts on a new page."""
        self.page = None
        self.after_heading = True

    def current(self, source: Optional[SourceRef] = None) -> PageDraft:
        if self.page is None:
            self.new_page(source)
        return self.page

    def new_page(self, source: Optional[SourceRef] = None) -> PageDraft:
        live = self.ctx.live(self.stream.next_side)
        page = self.stream.new_page(self.kind, chapter=self.chapter, source=source,
                                    cursor=live.y, top=live.y, bottom=live.bottom)
        self.page = page
        if self.on_new_page:
            self.on_new_page(page)
        self._place_floats()
        return page

    @property
    def space_left(self) -> float:
        return 0.0 if self.page is None else self.page.bottom - self.page.cursor

    def _capacity(self, style: TextStyle) -> int:
        font = self.ctx.fonts.face(style.font, style.variant)
        need_first = BASELINE_RISE * style.size + self.ctx.fonts.descent(font, style.size)
        room = self.space_left - need_first
        return 0 if room < -0.01 else int(math.floor((room + 0.01) / style.leading)) + 1

    def skip(self, amount: float) -> None:
        """Vertical space, dropped at the top of a page."""
        if self.page is not None and self.page.has_flow_content:
            self.page.cursor = min(self.page.cursor + amount, self.page.bottom)

    # -- lines -----------------------------------------------------------------------------
    def add_lines(self, lines: tuple[Line, ...], style: TextStyle, role: str, indent: float = 0.0,
                  keep_together: bool = False, source: Optional[SourceRef] = None, align: str = "left",
                  width: Optional[float] = None) -> None:
        remaining = list(lines)
        while remaining:
            page = self.current(source)
            capacity = self._capacity(style)
            count = len(remaining)
            if count > capacity:
                count = self._split_point(len(remaining), capacity, keep_together)
                if count == 0 and not page.has_flow_content:
                    count = max(1, capacity)  # never loop on a page too small for the rule
            if count:
                live = self.column(page.side)
                placed = self.ctx.place_lines(tuple(remaining[:count]), style, live.x + indent, page.cursor, role,
                                              width if width is not None else live.width - indent, align, source)
                page.items.extend(placed)
                page.cursor += count * style.leading
                remaining = remaining[count:]
            if remaining:
                self.new_page(source)

    @staticmethod
    def _split_point(total: int, capacity: int, keep_together: bool) -> int:
        if keep_together or capacity < MIN_LINES:
            return 0
        if total - capacity < MIN_LINES:
            return total - MIN_LINES if total - MIN_LINES >= MIN_LINES else 0
        return capacity

    # -- blocks ----------------------------------------------------------------------------
    def paragraph(self, text: str, style: TextStyle, source: Optional[SourceRef] = None,
                  variant: str = "regular") -> None:
        live = self.column(self.stream.next_side if self.page is None else self.page.side)
        indent = 0.0 if self.after_heading else style.size
        align = "justify" if self.ctx.manuscript.style.justify else "left"
        lines = self.ctx.set_text(text, style, live.width, align=align, indent=indent, variant=variant,
                                  small_caps=True, where=source)
        self.add_lines(lines, style, "body", source=source)
        self.after_heading = False

    def heading(self, text: str, style: TextStyle, body: TextStyle, source: Optional[SourceRef] = None,
                role: str = "heading", space: float = 1.25) -> PageDraft:
        """A heading in its own style, `space` body lines above it; it never ends a page."""
        live = self.column("recto")
        lines = self.ctx.set_text(text, style, live.width, align="left", hyphenate=False, where=source)
        need = style.leading * (len(lines) + 1) + body.leading * (MIN_LINES + 1)
        if self.page is not None and self.page.has_flow_content and self.space_left < need:
            self.close()
        self.skip(body.leading * space)
        self.add_lines(lines, style, role, keep_together=True, source=source)
        self.page.cursor += body.leading * 0.35
        self.after_heading = True
        return self.page

    def quote(self, text: str, attribution: Optional[str], body: TextStyle, caption: TextStyle,
              source: Optional[SourceRef] = None) -> None:
        live = self.column("recto")
        indent = body.size * 2
        lines = self.ctx.set_text(text, body, live.width - 2 * indent, align="left", variant="italic",
                                  small_caps=True, where=source)
        self.skip(body.leading * 0.5)
        self.add_lines(lines, body, "quote", indent=indent, keep_together=len(lines) <= 6, source=source)
        if attribution:
            credit = self.ctx.set_text("— " + attribution, caption, live.width - 2 * indent, align="left",
                                       where=source)
            self.add_lines(credit, caption, "quote", indent=indent, keep_together=True, source=source,
                           align="right", width=live.width - 2 * indent)
        self.skip(body.leading * 0.5)
        self.after_heading = True

    # -- figures ---------------------------------------------------------------------------
    def figure_size(self, photo: Photo, side: str, shrink: float = 1.0) -> tuple[float, float, tuple[Line, ...]]:
        """Width and height of an inline figure (image + caption) and its caption lines.

        A figure is never wider than its pixels allow at print.min_ppi: a small photo gets a
        smaller figure, never a soft one."""
        live = self.ctx.live(side)
        width = min(live.width * self.figure_scale, photo.image.width / self.ctx.manuscript.print.min_ppi * INCH)
        height = width / photo.image.aspect
        share = FIGURE_MAX_HEIGHT_OBLONG if live.width > live.height else FIGURE_MAX_HEIGHT
        if height > live.height * share * self.figure_scale:
            height = live.height * share * self.figure_scale
            width = height * photo.image.aspect
        width, height = width * shrink, height * shrink
        style = self.ctx.manuscript.style.caption
        lines = self.ctx.set_text(photo.caption, style, width, align="left", where=photo.source) \
            if photo.caption else ()
        total = height + (FIGURE_GAP + self.ctx.text_height(lines, style) if lines else 0.0)
        return width, total, lines

    def _shrink_to_fit(self, photo: Photo, page: PageDraft, gap: float) -> Optional[float]:
        """The scale (>= FIGURE_MIN_SHRINK) at which the figure fits the rest of this page, if any."""
        room = self.space_left - (gap if page.has_flow_content else 0.0)
        low, high = FIGURE_MIN_SHRINK, 1.0
        if self.figure_size(photo, page.side, low)[1] > room:
            return None
        for _ in range(12):  # the caption may rewrap as the width changes: search, do not solve
            middle = (low + high) / 2
            low, high = (middle, high) if self.figure_size(photo, page.side, middle)[1] <= room else (low, middle)
        return low

    def figure(self, photo: Photo, allow_float: bool = True) -> bool:
        """Place a photo in the running text; float it to the next page if it does not fit here."""
        page = self.current(photo.source)
        width, total, _ = self.figure_size(photo, page.side)
        gap = self.ctx.manuscript.style.body.leading * 0.75
        if total + (gap if page.has_flow_content else 0.0) <= self.space_left:
            self._draw_figure(photo, page)
            return True
        shrink = self._shrink_to_fit(photo, page, gap) if page.has_flow_content else None
        if shrink is not None:  # a little smaller, on the page of the text it belongs to
            self._draw_figure(photo, page, shrink)
            return True
        if allow_float and self.space_left > (page.bottom - page.top) * 0.2:
            self.floats.append(photo)
            return False
        self.new_page(photo.source)
        self._draw_figure(photo, self.page)
        return True

    def _draw_figure(self, photo: Photo, page: PageDraft, shrink: float = 1.0) -> None:
        live = self.ctx.live(page.side)
        width, total, lines = self.figure_size(photo, page.side, shrink)
        gap = self.ctx.manuscript.style.body.leading * 0.75
        if page.has_flow_content:
            page.cursor += gap
        height = width / photo.image.aspect
        x = live.x + (live.width - width) / 2
        page.items.append(place_photo(photo, Rect(x, page.cursor, width, height)))
        if lines:
            caption = self.ctx.manuscript.style.caption
            page.items.extend(self.ctx.place_lines(lines, caption, x, page.cursor + height + FIGURE_GAP, "caption"))
        page.cursor += total + gap
        self.after_heading = True

    def _place_floats(self) -> None:
        waiting, self.floats = self.floats, []
        for photo in waiting:
            width, total, _ = self.figure_size(photo, self.page.side)
            if total > self.space_left and self.page.has_flow_content:
                self.floats.append(photo)
                continue
            self._draw_figure(photo, self.page)

    def flush_floats(self) -> None:
        while self.floats:
            self.new_page(self.floats[0].source)
        self.close()
