"""Front and back matter -> page drafts: half-title, title, copyright, dedication,
contents (with page numbers and links), photo credits and colophon."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from .. import __version__
from ..book import Fragment, LinkArea, PlacedText
from ..geometry import Rect
from ..model import TextStyle
from .context import BASELINE_RISE, LayoutContext
from .flow import Flow
from .copyright import copyright_groups
from .stream import PageDraft, PageStream
from .text.inline import escape


@dataclass(frozen=True)
class TocEntry:
    title: str
    label: str  # the printed page number
    level: int
    target: int  # physical page index the entry links to


READABLE = 36.0  # ems: the copyright page's measure, some 70 characters of its small type


def _centered(ctx: LayoutContext, page: PageDraft, text: str, style: TextStyle, top: float, variant: str = "regular",
              role: str = "title") -> float:
    live = ctx.live(page.side)
    lines = ctx.set_text(text, style, live.width, align="center", variant=variant, hyphenate=False)
    page.items.extend(ctx.place_lines(lines, style, live.x, top, role, live.width, "center"))
    return top + len(lines) * style.leading


def _scaled(style: TextStyle, factor: float) -> TextStyle:
    return replace(style, size=style.size * factor, leading=style.leading * factor)


class FrontMatter:
    def __init__(self, ctx: LayoutContext, toc: list[TocEntry], fonts: list[str]) -> None:
        self.ctx, self.toc, self.fonts = ctx, toc, fonts  # fonts: the families the book is set in
        self.stream = PageStream(0)
        self.outline: list[tuple[str, int, int]] = []

    def build(self, parts: tuple[str, ...]) -> list[PageDraft]:
        makers = {"half-title": self._half_title, "title": self._title, "copyright": self._copyright,
                  "dedication": self._dedication, "toc": self._toc}
        for part in parts:
            makers[part]()  # the schema allows only these names
        self.stream.ensure_side("recto")  # the body begins on a recto
        return self.stream.pages

    def _page(self, kind: str, side: Optional[str]) -> PageDraft:
        if side:
            self.stream.ensure_side(side)
        return self.stream.new_page(kind, folio=kind == "toc", running_head=False)

    def _half_title(self) -> None:
        page = self._page("half-title", "recto")
        live = self.ctx.live(page.side)
        _centered(self.ctx, page, self.ctx.manuscript.meta.title, _scaled(self.ctx.manuscript.style.title, 0.7),
                  live.y + live.height * 0.22)

    def _title(self) -> None:
        meta, style = self.ctx.manuscript.meta, self.ctx.manuscript.style
        page = self._page("title", "recto")
        live = self.ctx.live(page.side)
        y = _centered(self.ctx, page, meta.title, _scaled(style.title, 1.3), live.y + live.height * 0.2)
        if meta.subtitle:
            _centered(self.ctx, page, meta.subtitle, _scaled(style.heading, 1.2), y + style.body.leading,
                      variant="italic", role="subtitle")
        if meta.author:
            _centered(self.ctx, page, meta.author, style.heading, live.y + live.height * 0.55, role="author")
        if meta.publisher:
            _centered(self.ctx, page, meta.publisher, style.caption, live.bottom - style.caption.leading * 2,
                      role="publisher")

    def _copyright(self) -> None:
        """Bottom-aligned on the title's verso, small, at a readable measure, a paragraph per kind of fact."""
        meta, style, words = self.ctx.manuscript.meta, self.ctx.manuscript.style, self.ctx.manuscript.words
        page = self._page("copyright", "verso" if self.stream.pages and self.stream.pages[-1].kind == "title" else None)
        live = self.ctx.live(page.side)
        small = _scaled(style.body, 0.8)
        width = min(live.width, small.size * READABLE)
        credits = next((entry.label for entry in self.toc if entry.level == 0 and entry.title == words.photo_credits),
                       None)
        groups = copyright_groups(meta, words, self.fonts, __version__, credits, self.ctx.paragraphs)
        set_groups = [[line for text in group for line in self.ctx.set_text(text, small, width, align="left")]
                      for group in groups]
        gap = small.leading * 0.75
        height = sum(len(lines) for lines in set_groups) * small.leading + gap * (len(set_groups) - 1)
        y = live.bottom - height
        for lines in set_groups:
            page.items.extend(self.ctx.place_lines(lines, small, live.x, y, "copyright"))
            y += len(lines) * small.leading + gap

    def _dedication(self) -> None:
        dedication = self.ctx.manuscript.meta.dedication
        if not dedication:
            return
        page = self._page("dedication", "recto")
        live = self.ctx.live(page.side)
        _centered(self.ctx, page, dedication, self.ctx.manuscript.style.body, live.y + live.height * 0.25,
                  variant="italic", role="dedication")

    def _toc(self) -> None:
        style = self.ctx.manuscript.style
        flow = Flow(self.ctx, self.stream, kind="toc")
        self.stream.ensure_side("recto")
        page = flow.new_page()
        page.running_head = False
        contents = self.ctx.manuscript.words.contents
        self.outline.append((contents, self.stream.pages.index(page), 0))
        live = self.ctx.live(page.side)
        title = self.ctx.set_text(escape(contents), _scaled(style.title, 0.8), live.width, align="left",
                                  hyphenate=False)
        page.items.extend(self.ctx.place_lines(title, _scaled(style.title, 0.8), live.x, live.y, "title"))
        page.cursor = live.y + live.height * 0.12
        for entry in self.toc:
            self._toc_entry(flow, entry)
        flow.close()

    def _toc_entry(self, flow: Flow, entry: TocEntry) -> None:
        style = self.ctx.manuscript.style
        entry_style = _toc_style(style.body, entry)
        indent = style.body.size * 1.5 * min(entry.level, 2)
        if entry.level == 0:
            flow.skip(style.body.leading * 0.6)
        live = self.ctx.live(flow.current().side)
        number_width = self.ctx.fragment(entry.label, entry_style).width
        # room for the page number and a few leader dots after the title's last line
        text_width = live.width - indent - number_width - entry_style.size * 3
        lines = self.ctx.set_text(entry.title, entry_style, text_width, align="left", hyphenate=False)
        if not lines:
            return
        flow.add_lines(lines, entry_style, "toc", indent=indent, keep_together=True)
        page = flow.page
        placed = page.items[-len(lines):]
        last: PlacedText = placed[-1]
        number = self.ctx.set_text(entry.label, entry_style, number_width + 1, align="left", hyphenate=False)
        page.items.extend(self.ctx.place_lines(number, entry_style, live.right - number_width,
                                               last.baseline - BASELINE_RISE * entry_style.size, "toc-number"))
        self._leader(page, last, live.right - number_width, entry_style)
        top = placed[0].baseline - entry_style.size
        page.items.append(LinkArea(Rect(live.x + indent, top, live.width - indent, last.baseline + 3 - top),
                                   page_index=entry.target))

    def _leader(self, page: PageDraft, last: PlacedText, number_x: float, style: TextStyle) -> None:
        """Dot leaders from the end of the entry to its page number."""
        plain = replace(style, italic=False, weight="regular")
        gap = self.ctx.fragment(" . ", plain).width
        start = last.x + last.width + style.size * 0.6
        end = number_x - style.size * 0.6
        count = int((end - start) / gap)
        if count < 2:
            return
        dot = self.ctx.fragment(".", plain)
        # One run of dots, a gap apart by tracking: a fragment per dot made a long contents slow to set and draw.
        dots = Fragment(0.0, dot.text * count, dot.font, dot.size, count * gap - (gap - dot.width), dot.link,
                        dot.glyphs * count, (gap - dot.width) / dot.size + dot.tracking)
        page.items.append(PlacedText(end - count * gap, last.baseline, (dots,), (0, 0, 0, 0.6), "toc-leader"))


def _toc_style(body: TextStyle, entry: TocEntry) -> TextStyle:
    """Contents entries by level: chapters a little larger, sections as the text, subsections smaller."""
    if entry.level == 0:
        return _scaled(body, 1.1)
    if entry.level >= 2:
        return _scaled(body, 0.92)
    return body
