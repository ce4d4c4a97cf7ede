"""Photos' shapes + a box -> justified rows (or columns) of frames that take each photo's own aspect ratio.

Within a row every photo has one height and the row spans the box, so nothing is
cropped and the gap between photos is the same across and down (a caption's
height is added below its photo, not taken from the gap). Rows that together are
taller than the box are scaled down as one block, centred across; a block that is
shorter hangs from the top of the box. A photo that may not grow as large as its
row asks (its pixels would print below the minimum resolution) keeps its own
smaller size inside its place in the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from ...geometry import Rect

CaptionHeight = Callable[[float], float]  # width in points -> the caption's height set at that width (0: none)


@dataclass(frozen=True)
class FlexItem:
    aspect: float  # width / height
    max_width: float = float("inf")  # points: the widest it may print at the minimum resolution
    caption: Optional[CaptionHeight] = None


@dataclass(frozen=True)
class FlexLayout:
    photos: tuple[Rect, ...]  # in item order
    captions: tuple[Optional[Rect], ...]
    bounds: Rect  # the block's extent (photos and captions)


CAPTION_GAP = 4.0  # points between a photo and its caption
MIN_SCALE = 0.5  # captions may shrink the photos to this share of their size without captions, no further
PASSES = 4  # caption heights depend on widths, widths on caption heights: this settles them


def solve(direction: str, groups: Sequence[Sequence[int]], items: Sequence[FlexItem], region: Rect,
          gap: float, align: str = "top") -> Optional[FlexLayout]:
    """Frames for `items` set in `groups` (rows or columns of item indexes); None if they cannot fit the region."""
    if direction == "columns":
        flipped = _solve_columns(groups, items, region, gap)
    else:
        flipped = _solve_rows(groups, items, region, gap)
    if flipped is None:
        return None
    photos, captions = flipped
    bounds = _bounds([r for r in photos] + [c for c in captions if c is not None])
    if align == "center":
        dy = (region.height - bounds.height) / 2 - (bounds.y - region.y)
        photos = [_shift(r, 0.0, dy) for r in photos]
        captions = [None if c is None else _shift(c, 0.0, dy) for c in captions]
        bounds = _shift(bounds, 0.0, dy)
    return FlexLayout(tuple(photos), tuple(captions), bounds)


def _caption(item: FlexItem, width: float) -> float:
    return item.caption(width) if item.caption is not None else 0.0


def _shown_width(item: FlexItem, width: float) -> float:
    return min(width, item.max_width)


def _solve_rows(groups, items, region: Rect, gap: float):
    bare = sum((region.width - gap * (len(g) - 1)) / sum(items[i].aspect for i in g) for g in groups)
    bare_scale = min(1.0, (region.height - gap * (len(groups) - 1)) / bare)
    scale = 1.0
    for _ in range(PASSES):
        rows = []
        for group in groups:
            height, widths = _row(group, items, (region.width - gap * (len(group) - 1)) * scale)
            caps = [_caption(items[i], _shown_width(items[i], w)) for i, w in zip(group, widths)]
            band = max(caps) + CAPTION_GAP if max(caps) > 0 else 0.0
            rows.append((height, widths, band))
        photo_height = sum(height for height, _, _ in rows)
        fixed = sum(band for _, _, band in rows) + gap * (len(rows) - 1)
        if photo_height + fixed <= region.height + 0.01:
            if scale < bare_scale * MIN_SCALE:
                return None
            return _place_rows(groups, items, rows, region, gap)
        if region.height - fixed <= 1.0:
            return None
        scale *= (region.height - fixed) / photo_height
    return None


def _row(group, items, across: float) -> tuple[float, list[float]]:
    """A row's height and its photos' widths: those held to their largest size give their room to the others."""
    capped: dict[int, float] = {}
    while True:
        free = [i for i in group if i not in capped]
        if not free:
            return max(capped[i] / items[i].aspect for i in group), [capped[i] for i in group]
        height = max(1e-6, across - sum(capped.values())) / sum(items[i].aspect for i in free)
        over = [i for i in free if items[i].aspect * height > items[i].max_width]
        if not over:
            return height, [capped.get(i, items[i].aspect * height) for i in group]
        for i in over:
            capped[i] = items[i].max_width


def _place_rows(groups, items, rows, region: Rect, gap: float):
    photos: list[Optional[Rect]] = [None] * len(items)
    captions: list[Optional[Rect]] = [None] * len(items)
    y = region.y
    for group, (height, widths, band) in zip(groups, rows):
        x = region.x + (region.width - sum(widths) - gap * (len(group) - 1)) / 2
        for i, width in zip(group, widths):
            shown = _shown_width(items[i], width)
            rect = Rect(x + (width - shown) / 2, y, shown, shown / items[i].aspect)
            photos[i] = rect
            cap = _caption(items[i], shown)
            if cap > 0:
                captions[i] = Rect(rect.x, rect.bottom + CAPTION_GAP, rect.width, cap)
            x += width + gap
        y += height + band + gap
    return photos, captions


def _solve_columns(groups, items, region: Rect, gap: float):
    widths = [(region.height - gap * (len(group) - 1)) / sum(1 / items[i].aspect for i in group) for group in groups]
    bare = sum(widths) * min(1.0, (region.width - gap * (len(groups) - 1)) / sum(widths))
    scale = 1.0
    for _ in range(PASSES):
        new = []
        for group, width in zip(groups, widths):
            caps = [_caption(items[i], _shown_width(items[i], width)) for i in group]
            fixed = sum(c + CAPTION_GAP for c in caps if c > 0) + gap * (len(group) - 1)
            if region.height - fixed <= 1.0:
                return None
            new.append((region.height - fixed) / sum(1 / items[i].aspect for i in group))
        across = region.width - gap * (len(groups) - 1)
        scale = min(1.0, across / sum(new))
        settled = all(abs(w * scale - old) < 0.5 for w, old in zip(new, widths))
        widths = [w * scale for w in new]
        if settled:
            break
    if sum(widths) < bare * MIN_SCALE:
        return None
    return _place_columns(groups, items, widths, region, gap)


def _place_columns(groups, items, widths, region: Rect, gap: float):
    photos: list[Optional[Rect]] = [None] * len(items)
    captions: list[Optional[Rect]] = [None] * len(items)
    # a column whose photos are all held back is only as wide as its widest
    spans = [max(_shown_width(items[i], w) for i in group) for group, w in zip(groups, widths)]
    x = region.x + (region.width - sum(spans) - gap * (len(groups) - 1)) / 2
    for group, width in zip(groups, spans):
        y = region.y
        for i in group:
            shown = _shown_width(items[i], width)
            rect = Rect(x + (width - shown) / 2, y, shown, shown / items[i].aspect)
            photos[i] = rect
            y = rect.bottom
            cap = _caption(items[i], shown)
            if cap > 0:
                captions[i] = Rect(rect.x, y + CAPTION_GAP, rect.width, cap)
                y += CAPTION_GAP + cap
            y += gap
        x += width + gap
    if any(r.bottom > region.bottom + 0.5 for r in photos + captions if r is not None):
        return None
    return photos, captions


def _bounds(rects: list[Rect]) -> Rect:
    x0, y0 = min(r.x for r in rects), min(r.y for r in rects)
    x1, y1 = max(r.right for r in rects), max(r.bottom for r in rects)
    return Rect(x0, y0, x1 - x0, y1 - y0)


def _shift(rect: Rect, dx: float, dy: float) -> Rect:
    return Rect(rect.x + dx, rect.y + dy, rect.width, rect.height)
