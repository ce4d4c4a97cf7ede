"""Photos + frames -> placed images; a spread's image -> its two halves, each running on into the inner bleed."""

from __future__ import annotations

import math
from typing import Optional

from ...book import PlacedImage
from ...geometry import Rect
from ...model import Photo
from .crop import fill_crop

FOLD_CLEAR = 15 * 72 / 25.4  # points each side of a spread's fold kept free of the subject


def place_photo(photo: Photo, frame: Rect, bleeds: bool = False, fold: Optional[float] = None) -> PlacedImage:
    """`photo` in `frame`: cropped to it (`fill`) or letterboxed in it (`fit`).

    `fold` is the x of a spread's fold in the frame's coordinates: the subject is kept
    out of the band around it where the photo leaves room.
    """
    info = photo.image
    if photo.fit == "fit":
        scale = min(frame.width / info.width, frame.height / info.height)
        w, h = info.width * scale, info.height * scale
        rect = Rect(frame.x + (frame.width - w) / 2, frame.y + (frame.height - h) / 2, w, h)
        return PlacedImage(photo, rect, (0.0, 0.0, float(info.width), float(info.height)), frame, bleeds)
    band = None
    if fold is not None:
        band = ((fold - FOLD_CLEAR - frame.x) / frame.width, (fold + FOLD_CLEAR - frame.x) / frame.width)
    crop = fill_crop(info.width, info.height, frame.width / frame.height, photo.focus, info.subject, band)
    return PlacedImage(photo, frame, crop, frame, bleeds)


def split_across_gutter(placed: PlacedImage, page_width: float,
                        inner_bleed: float = 0.0) -> tuple[PlacedImage | None, PlacedImage | None]:
    """A spread image (x measured across both pages) -> its verso part and its recto part, each in page coordinates.

    Where the printer bleeds on the binding edge (`inner_bleed` > 0) each half runs on past
    the fold into its page's inner bleed with the rest of the picture, so a binding that
    is trimmed a little off still shows the picture there, not white paper.
    """
    rect, (left, top, right, bottom) = placed.rect, placed.crop
    px_per_pt = (right - left) / rect.width
    parts: list[PlacedImage | None] = []
    for page_left, page_right, shift in ((-math.inf, page_width + inner_bleed, 0.0),
                                         (page_width - inner_bleed, math.inf, page_width)):
        x0, x1 = max(rect.x, page_left), min(rect.right, page_right)
        if x1 - x0 <= 0.01 or (x0 >= page_width - 0.01 and shift == 0.0) or (x1 <= page_width + 0.01 and shift):
            parts.append(None)  # nothing of the picture on this page itself (its bleed alone does not count)
            continue
        crop = (left + (x0 - rect.x) * px_per_pt, top, left + (x1 - rect.x) * px_per_pt, bottom)
        part_rect = Rect(x0 - shift, rect.y, x1 - x0, rect.height)
        f0, f1 = max(placed.frame.x, page_left), min(placed.frame.right, page_right)
        frame = Rect(f0 - shift, placed.frame.y, f1 - f0, placed.frame.height)
        crosses = x1 > page_width + 0.01 if shift == 0.0 else x0 < page_width - 0.01
        parts.append(PlacedImage(placed.photo, part_rect, crop, frame, placed.bleeds or crosses))
    return parts[0], parts[1]
