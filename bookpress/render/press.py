"""Rendered PDF -> print-ready PDF: page boxes, document language, viewer hints.

Runs on the finished file with pikepdf, so the renderer stays ignorant of print
production. PDF/X variants add their keys here too.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from ..book import LaidOutBook


def page_boxes(book: LaidOutBook, index: int) -> dict[str, list[float]]:
    """MediaBox, BleedBox and TrimBox of a page in PDF user space (origin at the media's lower left)."""
    page = book.pages[index]
    left, top, right, bottom = book.geometry.bleed_sides(page.side)
    trim = book.geometry.trim
    media = [0.0, 0.0, trim.width + left + right, trim.height + top + bottom]
    trim_box = [left, bottom, left + trim.width, bottom + trim.height]
    return {"MediaBox": media, "BleedBox": list(media), "TrimBox": trim_box}


def press_pdf(book: LaidOutBook, path: Path) -> None:
    """Set the boxes of every page and the document-level keys, in place."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for index, page in enumerate(pdf.pages):
            for name, box in page_boxes(book, index).items():
                page.obj[pikepdf.Name("/" + name)] = pikepdf.Array([round(v, 4) for v in box])
        pdf.Root.Lang = pikepdf.String(book.meta.language)
        pdf.Root.PageLayout = pikepdf.Name.TwoPageRight  # a book: page 1 alone, then spreads
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        pdf.save(path, deterministic_id=True)
