"""The body's photo pages: page areas and caption measures for the planner, flex frames solved for a page's side.

The planner works on a recto's type area; a planned page is fitted again on its real
side with each caption measured exactly, so what is drawn is what fits.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache
from typing import Optional, Sequence

from ..book import Side
from ..geometry import Rect
from ..load.templates import Template
from ..model import Photo, SlotFill
from .context import BASELINE_RISE, LayoutContext
from .photos.fit import Fitted, PageArea, fit_template
from .photos.plan import PlannedPage, auto_candidates, plan_photo_pages

ESTIMATE_SLACK = 1.06  # planned captions count this much wider than one line set at full length


class PhotoPages:
    def __init__(self, ctx: LayoutContext) -> None:
        self.ctx = ctx
        self.candidates = auto_candidates(ctx.templates)
        self._areas = {side: self._page_area(side) for side in ("recto", "verso")}
        self._natural = lru_cache(maxsize=None)(self._natural_width)
        # An author's focus given for a photo anywhere holds wherever that photo is placed.
        self.focus: dict[str, tuple[float, float]] = {}
        for photo in ctx.manuscript.all_photos():
            if photo.focus is not None:
                self.focus.setdefault(photo.image.digest, photo.focus)

    def area(self, side: Side) -> PageArea:
        return self._areas[side]

    def _page_area(self, side: Side) -> PageArea:
        settings = self.ctx.manuscript.print
        return PageArea(self.ctx.live(side), lambda frame: self.ctx.area(frame, side), self.caption_height,
                        float(settings.min_ppi), float(settings.ppi))

    def own(self, photo: Photo) -> Photo:
        """The photo with the author's focus for its image where this use gave none."""
        if photo.focus is None and photo.image.digest in self.focus:
            return replace(photo, focus=self.focus[photo.image.digest])
        return photo

    # -- captions ----------------------------------------------------------------------
    def caption_height(self, text: str, width: float, exact: bool) -> float:
        style = self.ctx.manuscript.style.caption
        if exact:
            return self.ctx.text_height(self.ctx.set_text(text, style, width, align="left"), style)
        lines = max(1, math.ceil(self._natural(text) * ESTIMATE_SLACK / max(width, 1.0)))
        font = self.ctx.fonts.face(style.font)
        return BASELINE_RISE * style.size + (lines - 1) * style.leading + self.ctx.fonts.descent(font, style.size)

    def _natural_width(self, text: str) -> float:
        style = self.ctx.manuscript.style.caption
        lines = self.ctx.set_text(text, style, 1e5, align="left", hyphenate=False)
        return sum(line.width for line in lines)

    # -- planning and fitting ----------------------------------------------------------
    def plan(self, photos: Sequence[Photo], tail: Optional[Rect]) -> list[PlannedPage]:
        return plan_photo_pages([self.own(p) for p in photos], self.candidates, self.area("recto"), tail)

    def fit(self, template: Template, fills: dict[str, SlotFill], side: Side, region: Optional[Rect] = None,
            auto: bool = True) -> Optional[Fitted]:
        """A flex template's frames on `side` for the photos in `fills`, captions measured exactly.

        Auto layout never grows a photo past its pixels at print.min_ppi; a template the
        author named grows its photos as the template says (preflight reports the resolution).
        """
        photos = []
        for frame in template.photo_frames:
            fill = fills.get(frame.name)
            photos.append(None if fill is None or fill.photo is None else
                          replace(self.own(fill.photo), caption=fill.caption))
        area = self.area(side) if auto else replace(self.area(side), min_ppi=1e-9)
        return fit_template(template, photos, area, region, exact=True)

    def flex_rects(self, template: Template, fills: dict[str, SlotFill], side: Side,
                   region: Optional[Rect] = None, auto: bool = True) -> Optional[dict[str, Rect]]:
        """Frame name -> its solved rect, for the flex photo frames and their caption frames; None if they cannot fit."""
        fitted = self.fit(template, fills, side, region, auto)
        if fitted is None:
            return None
        rects: dict[str, Rect] = {}
        for frame, rect, caption in zip(template.photo_frames, fitted.photos, fitted.captions):
            if rect.width > 0:
                rects[frame.name] = rect
                caption_frame = template.caption_frame(frame.name)
                if caption_frame is not None and caption is not None:
                    rects[caption_frame.name] = caption
        return rects
