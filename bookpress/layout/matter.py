"""Front and back matter -> page drafts: half-title, title, copyright, dedication,
contents (with page numbers and links), photo credits and colophon."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from .. import __version__
from ..book import Fragment, LinkArea, PlacedImage, PlacedText
from ..geometry import Rect
from ..model import SourceRef, TextStyle
from .context import BASELINE_RISE, LayoutContext
from .flow import Flow
from .furniture import join_names, long_date, trim_size
from .stream import PageDraft, PageStream
from .text.inline import escape


@dataclass(frozen=True)
class TocEntry:
    title: str
    label: str  # the printed page number
    level: int
    target: int  # physical page index the entry links to


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
        meta, style, words = self.ctx.manuscript.meta, self.ctx.manuscript.style, self.ctx.manuscript.words
        page = self._page("copyright", "verso" if self.stream.pages and self.stream.pages[-1].kind == "title" else None)
        live = self.ctx.live(page.side)
        owner = meta.copyright or (f"© {meta.year + ' ' if meta.year else ''}{meta.author}" if meta.author else None)
        lines = [escape(meta.title + (f": {meta.subtitle}" if meta.subtitle else ""))]
        if owner:
            lines.append(escape(owner))
        if not meta.copyright:
            lines.append(escape(words.rights))
        if meta.date or meta.year:
            lines.append(escape(words.say("first_published", date=long_date(meta.date or meta.year, words.language))))
        if meta.edition:
            lines.append(escape(words.say("edition", edition=meta.edition)))
        if meta.isbn:
            lines.append(f"ISBN {escape(meta.isbn)}")
        if meta.publisher:
            lines.append(escape(words.say("published_by", publisher=meta.publisher)))
        lines.append(escape(words.say("typeset", version=__version__, fonts=join_names(self.fonts, words.language))))
        set_lines = [self.ctx.set_text(text, style.caption, live.width, align="left") for text in lines]
        height = sum(len(ls) for ls in set_lines) * style.caption.leading + style.caption.leading * (len(lines) - 1) * 0.5
        y = live.bottom - height
        for ls in set_lines:
            page.items.extend(self.ctx.place_lines(ls, style.caption, live.x, y, "copyright"))
            y += len(ls) * style.caption.leading + style.caption.leading * 0.5

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
        dots = tuple(Fragment(i * gap, dot.text, dot.font, dot.size, dot.width, dot.link, dot.glyphs, dot.tracking)
                     for i in range(count))
        page.items.append(PlacedText(end - count * gap, last.baseline, dots, (0, 0, 0, 0.6), "toc-leader"))


class BackMatter:
    def __init__(self, ctx: LayoutContext, first_index: int, body: list[PageDraft], body_labels: list[str],
                 fonts: list[str]) -> None:
        self.ctx, self.body, self.body_labels, self.fonts = ctx, body, body_labels, fonts
        self.stream = PageStream(first_index)
        self.outline: list[tuple[str, int, int]] = []

    def build(self, parts: tuple[str, ...]) -> list[PageDraft]:
        makers = {"photo-credits": self._photo_credits, "colophon": self._colophon}
        for part in parts:
            makers[part]()  # the schema allows only these names
        return self.stream.pages

    def _heading_page(self, flow: Flow, title: str) -> PageDraft:
        style = self.ctx.manuscript.style
        self.stream.ensure_side("recto")
        page = flow.new_page()
        page.running_head = False
        page.kind = flow.kind
        self.outline.append((title, self.stream.pages.index(page), 0))
        live = self.ctx.live(page.side)
        heading = _scaled(style.title, 0.8)
        lines = self.ctx.set_text(escape(title), heading, live.width, align="left", hyphenate=False)
        page.items.extend(self.ctx.place_lines(lines, heading, live.x, live.y, "title"))
        page.cursor = live.y + live.height * 0.12
        return page

    def credits(self) -> list[tuple[str, str, str, SourceRef]]:
        """(page label, caption, credit, where the photo was named) for every photo shown, in page order."""
        rows, seen = [], set()
        for page, label in zip(self.body, self.body_labels):
            for item in page.items:
                if isinstance(item, PlacedImage):
                    key = (label, str(item.photo.image.path))
                    if key in seen:
                        continue
                    seen.add(key)
                    rows.append((label, item.photo.caption or escape(item.photo.image.path.stem.replace("-", " ")),
                                 item.photo.credit or "", item.photo.source))
        return rows

    def _photo_credits(self) -> None:
        rows = self.credits()
        if not rows:
            return
        style = self.ctx.manuscript.style
        flow = Flow(self.ctx, self.stream, kind="credits")
        words = self.ctx.manuscript.words
        self._heading_page(flow, words.photo_credits)
        entry_style = style.caption
        for label, caption, credit, source in rows:
            credited = escape(words.say("photo", name=credit)).rstrip(".")
            text = f"**{label}**  {caption}" + (f" *{credited}.*" if credit else "")
            page = flow.current()
            live = self.ctx.live(page.side)
            lines = self.ctx.set_text(text, entry_style, live.width, align="left", where=source)
            flow.add_lines(lines, entry_style, "credits", keep_together=True)
            flow.page.cursor += entry_style.leading * 0.3
        flow.close()

    def _colophon(self) -> None:
        meta, style, words = self.ctx.manuscript.meta, self.ctx.manuscript.style, self.ctx.manuscript.words
        page = self.stream.new_page("colophon", running_head=False)
        self.outline.append((words.colophon, self.stream.pages.index(page), 0))
        live = self.ctx.live(page.side)
        trim = self.ctx.geometry.trim
        text = words.say("colophon_text", title=f"*{escape(meta.title)}*", version=__version__,
                         fonts=escape(join_names(self.fonts, words.language)),
                         trim=trim_size(trim.width, trim.height, words.language))
        lines = self.ctx.set_text(text, style.body, live.width * 0.7, align="center")
        top = live.y + live.height * 0.6
        heading = self.ctx.set_text(escape(words.colophon), style.heading, live.width * 0.7, align="center")
        x = live.x + live.width * 0.15
        page.items.extend(self.ctx.place_lines(heading, style.heading, x, top, "heading", live.width * 0.7, "center"))
        page.items.extend(self.ctx.place_lines(lines, style.body, x, top + style.heading.leading * 1.8, "body",
                                               live.width * 0.7, "center"))


def _toc_style(body: TextStyle, entry: TocEntry) -> TextStyle:
    """Contents entries by level: chapters a little larger, sections as the text, subsections smaller."""
    if entry.level == 0:
        return _scaled(body, 1.1)
    if entry.level >= 2:
        return _scaled(body, 0.92)
    return body
