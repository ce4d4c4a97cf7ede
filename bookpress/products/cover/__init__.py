"""Manuscript folder -> cover wrap PDF: back + spine + front with bleed, the spine sized for the final page count.

The interior is laid out first (no pixels) for its page count, which sets the spine width
from the printer's caliper or formula. The wrap is then laid out as a one-page book of
its own (panels.py) and goes through the same stages as the interior: images, render,
press, preflight. The front photo runs into the bleed on its three outer edges above a panel
with the title; the back carries the blurb from book.yaml and, in the printer's barcode box,
the ISBN's EAN-13 (barcode.py), or nothing when there is no ISBN (the printer puts its own
there). Positions are in points from the top-left of the wrap's trim, y down.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from ...book import LaidOutBook, PlacedText
from ...diagnostics import Diagnostic, Severity
from ...geometry import Rect
from ...images import image_jobs, prepare_all
from ...load import image_problems_located
from ...load.printers import INCH, SPINE_TEXT_CLEARANCE, Preset
from ...model import Manuscript
from ...options import BuildOptions, Request
from ...pipeline import load_and_lay_out, scratch_file, write_atomically, write_report
from ...preflight import Report, preflight_cover
from ...press import press_pdf
from ...render import render_pdf
from .barcode import Barcode
from .frame import CoverGeometry, barcode_area, cover_geometry
from .panels import SPINE_TEXT_MIN, CoverLayout, lay_out_cover

__all__ = ["CoverGeometry", "CoverLayout", "CoverResult", "barcode_area", "build_cover", "cover_geometry",
           "lay_out_cover"]


@dataclass(frozen=True)
class CoverResult:
    pdf: Path
    pages: int
    geometry: CoverGeometry
    spine_text: bool
    barcode: Rect  # the printer's barcode box
    notes: tuple[Diagnostic, ...] = ()
    preflight: Optional[Report] = None  # the wrap's own checks (report beside it)
    symbol: Optional[Barcode] = None  # the ISBN's barcode in the box; None: the box is left clear
    blurb_lines: tuple[str, ...] = ()  # the back's blurb as set, line by line
    measure_characters: float = 0.0  # the blurb column, in average characters of the blurb

    @property
    def width_in(self) -> float:
        return self.geometry.width / INCH

    @property
    def height_in(self) -> float:
        return self.geometry.height / INCH

    @property
    def spine_in(self) -> float:
        return self.geometry.spine / INCH


def build_cover(root: Path, request: Request = Request()) -> CoverResult:
    """Lay out the book for its page count, then lay out, render, press and preflight the wrap.

    `request.output` is the cover's path (default build/<slug>-cover.pdf); its preflight report is
    written beside it. A wrap that fails preflight goes to <slug>-cover.not-ready.pdf, as a book does.
    """
    manuscript, options, book = load_and_lay_out(root, request)
    pages = len(book.pages)
    geometry = cover_geometry(manuscript, options.preset, pages)
    allowed = pages >= options.preset.spine.text_min_pages
    barcode = barcode_area(geometry, options.preset)
    laid = lay_out_cover(manuscript, options, geometry, barcode, allowed)
    cover = laid.book
    spine_text = any(isinstance(item, PlacedText) and item.role == "spine" for item in cover.pages[0].items)
    target = request.output or options.paths.sibling("-cover")
    with image_problems_located(manuscript):
        images = prepare_all(image_jobs(cover, options.render), options.paths.images, workers=1)
    folds = (geometry.spine_rect().x, geometry.spine_rect().right)
    with scratch_file(target, ".cover") as built:
        _render_and_press(cover, images, built, options)
        report = preflight_cover(manuscript, options, cover, built, folds)
        written = target.with_name(f"{target.stem}.not-ready{target.suffix}") if report.failed() else target
        write_atomically(written, lambda tmp: os.replace(built, tmp))
    report = replace(report, pdf=str(written))
    write_report(report, target.with_name(target.stem + ".preflight.json"))
    notes = _notes(manuscript, options.preset, pages, allowed, spine_text, geometry, laid)
    return CoverResult(written, pages, geometry, spine_text, barcode, tuple(notes), report, laid.barcode,
                       laid.blurb_lines, laid.measure_characters)


def _render_and_press(cover: LaidOutBook, images: dict, out: Path, options: BuildOptions) -> None:
    render_pdf(cover, images, out, options.render)
    press_pdf(cover, out, options.press)


def _notes(manuscript: Manuscript, preset: Preset, pages: int, allowed: bool, spine_text: bool,
           geometry: CoverGeometry, laid: CoverLayout) -> list[Diagnostic]:
    notes = []
    if not allowed:
        notes.append(f"no text on the spine: printer '{preset.name}' allows it from {preset.spine.text_min_pages} "
                     f"pages, the book has {pages}")
    elif not spine_text:
        notes.append(f"no text on the spine: at {geometry.spine / INCH:.3f} in it has no room for "
                     f"{SPINE_TEXT_MIN:g} pt type {SPINE_TEXT_CLEARANCE / INCH:g} in from each fold")
    if preset.spine.approximate and not manuscript.print.caliper:
        notes.append(f"the spine width is approximate (printer '{preset.name}', {manuscript.print.paper} paper): "
                     "check it against the printer's cover template, or set print.caliper in book.yaml")
    if manuscript.cover.photo is None:
        notes.append("no cover photo: add 'cover: {photo: photos/...}' to book.yaml")
    if not manuscript.meta.isbn:
        notes.append(f"no barcode: the book has no ISBN, so the barcode box is left clear for printer "
                     f"'{preset.name}' (give 'isbn:' in book.yaml for one)")
        if manuscript.cover.price:
            notes.append("cover.price is not printed: its add-on goes beside the ISBN's barcode")
    elif laid.barcode is None:
        notes.append("no barcode: the printer's barcode box is narrower than the ISBN's symbol at 80%")
    found = [Diagnostic(Severity.NOTE, note, check="cover") for note in notes]
    if laid.blurb_lines_cut:
        found.append(Diagnostic(Severity.WARNING, f"the blurb is cut: its last {laid.blurb_lines_cut} line(s) do "
                                "not fit above the barcode", check="cover",
                                hint="shorten cover.back_text in book.yaml (about 120 words fit a 6 x 9 in back)"))
    return found
