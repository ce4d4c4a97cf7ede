"""The wrap's panels (back, spine, front) and the printer's barcode box, in points from the wrap's top-left trim."""

from __future__ import annotations

from dataclasses import dataclass

from ...geometry import Rect, Size
from ...load.printers import INCH, Preset
from ...model import Manuscript


@dataclass(frozen=True)
class CoverGeometry:
    """The wrap's panels, in points from the top-left of its trim; the bleed runs around all four edges."""

    page_width: float
    page_height: float
    bleed: float
    spine: float

    @property
    def trim(self) -> Size:
        return Size(2 * self.page_width + self.spine, self.page_height)

    @property
    def width(self) -> float:
        """The sheet, bleed included."""
        return self.trim.width + 2 * self.bleed

    @property
    def height(self) -> float:
        return self.page_height + 2 * self.bleed

    def back(self) -> Rect:
        return Rect(0, 0, self.page_width, self.page_height)

    def spine_rect(self) -> Rect:
        return Rect(self.page_width, 0, self.spine, self.page_height)

    def front(self) -> Rect:
        return Rect(self.page_width + self.spine, 0, self.page_width, self.page_height)


def cover_geometry(manuscript: Manuscript, preset: Preset, pages: int) -> CoverGeometry:
    spine = preset.spine.width(pages, manuscript.print.paper, manuscript.print.caliper)
    trim = manuscript.format.trim
    return CoverGeometry(trim.width, trim.height, manuscript.format.bleed, spine)


def barcode_area(geometry: CoverGeometry, preset: Preset) -> Rect:
    """Lower right of the back cover, measured from the spine fold and the bottom trim.

    Never nearer the trim or the fold than the printer's safety: the digits under the bars are text,
    and a box at the preset's usual offset would put them where the trimming knife may wander."""
    width, height, from_spine, from_bottom = (v * INCH for v in preset.barcode_in)
    from_spine, from_bottom = max(from_spine, preset.safety), max(from_bottom, preset.safety)
    back = geometry.back()
    return Rect(back.right - from_spine - width, back.bottom - from_bottom - height, width, height)
