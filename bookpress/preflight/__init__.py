"""Laid-out book + its PDF -> a preflight Report (the preflight stage): what a printer's upload tool checks.

Geometry checks (resolution, safe area, gutter, page count) read the laid-out book, where
every placement is known exactly (book_checks.py); file checks (fonts, boxes, ink) read the
PDF itself, as a printer would (pdf_checks.py).
"""

from __future__ import annotations

from pathlib import Path

from ..book import LaidOutBook
from ..load.printers import INCH
from ..model import Manuscript
from ..options import BuildOptions
from .book_checks import check_edges, check_page_count, check_resolution, gutter_zone
from .pdf_checks import inspect_pdf
from .photo_checks import check_repeats, check_subjects
from .report import CHECKS, Report

__all__ = ["CHECKS", "Report", "preflight"]


def preflight(manuscript: Manuscript, options: BuildOptions, book: LaidOutBook, pdf: Path | None) -> Report:
    """Run every check; the file checks only when there is a PDF."""
    preset, settings = options.preset, manuscript.print
    measured: dict[str, str] = {}
    findings = check_resolution(book, settings.min_ppi, measured)
    findings += check_edges(book, preset)
    findings += check_page_count(book, settings, preset)
    repeats, subjects = check_repeats(book), check_subjects(book)
    findings += repeats + subjects
    measured["repeat"] = f"{len(repeats)} photo(s) placed again without 'repeat: true'"
    measured["subject"] = f"{len(subjects)} crop(s) cutting a detected subject or leaving it in the fold"
    measured["safe-area"] = f"{preset.safety / INCH:.3f} in from the trim"
    measured["gutter"] = f"{gutter_zone(preset, len(book.pages)) / INCH:.3f} in from the binding edge"
    most = preset.pages_allowed(settings.paper)
    measured["page-count"] = f"{len(book.pages)} pages ({preset.min_pages}..{most}, multiple of {preset.page_multiple})"
    ink_limit = preset.ink_limit if settings.pdfx == "x1a" else None
    if pdf is None:
        for key in ("fonts", "boxes", "ink"):
            measured[key] = "not checked (no PDF)"
    else:
        found, highest = inspect_pdf(pdf, book, ink_limit)
        findings += found
        measured["fonts"] = ", ".join(book.fonts) or "no text"
        measured["boxes"] = "MediaBox, BleedBox, TrimBox on every page"
        measured["ink"] = f"highest {highest:.0f}% (limit {ink_limit}%)" if highest is not None else \
            "not checked (images stay RGB; the printer separates them)"
    return Report(manuscript.meta.title, preset.name, settings.pdfx, len(book.pages), str(pdf) if pdf else None,
                  tuple(findings), tuple(measured.items()))
