"""Chapters -> body page drafts: openers, running text, photo pages, template pages.

Every chapter starts on a recto; the outline records where chapters and sections
begin. Page numbers, folios and running heads come later, in finalize.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..book import PhotosPlaced, PlacedImage
from ..diagnostics import Diagnostic, Severity, did_you_mean
from ..geometry import Rect
from ..load.templates import Frame, Template
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
from .context import LayoutContext
from .flow import Flow
from .filling import PageFilling, short as _short
from .photopages import PhotoPages
from .photos.place import place_photo, split_across_gutter
from .recall import ChapterMemory
from .stream import PageDraft, PageStream
from .template_check import opener_name
from .text.inline import escape

OUTLINE_LEVELS = {"chapter": 0, "section": 1, "photoset": 1, "subsection": 2}  # depth in the contents and outline

# outline entries while building: (title, draft index, level)
DraftOutline = list[tuple[str, int, int]]


class BodyBuilder(PageFilling):
    def __init__(self, ctx: LayoutContext, photos_placed: Optional[PhotosPlaced] = None,
                 memory: Optional[ChapterMemory] = None) -> None:
        self.ctx = ctx
        self.photos_placed = photos_placed
        self.memory = memory  # chapters laid out before, recalled unchanged (None: no cache)
        self.stream = PageStream(0)
        self.flow = Flow(ctx, self.stream, on_new_page=self._on_new_flow_page)
        self.outline: DraftOutline = []
        self.pending_title: Optional[tuple[Chapter, int]] = None
        self.notes: list[tuple[int, Diagnostic]] = []  # (body page index, the note about that page)
        self.photo_pages = PhotoPages(ctx)
        self._handed: Optional[tuple[PageDraft, float]] = None  # a photo page the text went on from, and where

    # -- chapters --------------------------------------------------------------------------
    def build(self, chapters: Sequence[Chapter]) -> list[PageDraft]:
        for number, chapter in enumerate(chapters, start=1):
            first = len(self.stream.pages)
            if self.memory is not None:
                self.memory.lay_out(self, chapter, number)
            else:
                self.chapter_filling_its_pages(chapter, number)
            if self.photos_placed is not None:  # a chapter starts on a new page: these pages are done
                self.photos_placed([item for page in self.stream.pages[first:] for item in page.items
                                    if isinstance(item, PlacedImage)])
        return self.stream.pages

    def chapter(self, chapter: Chapter, number: int) -> None:
        self.flow.flush_floats()
        self.flow.chapter = chapter.title
        self.stream.ensure_side("recto", chapter.title)
        self.outline.append((chapter.title, self.stream.next_index, 0))
        self.pending_title = (chapter, number)
        self.flow.current(chapter.source)  # the opener opens the chapter, whatever its first block
        blocks = list(chapter.blocks)
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if isinstance(block, PhotoBlock):
                run = [block.photo]
                while i + 1 < len(blocks) and isinstance(blocks[i + 1], PhotoBlock):
                    i += 1
                    run.append(blocks[i].photo)
                if len(run) == 1:
                    self.flow.figure(run[0])
                else:
                    self.photo_run(run, "auto", block.source)
            else:
                self.block(block)
            i += 1
        self.flow.flush_floats()

    def block(self, block) -> None:
        style = self.ctx.manuscript.style
        if isinstance(block, TextBlock):
            for paragraph in block.paragraphs:
                self.flow.paragraph(paragraph, style.body, block.source)
        elif isinstance(block, HeadingBlock):
            if self.flow.page is None and self.flow.floats:
                self.flow.flush_floats()
            level = "subsection" if block.level == 2 else "section"
            page = self.flow.heading(block.text, style.subheading if block.level == 2 else style.heading, style.body,
                                     block.source, role=level, space=0.9 if block.level == 2 else 1.25)
            if block.in_toc and level in style.toc_levels:
                self.outline.append((block.text, self.stream.pages.index(page), OUTLINE_LEVELS[level]))
        elif isinstance(block, QuoteBlock):
            self.flow.quote(block.text, block.attribution, style.body, style.caption, block.source)
        elif isinstance(block, PhotoSetBlock):
            if block.title and block.layout == "auto" and self._heading_would_be_left_alone(style):
                self.flow.close()  # the set's title goes over its photos, not alone at the foot of a page
            if block.title:
                page = self.flow.heading(block.title, style.photoset, style.body, block.source, role="photoset-title")
                if "photoset" in style.toc_levels:
                    self.outline.append((block.title, self.stream.pages.index(page), OUTLINE_LEVELS["photoset"]))
            if block.text:
                for paragraph in block.text.split("\n\n"):
                    self.flow.paragraph(paragraph.strip(), style.body, block.source)
            self.photo_run(list(block.photos), block.layout, block.source)
        elif isinstance(block, TemplatePageBlock):
            if self.flow.floats:  # else the page stays open: a short note's page may take the template's photos
                self.flow.flush_floats()
            self.template_block(block)
        elif isinstance(block, BreakBlock):
            self.flow.flush_floats()
            if block.side != "any":
                self.stream.ensure_side(block.side, self.flow.chapter)

    def _on_new_flow_page(self, page: PageDraft) -> None:
        if self.pending_title is None:
            return
        chapter, number = self.pending_title
        self.pending_title = None
        self.opener(page, chapter, number)

    # -- titles ----------------------------------------------------------------------------
    def title_block(self, page: PageDraft, chapter: Chapter, number: int, x: float, top: float, width: float) -> float:
        """Chapter label, title and subtitle; returns the height used."""
        style = self.ctx.manuscript.style
        label_style = style.chapter_label
        words = self.ctx.manuscript.words
        label = self.ctx.set_text(escape(words.say("chapter", number=str(number))), label_style, width, align="left",
                                  hyphenate=False)
        y = top
        page.items.extend(self.ctx.place_lines(label, label_style, x, y, "chapter-label"))
        y += label_style.leading * 1.6
        title = self.ctx.set_text(chapter.title, style.title, width, align="left", hyphenate=False,
                                  where=chapter.source)
        page.items.extend(self.ctx.place_lines(title, style.title, x, y, "title"))
        y += self.ctx.text_height(title, style.title)
        if chapter.subtitle:
            y += style.body.leading * 0.6
            sub = self.ctx.set_text(chapter.subtitle, style.heading, width, align="left", variant="italic",
                                    where=chapter.source)
            page.items.extend(self.ctx.place_lines(sub, style.heading, x, y, "subtitle"))
            y += self.ctx.text_height(sub, style.heading)
        return y - top

    def opener(self, page: PageDraft, chapter: Chapter, number: int) -> None:
        """The chapter's first page, drawn from style.opener's template: its photo (when the chapter has one)
        in the photo frame, the title in the title frame, and the text going on below the title. The
        title's place comes from the template alone, so every chapter opens alike, photo or not."""
        template = self.ctx.templates.get(opener_name(self.ctx))
        page.running_head = False
        page.folio = False
        page.kind = "opener" if chapter.opener else "chapter-start"
        below = page.cursor
        for frame in template.frames:
            rect = self.ctx.frame_rect(template, frame, page.side)
            if frame.kind == "photo" and chapter.opener:
                page.items.append(place_photo(self.photo_pages.own(chapter.opener), rect, frame.area == "bleed"))
            elif frame.kind == "title":
                height = self.title_block(page, chapter, number, rect.x, rect.y, rect.width)
                if height > rect.height + 1:
                    self.ctx.error(chapter.source, f"the chapter title '{_short(chapter.title, 40)}' does not fit "
                                   f"on its page (the title frame of template '{template.name}')",
                                   "shorten the title or subtitle, or make style.title smaller")
                below = max(below, rect.y + height)
            elif frame.kind == "caption" and chapter.opener and chapter.opener.caption:
                self.caption(page, chapter.opener.caption, rect, chapter.opener.source)
        page.cursor = below + self.ctx.manuscript.style.body.leading * 2

    # -- photos ----------------------------------------------------------------------------
    def template_block(self, block: TemplatePageBlock) -> None:
        template = self.ctx.templates.get(block.template)
        kind = "spread" if block.spread else "page"
        if template is None:
            self.ctx.error(block.source, f"unknown template '{block.template}'",
                           self.ctx.templates.suggestion(block.template))
            return
        if block.spread != (template.pages == 2):
            want = "spread" if template.pages == 2 else "page"
            self.ctx.error(block.source, f"template '{template.name}' has {template.pages} page(s), so it is not a "
                           f"{kind}", f"write '{want}: {template.name}' instead of '{kind}: {template.name}'")
            return
        fills = dict(block.slots)
        for name, fill in fills.items():
            frame = template.frame(name)
            if name not in template.slot_names:
                self.ctx.error(block.source, f"template '{template.name}' has no slot '{name}'",
                               did_you_mean(name, template.slot_names)
                               or f"its slots are: {', '.join(template.slot_names)}")
            elif frame.kind == "photo" and fill.text and fill.photo is None:  # the text would silently vanish
                self.ctx.error(block.source, f"slot '{name}' of template '{template.name}' holds a photo, not text",
                               "give it 'photo: path/to/image.jpg', or use a text slot")
            elif frame.kind != "photo" and fill.photo is not None:
                self.ctx.error(block.source, f"slot '{name}' of template '{template.name}' holds text, not a photo",
                               "give it 'text: ...', or put the photo in a photo slot")
        if not self._into_text_page(template, fills, block.source):
            self.template_pages(template, fills, block.source)
        self._text_after_photos()

    def template_pages(self, template: Template, fills: dict[str, SlotFill], source: SourceRef,
                       auto: bool = False) -> None:
        self.flow.close()
        chapter = self.flow.chapter
        if template.pages == 2:
            self.stream.ensure_side("verso", chapter)
            pages = [self.stream.new_page("spread", chapter=chapter, folio=template.folio,
                                          running_head=template.folio, source=source) for _ in range(2)]
        else:
            kind = "full-bleed" if self._covers_page(template) else "photo"
            pages = [self.stream.new_page(kind, chapter=chapter, folio=template.folio, running_head=template.folio,
                                          source=source)]
        rects = self.photo_pages.flex_rects(template, fills, pages[0].side, auto=auto) if template.flex else {}
        if rects is None:
            self._report_unfitted(template, fills, source)
            return
        for frame in template.frames:
            if not template.is_flex(frame):
                self.fill_frame(template, frame, fills, pages, source)
            elif frame.name in rects:
                self._fill_rect(template, frame, fills, pages, rects[frame.name], source)
        if rects and len(pages) == 1:  # text that follows may go on below the photos
            live = self.ctx.live(pages[0].side)
            bottom = max(r.bottom for r in rects.values())
            pages[0].top, pages[0].bottom = live.y, live.bottom
            pages[0].cursor = bottom + self.ctx.manuscript.style.body.leading * 1.5

    def _covers_page(self, template: Template) -> bool:
        trim = self.ctx.trim_rect()
        return any(f.area == "bleed" and f.box is not None and f.rect(self.ctx.area(f, "recto")).contains(trim)
                   for f in template.photo_frames)

    def fill_frame(self, template: Template, frame: Frame, fills: dict[str, SlotFill], pages: list[PageDraft],
                   source: SourceRef) -> None:
        self._fill_rect(template, frame, fills, pages, self.ctx.frame_rect(template, frame, pages[0].side), source)

    def _fill_rect(self, template: Template, frame: Frame, fills: dict[str, SlotFill], pages: list[PageDraft],
                   frame_rect: Rect, source: SourceRef) -> None:
        page, rect = self._page_for(frame_rect, pages)
        if frame.kind == "photo":
            fill = fills.get(frame.name)
            if fill is None or fill.photo is None:
                return
            photo = self.photo_pages.own(fill.photo)
            width = self.ctx.geometry.trim.width
            placed = place_photo(photo, frame_rect, frame.area == "bleed", width if len(pages) == 2 else None)
            if len(pages) == 2:
                inner = self.ctx.geometry.bleed if self.ctx.geometry.bleed_inside else 0.0
                for part, target in zip(split_across_gutter(placed, width, inner), pages):
                    if part is not None:
                        target.items.append(part)
            else:
                page.items.append(placed)
            if fill.caption and template.caption_frame(frame.name) is None:
                self.notes.append((self.stream.pages.index(pages[0]), Diagnostic(
                    Severity.NOTE, f"the caption of slot '{frame.name}' is not shown on the page (template "
                    f"'{template.name}' has no caption frame); it is listed in the photo credits",
                    source.file, source.line or None, source.column or None,
                    "use a template with a caption frame to show it", check="layout")))
        elif frame.kind == "caption":
            fill = fills.get(frame.caption_for or "")
            if fill and fill.caption:
                self.caption(page, fill.caption, rect, fill.photo.source if fill.photo else source)
        elif frame.kind in ("text", "title"):
            fill = fills.get(frame.name)
            if fill and fill.text:
                self.frame_text(page, fill.text, rect, frame, source)

    def _page_for(self, rect, pages: list[PageDraft]):
        """For a spread, the page a (non-photo) frame falls on and its rect in that page's coordinates."""
        if len(pages) == 1:
            return pages[0], rect
        width = self.ctx.geometry.trim.width
        if rect.x >= width - 0.01:
            return pages[1], Rect(rect.x - width, rect.y, rect.width, rect.height)
        return pages[0], rect

    def caption(self, page: PageDraft, text: str, rect, source: SourceRef) -> None:
        style = self.ctx.manuscript.style.caption
        lines = self.ctx.set_text(text, style, rect.width, align="left", where=source)
        if self.ctx.text_height(lines, style) > rect.height + 0.5:
            self.ctx.error(source, f"caption does not fit its frame ({len(lines)} lines in a frame of "
                           f"{rect.height:.0f} pt): '{_short(text)}'",
                           "shorten the caption, or use a template with a larger caption frame")
            return
        page.items.extend(self.ctx.place_lines(lines, style, rect.x, rect.y, "caption"))

    def frame_text(self, page: PageDraft, text: str, rect, frame: Frame, source: SourceRef) -> None:
        style = self.ctx.manuscript.style.title if frame.kind == "title" else self.ctx.manuscript.style.body
        lines = self.ctx.set_text(text, style, rect.width, align=frame.align, where=source)
        if self.ctx.text_height(lines, style) > rect.height + 0.5:
            self.ctx.error(source, f"text for frame '{frame.name}' does not fit ('{_short(text)}')",
                           "shorten the text or use a larger frame")
            return
        page.items.extend(self.ctx.place_lines(lines, style, rect.x, rect.y, "frame-text", rect.width, frame.align))
