"""A template + the photos for its slots -> where each photo and caption goes on the page, and how well they fit.

Fixed frames come from the template's boxes (a photo is cropped to its frame's shape);
flex frames are solved from the photos' own shapes (justified rows or columns) and
never grow a photo past its pixels at the minimum resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from ...geometry import Rect
from ...load.templates import Frame, Template
from ...model import Photo
from .crop import crop_loss
from .flex import FlexItem, solve

INCH = 72.0


@dataclass(frozen=True)
class PageArea:
    """What photo layout knows of a page, in points: its type area and how captions measure."""

    live: Rect  # the type area (of a recto: layout is planned on one side, margins mirror)
    area_rect: Callable[[Frame], Rect]  # the rect a fixed frame's box is measured in (live, trim or bleed)
    caption_height: Callable[[str, float, bool], float]  # (caption, width, exact) -> height set at that width
    min_ppi: float = 200.0  # auto layout never prints a photo coarser than this
    ppi: float = 300.0  # the target: finer than this gains nothing


@dataclass(frozen=True)
class Fitted:
    template: Template
    photos: tuple[Rect, ...]  # one per photo frame, in the template's order
    captions: tuple[Optional[Rect], ...]  # the caption's frame for each, None where the template has none
    losses: tuple[float, ...]  # share of each photo cropped away (or left empty by `fit`)
    ppis: tuple[float, ...]  # each photo's printed resolution
    bounds: Rect  # what the page's photos and captions cover


def max_width(photo: Photo, min_ppi: float) -> float:
    """The widest (points) a whole photo may print without falling below `min_ppi`."""
    return photo.image.width / min_ppi * INCH


def printed_ppi(photo: Photo, rect: Rect) -> float:
    """Pixels per inch of the photo as placed in `rect` (cropped to it, or letterboxed in it with `fit`)."""
    info = photo.image
    frame_aspect = rect.width / rect.height
    if photo.fit == "fit":
        shown_w = min(rect.width, rect.height * info.aspect)
        return info.width / (shown_w / INCH)
    kept_w = info.width if frame_aspect >= info.aspect else info.height * frame_aspect
    return kept_w / (rect.width / INCH)


def fit_template(template: Template, photos: Sequence[Optional[Photo]], page: PageArea,
                 region: Optional[Rect] = None, exact: bool = False) -> Optional[Fitted]:
    """The template's frames filled with `photos` (in photo-frame order); None if a flex block cannot fit.

    `region` replaces a flex template's own box (the free part of a text page); `exact`
    sets each caption to measure it instead of estimating its lines.
    """
    if template.flex is not None:
        return _fit_flex(template, photos, page, region, exact)
    rects, captions, losses, ppis = [], [], [], []
    for frame, photo in zip(template.photo_frames, photos):
        rect = frame.rect(page.area_rect(frame))
        caption_frame = template.caption_frame(frame.name)
        rects.append(rect)
        captions.append(caption_frame.rect(page.area_rect(caption_frame)) if caption_frame and photo else None)
        losses.append(crop_loss(photo.image.aspect, rect.width / rect.height) if photo else 0.0)
        ppis.append(printed_ppi(photo, rect) if photo else 0.0)  # an empty frame (a run's last page)
    covered = rects + [c for c in captions if c is not None]
    return Fitted(template, tuple(rects), tuple(captions), tuple(losses), tuple(ppis), _bounds(covered))


def _fit_flex(template: Template, photos: Sequence[Optional[Photo]], page: PageArea, region: Optional[Rect],
              exact: bool) -> Optional[Fitted]:
    """Flex frames solved for the photos given; a frame without a photo (an empty slot) drops out of its row."""
    flex = template.flex
    frames = template.photo_frames
    present = {frame.name: (i, photo) for i, (frame, photo) in enumerate(zip(frames, photos)) if photo is not None}
    order = [name for name in flex.names if name in present]
    if not order:
        return None
    items = []
    for name in order:
        photo = present[name][1]
        caption = None
        if photo.caption and template.caption_frame(name) is not None:
            caption = (lambda width, text=photo.caption: page.caption_height(text, width, exact))
        items.append(FlexItem(photo.image.aspect, max_width(photo, page.min_ppi), caption))
    position = {name: k for k, name in enumerate(order)}
    groups = [[position[name] for name in group if name in position] for group in flex.groups]
    laid = solve(flex.direction, [g for g in groups if g], items, region or flex.region(page.live), flex.gap,
                 flex.align)
    if laid is None:
        return None
    empty = Rect(0.0, 0.0, 0.0, 0.0)
    rects, captions, ppis = [empty] * len(frames), [None] * len(frames), [0.0] * len(frames)
    for name, rect, caption in zip(order, laid.photos, laid.captions):
        i, photo = present[name]
        rects[i], captions[i], ppis[i] = rect, caption, printed_ppi(photo, rect)
    return Fitted(template, tuple(rects), tuple(captions), (0.0,) * len(frames), tuple(ppis), laid.bounds)


def _bounds(rects: list[Rect]) -> Rect:
    x0, y0 = min(r.x for r in rects), min(r.y for r in rects)
    x1, y1 = max(r.right for r in rects), max(r.bottom for r in rects)
    return Rect(x0, y0, x1 - x0, y1 - y0)
