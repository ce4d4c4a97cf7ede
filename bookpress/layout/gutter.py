"""Manuscript -> LaidOutBook whose inside margin meets the printer's minimum for the final page count.

KDP and Lulu want a wider gutter for thicker books. The page count is known only
after layout, and widening the gutter can push the count into the next band, so
layout runs again until the margin and the count agree (the margin only grows,
so this settles within a few passes).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from ..book import LaidOutBook, PhotosPlaced
from . import layout_book
from ..model import Manuscript
from ..load.printers import INCH, PRESETS

MAX_PASSES = 5


def layout_for_print(manuscript: Manuscript, photos_placed: Optional[PhotosPlaced] = None
                     ) -> tuple[Manuscript, LaidOutBook]:
    """Lay out the book, widening the inside margin where the printer requires; returns the manuscript used.

    `photos_placed` hears of photos as layout places them, on every pass.
    """
    preset = PRESETS[manuscript.print.printer]
    current, book = manuscript, layout_book(manuscript, photos_placed)
    for _ in range(MAX_PASSES):
        need = preset.min_inside(len(book.pages))
        if current.format.margins.inside >= need - 0.01:
            break
        current = with_inside_margin(current, need)
        book = layout_book(current, photos_placed)
    if current is not manuscript:
        note = (f"inside margin widened from {manuscript.format.margins.inside / INCH:.3f} in to "
                f"{current.format.margins.inside / INCH:.3f} in: printer '{preset.name}' requires it for "
                f"{len(book.pages)} pages")
        book = replace(book, notes=book.notes + (note,))
    return current, book


def with_inside_margin(manuscript: Manuscript, inside: float) -> Manuscript:
    margins = replace(manuscript.format.margins, inside=inside)
    return replace(manuscript, format=replace(manuscript.format, margins=margins))
