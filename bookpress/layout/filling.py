"""The body's pages kept full: photo runs planned into the free part of a text page, text going on below photos,
a chapter's last few lines pulled back by shrinking its inline figures.

A mixin of BodyBuilder (body.py): it works on the builder's stream, flow and photo pages.
"""

from __future__ import annotations

from typing import Optional

from ..book import PlacedImage
from ..diagnostics import did_you_mean
from ..geometry import Rect
from ..load.templates import Template
from ..model import Chapter, Photo, SlotFill, SourceRef
from .context import LayoutContext
from .flow import Flow
from .photopages import PhotoPages
from .stream import PageDraft, PageStream

TAIL_MIN_SPACE = 0.3  # a photo run may start in the free part of a text page this much of the type area high
TEXT_AFTER_PHOTOS = 0.2  # text goes on below a photo page's photos where this much of the type area is free
NEARLY_EMPTY = 0.25  # a page whose text fills less than this share of the type area takes the next photo page
FIGURE_SCALES = (1.0, 0.9, 0.8, 0.7)  # inline figures shrink by these steps to pull a chapter's last lines back


class PageFilling:
    """Photo runs and page filling for the body builder."""

    # what BodyBuilder provides
    ctx: LayoutContext
    stream: PageStream
    flow: Flow
    photo_pages: PhotoPages
    outline: list[tuple[str, int, int]]
    notes: list
    _handed: Optional[tuple[PageDraft, float]]

    def chapter_filling_its_pages(self, chapter: Chapter, number: int) -> None:
        """A chapter whose last page would hold a few lines is laid out again with its inline figures smaller."""
        marks = (len(self.stream.pages), len(self.outline), len(self.notes))
        for scale in FIGURE_SCALES:
            self.flow.figure_scale = scale
            self.chapter(chapter, number)
            if scale == FIGURE_SCALES[-1] or not self._ends_nearly_empty(marks[0]):
                break
            del self.stream.pages[marks[0]:], self.outline[marks[1]:], self.notes[marks[2]:]
            self.flow.close()
        if self.flow.figure_scale != 1.0 and self._ends_nearly_empty(marks[0]):  # it did not help: as written
            del self.stream.pages[marks[0]:], self.outline[marks[1]:], self.notes[marks[2]:]
            self.flow.close()
            self.flow.figure_scale = 1.0
            self.chapter(chapter, number)
        self.flow.figure_scale = 1.0

    def _ends_nearly_empty(self, first: int) -> bool:
        """The chapter's last page holds a few lines only, and there are inline figures before it to shrink."""
        pages = self.stream.pages[first:]
        last = pages[-1] if pages else None
        if last is None or last.kind not in ("text", "chapter-start") or last.cursor is None:
            return False
        used = (last.cursor - last.top) / max(1.0, last.bottom - last.top)
        figures = any(isinstance(i, PlacedImage) for p in pages[:-1] if p.kind in ("text", "chapter-start")
                      for i in p.items)
        return used < NEARLY_EMPTY and figures

    def _heading_would_be_left_alone(self, style) -> bool:
        """Too little room below a heading here for photos to follow it on the same page."""
        page = self.flow.page
        if page is None or not page.has_flow_content:
            return False
        need = style.heading.leading * 2 + style.body.leading * 2
        return self.flow.space_left - need < self.ctx.live(page.side).height * TAIL_MIN_SPACE

    def photo_run(self, photos: list[Photo], layout: str, source: SourceRef) -> None:
        photos = self.flow.floats + photos
        self.flow.floats = []
        tail = self._free_part() if layout == "auto" else None
        text_page = self.flow.page
        self.flow.close()
        if not photos:
            return
        if layout == "auto":
            plan = self.photo_pages.plan(photos, tail)
            for planned in plan:
                fills = {f.name: SlotFill(p, p.caption) for f, p in zip(planned.template.photo_frames, planned.photos)}
                if planned.tail:
                    self._photos_in_text_page(planned.template, fills, text_page, tail, planned.photos[0].source)
                else:
                    self.template_pages(planned.template, fills, planned.photos[0].source, auto=True)
            self._text_after_photos()
            return
        template = self.ctx.templates.get(layout)
        if template is None or not template.photo_frames:
            with_photos = sorted(t.name for t in self.ctx.templates.templates.values() if t.photo_frames)
            problem = f"unknown photo set layout '{layout}'" if template is None else \
                f"template '{layout}' has no photo frames, so it cannot lay out a photo set"
            self.ctx.error(source, problem, (did_you_mean(layout, with_photos) if template is None else None)
                           or f"templates with photo frames: auto, {', '.join(with_photos)}")
            return
        frames = template.photo_frames
        for start in range(0, len(photos), len(frames)):
            chunk = photos[start:start + len(frames)]
            fills = {f.name: SlotFill(p, p.caption) for f, p in zip(frames, chunk)}
            self.template_pages(template, fills, chunk[0].source)
        self._text_after_photos()

    def _free_part(self) -> Optional[Rect]:
        """The free part of the current text page where a photo run may begin, or None."""
        page = self.flow.page
        if page is None or not page.has_flow_content or page.cursor is None:
            return None
        if self._handed is not None and self._handed[0] is page and page.cursor <= self._handed[1] + 0.01:
            return None  # nothing but the last run's photos there yet: a page of its own is better
        live = self.ctx.live(page.side)
        top = page.cursor + self.ctx.manuscript.style.body.leading * 0.75
        if page.bottom - top < live.height * TAIL_MIN_SPACE:
            return None
        return Rect(live.x, top, live.width, page.bottom - top)

    def _photos_in_text_page(self, template: Template, fills: dict[str, SlotFill], page: PageDraft, region: Rect,
                             source: SourceRef, rects: Optional[dict[str, Rect]] = None) -> None:
        rects = rects if rects is not None else self.photo_pages.flex_rects(template, fills, page.side, region) or {}
        for frame in template.frames:
            if frame.name in rects:
                self._fill_rect(template, frame, fills, [page], rects[frame.name], source)
        if rects:
            page.cursor = max(r.bottom for r in rects.values()) + self.ctx.manuscript.style.body.leading

    def _text_after_photos(self) -> None:
        """Let the text that follows go on below the last photo page's photos where there is room."""
        page = self.stream.pages[-1] if self.stream.pages else None
        if page is None or page.kind != "photo" or page.cursor is None:
            return
        live = self.ctx.live(page.side)
        if page.bottom - page.cursor >= live.height * TEXT_AFTER_PHOTOS:
            self.flow.page = page
            self.flow.after_heading = True
            self._handed = (page, page.cursor)

    # -- templates -------------------------------------------------------------------------

    def _into_text_page(self, template: Template, fills: dict[str, SlotFill], source: SourceRef) -> bool:
        """A one-page flex template set below the text of a page that is still mostly empty (a short note)."""
        page, free = self.flow.page, self._free_part()
        if template.flex is None or template.pages != 1 or page is None or free is None:
            return False
        live = self.ctx.live(page.side)
        if free.height < live.height * (1.0 - NEARLY_EMPTY):
            return False
        rects = self.photo_pages.flex_rects(template, fills, page.side, free, auto=False)
        if rects is None:
            return False
        self._photos_in_text_page(template, fills, page, free, source, rects)
        self.flow.close()
        return True

    def _report_unfitted(self, template: Template, fills: dict[str, SlotFill], source: SourceRef) -> None:
        """Flex frames that cannot fit the page: their captions leave no room for the photos."""
        captioned = [fill for fill in fills.values() if fill.photo is not None and fill.caption]
        if captioned:
            longest = max(captioned, key=lambda fill: len(fill.caption or ""))
            self.ctx.error(longest.photo.source if longest.photo else source, "caption does not fit its frame (the "
                           f"captions of template '{template.name}' leave no room for its photos): "
                           f"'{short(longest.caption or '')}'", "shorten the caption, or use a template with "
                           "fewer photos")
        else:
            self.ctx.error(source, f"the photos of template '{template.name}' do not fit the page",
                           "use a template with fewer photos")


def short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
