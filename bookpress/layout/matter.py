"""Front and back matter -> page drafts: half-title, title, copyright, dedication,
contents (with page numbers and links), photo credits and colophon."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .. import __version__
from ..book import Fragment, LinkArea, PlacedImage, PlacedText
from ..geometry import Rect
from ..model import TextStyle
from .context import BASELINE_RISE, LayoutContext
from .flow import Flow
from .stream import PageDraft, PageStream


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
    return TextStyle(style.font, style.size * factor, style.leading * factor, style.color)


class FrontMatter:
    def __init__(self, ctx: LayoutContext, toc: list[TocEntry]) -> None:
        self.ctx, self.toc = ctx, toc
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
        meta, style = self.ctx.manuscript.meta, self.ctx.manuscript.style
        page = self._page("copyright", "verso" if self.stream.pages and self.stream.pages[-1].kind == "title" else None)
        live = self.ctx.live(page.side)
        owner = meta.copyright or (f"© {meta.year + ' ' if meta.year else ''}{meta.author}" if meta.author else None)
        lines = [meta.title + (f": {meta.subtitle}" if meta.subtitle else "")]
        if owner:
            lines.append(owner)
        if meta.edition:
            lines.append(f"Edition: {meta.edition}")
        if meta.isbn:
            lines.append(f"ISBN {meta.isbn}")
        if meta.publisher:
            lines.append(f"Published by {meta.publisher}")
        lines.append(f"Typeset with bookpress {__version__} in {style.body.font} and {style.caption.font}.")
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
        self.outline.append(("Contents", self.stream.pages.index(page), 0))
        live = self.ctx.live(page.side)
        title = self.ctx.set_text("Contents", _scaled(style.title, 0.8), live.width, align="left", hyphenate=False)
        page.items.extend(self.ctx.place_lines(title, _scaled(style.title, 0.8), live.x, live.y, "title"))
        page.cursor = live.y + live.height * 0.12
        for entry in self.toc:
            self._toc_entry(flow, entry)
        flow.close()

    def _toc_entry(self, flow: Flow, entry: TocEntry) -> None:
        style = self.ctx.manuscript.style
        entry_style = _scaled(style.body, 1.1) if entry.level == 0 else style.body
        indent = 0.0 if entry.level == 0 else style.body.size * 1.5
        if entry.level == 0:
            flow.skip(style.body.leading * 0.6)
        live = self.ctx.live(flow.current().side)
        number_width = self.ctx.fonts.width(entry.label, self.ctx.fonts.face(entry_style.font), entry_style.size)
        # room for the page number and a few leader dots after the title's last line
        text_width = live.width - indent - number_width - entry_style.size * 3
        lines = self.ctx.set_text(entry.title, entry_style, text_width, align="left", hyphenate=False)
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
        font = self.ctx.fonts.face(style.font)
        gap = self.ctx.fonts.width(" . ", font, style.size)
        start = last.x + last.width + style.size * 0.6
        end = number_x - style.size * 0.6
        count = int((end - start) / gap)
        if count < 2:
            return
        dots = tuple(Fragment(i * gap, ".", font, style.size, self.ctx.fonts.width(".", font, style.size))
                     for i in range(count))
        page.items.append(PlacedText(end - count * gap, last.baseline, dots, (0, 0, 0, 0.6), "toc-leader"))


class BackMatter:
    def __init__(self, ctx: LayoutContext, first_index: int, body: list[PageDraft], body_labels: list[str]) -> None:
        self.ctx, self.body, self.body_labels = ctx, body, body_labels
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
        lines = self.ctx.set_text(title, heading, live.width, align="left", hyphenate=False)
        page.items.extend(self.ctx.place_lines(lines, heading, live.x, live.y, "title"))
        page.cursor = live.y + live.height * 0.12
        return page

    def credits(self) -> list[tuple[str, str, str]]:
        """(page label, caption, credit) for every photo shown, in page order."""
        rows, seen = [], set()
        for page, label in zip(self.body, self.body_labels):
            for item in page.items:
                if isinstance(item, PlacedImage):
                    key = (label, str(item.photo.image.path))
                    if key in seen:
                        continue
                    seen.add(key)
                    rows.append((label, item.photo.caption or item.photo.image.path.stem.replace("-", " "),
                                 item.photo.credit or ""))
        return rows

    def _photo_credits(self) -> None:
        rows = self.credits()
        if not rows:
            return
        style = self.ctx.manuscript.style
        flow = Flow(self.ctx, self.stream, kind="credits")
        self._heading_page(flow, "Photo credits")
        entry_style = style.caption
        for label, caption, credit in rows:
            text = f"**{label}**  {caption}" + (f" *Photo: {credit}.*" if credit else "")
            page = flow.current()
            live = self.ctx.live(page.side)
            lines = self.ctx.set_text(text, entry_style, live.width, align="left")
            flow.add_lines(lines, entry_style, "credits", keep_together=True)
            flow.page.cursor += entry_style.leading * 0.3
        flow.close()

    def _colophon(self) -> None:
        meta, style = self.ctx.manuscript.meta, self.ctx.manuscript.style
        page = self.stream.new_page("colophon", running_head=False)
        self.outline.append(("Colophon", self.stream.pages.index(page), 0))
        live = self.ctx.live(page.side)
        text = (f"*{meta.title}* was set in {style.body.font} for the text and {style.caption.font} for captions "
                f"and headings, and composed with bookpress {__version__}: a {self.ctx.geometry.trim.width / 72:.2f}"
                f" × {self.ctx.geometry.trim.height / 72:.2f} in book prepared for the "
                f"{self.ctx.manuscript.print.printer} printer preset on {self.ctx.manuscript.print.paper} paper.")
        lines = self.ctx.set_text(text, style.body, live.width * 0.7, align="center")
        top = live.y + live.height * 0.6
        heading = self.ctx.set_text("Colophon", style.heading, live.width * 0.7, align="center", variant="bold")
        x = live.x + live.width * 0.15
        page.items.extend(self.ctx.place_lines(heading, style.heading, x, top, "heading", live.width * 0.7, "center"))
        page.items.extend(self.ctx.place_lines(lines, style.body, x, top + style.heading.leading * 1.8, "body",
                                               live.width * 0.7, "center"))
