"""Photos + frames -> placed images; a run of photos -> a sequence of template pages.

Cropping keeps the author's focal point in view. The auto layout keeps the author's
order and chooses, by dynamic programming, the templates whose frames best match
the photos' shapes: least cropping, least wasted size, some variety.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

from ...book import PlacedImage
from ...geometry import Rect
from ...load.templates import Frame, Template, TemplateSet
from ...model import Photo

PAGE_COST = 1.5  # a page spent; balances fewer pages against larger photos
CROP_WEIGHT = 4.0  # per unit of image area cropped away (or left empty by `fit`)
SMALLNESS_WEIGHT = 2.0  # per photo, for how far below a full page it is shown
REPEAT_COST = 0.35  # the same template twice in a row
MAX_CROP = 0.45  # auto layout never crops away more than this share of a photo


def fill_crop(width: float, height: float, aspect: float, focus: tuple[float, float]) -> tuple[float, ...]:
    """The largest crop of a width x height image with the given aspect, centred on focus as far as it can be."""
    if width / height > aspect:
        crop_w, crop_h = height * aspect, height
    else:
        crop_w, crop_h = width, width / aspect
    left = min(max(focus[0] * width - crop_w / 2, 0.0), width - crop_w)
    top = min(max(focus[1] * height - crop_h / 2, 0.0), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


def crop_loss(photo_aspect: float, frame_aspect: float) -> float:
    """Share of the image cut away by `fill` (the same share of the frame stays empty with `fit`)."""
    return 1.0 - min(photo_aspect / frame_aspect, frame_aspect / photo_aspect)


def place_photo(photo: Photo, frame: Rect, bleeds: bool = False) -> PlacedImage:
    info = photo.image
    if photo.fit == "fit":
        scale = min(frame.width / info.width, frame.height / info.height)
        w, h = info.width * scale, info.height * scale
        rect = Rect(frame.x + (frame.width - w) / 2, frame.y + (frame.height - h) / 2, w, h)
        return PlacedImage(photo, rect, (0.0, 0.0, float(info.width), float(info.height)), frame, bleeds)
    crop = fill_crop(info.width, info.height, frame.width / frame.height, photo.focus)
    return PlacedImage(photo, frame, crop, frame, bleeds)


def split_across_gutter(placed: PlacedImage, page_width: float) -> tuple[PlacedImage | None, PlacedImage | None]:
    """A spread image (x measured across both pages) -> its verso part and its recto part, each in page coordinates."""
    rect, (left, top, right, bottom) = placed.rect, placed.crop
    px_per_pt = (right - left) / rect.width
    parts: list[PlacedImage | None] = []
    for page_left, page_right, shift in ((-math.inf, page_width, 0.0), (page_width, math.inf, page_width)):
        x0, x1 = max(rect.x, page_left), min(rect.right, page_right)
        if x1 - x0 <= 0.01:
            parts.append(None)
            continue
        crop = (left + (x0 - rect.x) * px_per_pt, top, left + (x1 - rect.x) * px_per_pt, bottom)
        part_rect = Rect(x0 - shift, rect.y, x1 - x0, rect.height)
        frame = Rect(max(placed.frame.x, page_left) - shift, placed.frame.y,
                     min(placed.frame.right, page_right) - max(placed.frame.x, page_left), placed.frame.height)
        parts.append(PlacedImage(placed.photo, part_rect, crop, frame, placed.bleeds))
    return parts[0], parts[1]


@dataclass(frozen=True)
class PlannedPage:
    template: Template
    photos: tuple[Photo, ...]


def _suits(suit: str, photo: Photo) -> bool:
    return suit == "any" or suit == photo.image.orientation_class


def auto_candidates(templates: TemplateSet) -> list[Template]:
    return [t for t in templates.templates.values()
            if t.pages == 1 and t.suits and len(t.suits) == len(t.photo_frames)]


def plan_photo_pages(photos: Sequence[Photo], candidates: Sequence[Template], frame_rect: Callable[[Template, Frame], Rect],
                     page_area: float, caption_fits: Callable[[Photo, Template, Frame], bool]) -> list[PlannedPage]:
    """Cheapest sequence of template pages that shows `photos` in order (dynamic programming)."""
    n = len(photos)
    # best[i][template name] = (cost, previous state, template) for placing photos[:i] ending with that template
    best: list[dict[str, tuple[float, tuple[int, str] | None, Template | None]]] = [dict() for _ in range(n + 1)]
    best[0][""] = (0.0, None, None)
    for i in range(n):
        for last, (cost_so_far, _, _) in list(best[i].items()):
            for template in candidates:
                k = len(template.photo_frames)
                chunk = photos[i:i + k]
                if len(chunk) < k:
                    continue
                page_cost = _page_cost(template, chunk, frame_rect, page_area, caption_fits)
                if page_cost is None:
                    continue
                total = cost_so_far + page_cost + (REPEAT_COST if template.name == last else 0.0)
                current = best[i + k].get(template.name)
                if current is None or total < current[0] - 1e-9:
                    best[i + k][template.name] = (total, (i, last), template)
    if not best[n]:
        return [PlannedPage(_fallback(candidates), (p,)) for p in photos]
    plan: list[PlannedPage] = []
    state: tuple[int, str] | None = (n, min(best[n], key=lambda name: (best[n][name][0], name)))
    while state and state[0] > 0:
        i, name = state
        _, previous, template = best[i][name]
        start = previous[0]
        plan.append(PlannedPage(template, tuple(photos[start:i])))
        state = previous
    return list(reversed(plan))


def _page_cost(template: Template, chunk: Sequence[Photo], frame_rect, page_area: float, caption_fits) -> float | None:
    cost = PAGE_COST
    for suit, frame, photo in zip(template.suits, template.photo_frames, chunk):
        if not _suits(suit, photo):
            return None
        rect = frame_rect(template, frame)
        loss = crop_loss(photo.image.aspect, rect.width / rect.height)
        if loss > MAX_CROP:
            return None
        if photo.caption and not caption_fits(photo, template, frame):
            return None
        share = min(1.0, rect.width * rect.height / page_area)
        cost += CROP_WEIGHT * loss + SMALLNESS_WEIGHT * (1.0 - math.sqrt(share))
    return cost


def _fallback(candidates: Sequence[Template]) -> Template:
    """One photo a page when nothing else fits (e.g. a caption too long for every caption frame)."""
    singles = [t for t in candidates if len(t.photo_frames) == 1 and any(f.kind == "caption" for f in t.frames)]
    return (singles or [t for t in candidates if len(t.photo_frames) == 1])[0]
