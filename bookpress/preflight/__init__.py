"""Laid-out book + its PDF -> a preflight Report (the preflight stage): what a printer's upload tool checks.

Geometry checks (resolution, safe area, gutter, page count) read the laid-out book, where
every placement is known exactly (book_checks.py); file checks (fonts, boxes, ink) read the
PDF itself, as a printer would (pdf_checks.py).
"""

from __future__ import annotations

from pathlib import Path

from ..book import LaidOutBook
from ..diagnostics import Diagnostic
from ..load.printers import INCH
from ..model import Manuscript
from ..options import CHECK_RECORDS, BuildOptions
from .book_checks import check_edges, check_page_count, check_resolution, gutter_zone
from .cover_checks import check_cover_text
from .isbn_check import check_isbn
from .pdf_checks import inspect_pdf
from .photo_checks import check_credits, check_repeats, check_subjects
from .report import CHECKS, Report
from .reversed_type import check_reversed_type

__all__ = ["CHECKS", "Report", "preflight", "preflight_cover"]


def preflight(manuscript: Manuscript, options: BuildOptions, book: LaidOutBook, pdf: Path | None) -> Report:
    """Run every check; the file checks only when there is a PDF."""
    preset, settings = options.preset, manuscript.print
    measured: dict[str, str] = {}
    findings = check_resolution(book, settings.min_ppi, measured)
    findings += check_edges(book, preset, measured)
    findings += check_page_count(book, settings, preset)
    repeats, subjects = check_repeats(book), check_subjects(book)
    credits = check_credits(manuscript, book)
    findings += repeats + subjects + credits
    measured["credits"] = f"{len(credits)} photo(s) without a credit in the manuscript or the image's metadata"
    findings += check_reversed_type(book, measured) + check_isbn(manuscript, preset, measured)
    measured["repeat"] = f"{len(repeats)} photo(s) placed again without 'repeat: true'"
    measured["subject"] = f"{len(subjects)} crop(s) cutting a detected subject or leaving it in the fold"
    measured["gutter"] = f"{gutter_zone(preset, len(book.pages)) / INCH:.3f} in from the binding edge"
    most = preset.pages_allowed(settings.paper)
    measured["page-count"] = f"{len(book.pages)} pages ({preset.min_pages}..{most}, multiple of {preset.page_multiple})"
    cache = options.paths.cache / CHECK_RECORDS if options.paths.cache is not None else None
    findings += _file_checks(manuscript, book, pdf, measured, cache)
    return Report(manuscript.meta.title, preset.name, settings.pdfx, len(book.pages), str(pdf) if pdf else None,
                  tuple(findings), tuple(measured.items()))


def preflight_cover(manuscript: Manuscript, options: BuildOptions, cover: LaidOutBook, pdf: Path,
                    folds: tuple[float, float]) -> Report:
    """The cover wrap (a one-page book) checked like the interior: resolution, text, fonts, boxes, ink.

    `folds`: the spine's two folds, in points from the wrap's left trim edge.
    """
    measured: dict[str, str] = {}
    findings = check_resolution(cover, manuscript.print.min_ppi, measured)
    findings += check_cover_text(cover, options.preset.safety, folds, measured)
    findings += check_reversed_type(cover, measured) + check_isbn(manuscript, options.preset, measured)
    measured["gutter"] = "not checked (a cover has no binding edge of its own)"
    measured["page-count"] = "not checked (a cover)"
    measured["repeat"] = measured["subject"] = "not checked (a cover's one photo is the author's choice)"
    measured["credits"] = "not checked (the interior's photo credits name the cover photo's photographer)"
    findings += _file_checks(manuscript, cover, pdf, measured)
    return Report(cover.meta.title, options.preset.name, manuscript.print.pdfx, 1, str(pdf), tuple(findings),
                  tuple(measured.items()))


def _file_checks(manuscript: Manuscript, book: LaidOutBook, pdf: Path | None, measured: dict[str, str],
                 cache: Path | None = None) -> list[Diagnostic]:
    """Fonts, boxes and total ink, read from the PDF as a printer's checker reads it (`cache`: where the
    pages found clean are remembered, so that a rebuild reads only the pages that changed)."""
    settings = manuscript.print
    ink_limit = settings.ink_limit if settings.pdfx == "x1a" else None
    if pdf is None:
        for key in ("fonts", "boxes", "ink"):
            measured[key] = "not checked (no PDF)"
        return []
    found, highest = inspect_pdf(pdf, book, ink_limit, cache)
    measured["fonts"] = (", ".join(book.fonts) + "; every character drawn has its glyph") if book.fonts else "no text"
    measured["boxes"] = "MediaBox, BleedBox, TrimBox on every page"
    measured["ink"] = _ink_measured(highest, ink_limit)
    return found


def _ink_measured(highest: tuple[float, str | None] | None, limit: int | None) -> str:
    if highest is None:
        return "not checked (images stay RGB; the printer separates them)"
    peak, where = highest
    if where is None:
        return f"no CMYK images (limit {limit}%)"
    return f"highest {peak:.1f}% at the pixel, {where} (limit {limit}%)"
