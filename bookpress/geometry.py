"""Lengths and rectangles: text like '20mm' -> points, and the one coordinate convention.

Every position in bookpress is in PostScript points (1/72 in), measured from the
top-left corner of the trimmed page, x to the right and y downwards. The bleed
therefore has negative coordinates on the top and left. Only the renderer flips
y into PDF space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

POINTS_PER_UNIT = {"pt": 1.0, "in": 72.0, "mm": 72.0 / 25.4, "cm": 72.0 / 2.54}

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*(pt|in|mm|cm|%)?\s*$")


class LengthError(ValueError):
    """A length string that cannot be read; the message says what was expected."""


def parse_length(value: str | float | int, *, percent_of: float | None = None) -> float:
    """'20mm' -> 56.69 pt. Bare numbers are points. '%' needs `percent_of`."""
    if isinstance(value, bool):
        raise LengthError(f"expected a length such as 12mm, 0.5in or 10pt, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    match = _LENGTH.match(str(value))
    if not match:
        raise LengthError(f"expected a length such as 12mm, 0.5in or 10pt, got {value!r}")
    number, unit = float(match.group(1)), match.group(2) or "pt"
    if unit == "%":
        if percent_of is None:
            raise LengthError(f"a percentage ({value!r}) is not allowed here; use mm, cm, in or pt")
        return number / 100.0 * percent_of
    return number * POINTS_PER_UNIT[unit]


@dataclass(frozen=True)
class Size:
    width: float
    height: float


@dataclass(frozen=True)
class Sides:
    """Page margins, named by binding side so that they mirror on verso pages."""

    top: float
    bottom: float
    inside: float
    outside: float


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def inset(self, left: float, top: float, right: float, bottom: float) -> Rect:
        return Rect(self.x + left, self.y + top, self.width - left - right, self.height - top - bottom)

    def contains(self, other: Rect, tolerance: float = 0.01) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def intersects(self, other: Rect) -> bool:
        return not (
            other.x >= self.right or other.right <= self.x or other.y >= self.bottom or other.bottom <= self.y
        )


# Named trims; "-landscape" swaps any of them.
NAMED_TRIMS_MM = {
    "a3": (297, 420),
    "a4": (210, 297),
    "a5": (148, 210),
    "b5": (176, 250),
}
NAMED_TRIMS_IN = {
    "us-letter": (8.5, 11),
    "letter": (8.5, 11),
    "us-trade": (6, 9),
    "square": (8.5, 8.5),
}

_TRIM = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?\s*$", re.IGNORECASE
)


def parse_trim(text: str) -> Size:
    """'a4', 'a4-landscape', '8.5in x 11in', '8x10in', '210x280mm' -> Size in points."""
    name = str(text).strip().lower()
    landscape = name.endswith("-landscape")
    if landscape:
        name = name[: -len("-landscape")]
    size: Size | None = None
    if name in NAMED_TRIMS_MM:
        w, h = NAMED_TRIMS_MM[name]
        size = Size(w * POINTS_PER_UNIT["mm"], h * POINTS_PER_UNIT["mm"])
    elif name in NAMED_TRIMS_IN:
        w, h = NAMED_TRIMS_IN[name]
        size = Size(w * 72.0, h * 72.0)
    else:
        match = _TRIM.match(name)
        if match:
            w_unit = match.group(2) or match.group(4)
            h_unit = match.group(4) or match.group(2)
            if w_unit and h_unit:
                size = Size(
                    float(match.group(1)) * POINTS_PER_UNIT[w_unit.lower()],
                    float(match.group(3)) * POINTS_PER_UNIT[h_unit.lower()],
                )
    if size is None or size.width <= 0 or size.height <= 0:
        known = ", ".join(sorted(NAMED_TRIMS_MM) + sorted(NAMED_TRIMS_IN))
        raise LengthError(f"expected a trim size like '8.5in x 11in' or '210x280mm', or one of: {known}; got {text!r}")
    return Size(size.height, size.width) if landscape else size
