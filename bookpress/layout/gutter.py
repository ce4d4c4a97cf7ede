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
from ..diagnostics import Diagnostic, Severity
from ..load.printers import INCH, Preset
from ..model import Manuscript
from .engine import layout_pass
from .recall import ChapterMemory

MAX_PASSES = 5


def layout_book(manuscript: Manuscript, preset: Preset, photos_placed: Optional[PhotosPlaced] = None,
                memory: Optional[ChapterMemory] = None) -> LaidOutBook:
    """Lay out the book, widening the inside margin where the printer requires (book.geometry has the margins used).

    `photos_placed` hears of photos as layout places them, on every pass. `memory` recalls the
    chapters an earlier build laid out with the same inputs (recall.py).
    """
    current, book = manuscript, layout_pass(manuscript, preset, photos_placed, memory)
    for _ in range(MAX_PASSES):
        need = preset.min_inside(len(book.pages))
        if current.format.margins.inside >= need - 0.01:
            break
        current = with_inside_margin(current, need)
        book = layout_pass(current, preset, photos_placed, memory)
    if current is not manuscript:
        note = Diagnostic(Severity.NOTE, f"inside margin widened from {manuscript.format.margins.inside / INCH:.3f} "
                          f"in to {current.format.margins.inside / INCH:.3f} in: printer '{preset.name}' requires "
                          f"it for {len(book.pages)} pages", hint="set format.margins.inside to this to silence "
                          "this note", check="gutter")
        book = replace(book, notes=book.notes + (note,))
    return book


def with_inside_margin(manuscript: Manuscript, inside: float) -> Manuscript:
    margins = replace(manuscript.format.margins, inside=inside)
    return replace(manuscript, format=replace(manuscript.format, margins=margins))
