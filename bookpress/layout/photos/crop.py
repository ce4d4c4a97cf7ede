"""A photo + a frame's shape -> the crop window: the author's focus first, else the detected subject kept whole.

Windows are in the oriented image's pixels (left, top, right, bottom). On a spread
the window is also slid, where the photo leaves room, so that the subject stays
out of the fold.
"""

from __future__ import annotations

from typing import Optional

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as shares of the image's width and height
SAMPLES = 48  # window positions tried when keeping a subject out of the fold


def crop_loss(photo_aspect: float, frame_aspect: float) -> float:
    """Share of the image cut away by `fill` (the same share of the frame stays empty with `fit`)."""
    return 1.0 - min(photo_aspect / frame_aspect, frame_aspect / photo_aspect)


def fill_crop(width: float, height: float, aspect: float, focus: Optional[tuple[float, float]] = None,
              subject: Optional[Box] = None, fold: Optional[tuple[float, float]] = None) -> tuple[float, ...]:
    """The largest window of a width x height image with the given aspect.

    `focus` (the author's point) is centred as far as the image allows; without it the
    `subject` box is kept inside the window where it fits, else centred. `fold` is the
    band of the window (shares of its width) where the subject should not fall.
    """
    if width / height > aspect:
        crop_w, crop_h = height * aspect, height
    else:
        crop_w, crop_h = width, width / aspect
    fx, fy = focus if focus is not None else (None, None)
    span_x = (subject[0], subject[2]) if subject is not None and focus is None else None
    span_y = (subject[1], subject[3]) if subject is not None and focus is None else None
    left = _offset(width, crop_w, fx, span_x, fold if focus is None else None)
    top = _offset(height, crop_h, fy, span_y, None)
    return (left, top, left + crop_w, top + crop_h)


def _offset(extent: float, size: float, point: Optional[float], span: Optional[tuple[float, float]],
            fold: Optional[tuple[float, float]]) -> float:
    slack = extent - size
    if slack <= 0.5:
        return 0.0
    if point is not None:
        return _clamp(point * extent - size / 2, 0.0, slack)
    if span is None:
        return slack / 2
    a, b = span[0] * extent, span[1] * extent
    ideal = (a + b) / 2 - size / 2
    if b - a <= size:  # the whole subject fits: the nearest window to centred on it that holds all of it
        ideal = _clamp(ideal, b - size, a)
    ideal = _clamp(ideal, 0.0, slack)
    if fold is None:
        return ideal
    return min((slack * k / SAMPLES for k in range(SAMPLES + 1)),
               key=lambda left: (_in_fold(a, b, left, size, fold), abs(left - ideal)))


def _in_fold(a: float, b: float, left: float, size: float, fold: tuple[float, float]) -> float:
    """How much of the subject (in pixels) falls in the fold band of a window starting at `left`."""
    zone0, zone1 = left + fold[0] * size, left + fold[1] * size
    return max(0.0, min(b, zone1) - max(a, zone0))


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def kept_share(subject: Box, crop: tuple[float, float, float, float], width: float, height: float) -> float:
    """Share of the subject box's area inside the crop window."""
    sx0, sy0, sx1, sy1 = subject[0] * width, subject[1] * height, subject[2] * width, subject[3] * height
    left, top, right, bottom = crop
    inside = max(0.0, min(sx1, right) - max(sx0, left)) * max(0.0, min(sy1, bottom) - max(sy0, top))
    area = (sx1 - sx0) * (sy1 - sy0)
    return inside / area if area > 0 else 1.0
