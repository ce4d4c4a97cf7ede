"""Manuscript folder -> the reviewer's proof PDF (and its review report), through the compile stages.

load -> layout -> images (RGB, 150 ppi) -> render -> press (boxes only) -> stamp
(PROOF mark, guides) -> optional spreads view. Layout is the print build's, so the
proof has the same pages with the same labels as the print PDF.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional

import pikepdf

from ...book import LaidOutBook, Sheet, sheets_for
from ...diagnostics import Diagnostic
from ...images import ImageJob, image_job, image_jobs, prepare_all
from ...images.softproof import Simulation, simulate_book
from ...load import image_problems_located
from ...model import Manuscript
from ...options import BuildIdentity, BuildOptions, Request
from ...pipeline import Progress, load_and_lay_out, stage, write_atomically
from ...press import press_pdf
from ...render import render_pdf
from .layers import add_layers
from .marks import SLUG, draw_sheet_marks, page_frames, stamp_proof
from .spreads import impose_spreads, sheet_size


@dataclass(frozen=True)
class ProofOptions:
    guides: bool = False
    spreads: bool = False
    report: bool = True
    soft_proof: bool = True  # photos as the printer's profile will print them, with gamut and ink layers
    show_gamut: bool = False  # the gamut-warning layer shown when the proof opens (it is there either way)
    show_ink: bool = False  # the total-ink heat-map layer shown when the proof opens
    now: Optional[datetime] = None  # the date printed on the pages (default: now)


@dataclass(frozen=True)
class ProofResult:
    manuscript: Manuscript
    book: LaidOutBook
    pdf: Path
    identity: BuildIdentity
    report: Optional[Path] = None  # the review report's index.html
    changed: tuple[str, ...] = ()  # labels of pages that changed since the previous proof
    notes: tuple[Diagnostic, ...] = field(default=())
    sheets: int = 0  # with --spreads: the sheets of the spreads view (0: one PDF page a book page)


def review_folder(pdf: Path) -> Path:
    """build/<slug>-proof.pdf -> build/<slug>-review/ (beside the proof, wherever it was written)."""
    stem = pdf.stem[: -len("-proof")] if pdf.stem.endswith("-proof") else pdf.stem
    return pdf.parent / f"{stem}-review"


def make_proof(root: Path, request: Request = Request(), proof: ProofOptions = ProofOptions(),
               progress: Optional[Progress] = None) -> ProofResult:
    """Build the proof PDF of the manuscript in `root` (and its review report unless proof.report is off).

    `request.output` is the proof's path (default build/<slug>-proof.pdf).
    """
    manuscript, print_options, book = load_and_lay_out(root, request)  # compile's layout: the same pages
    options = print_options.for_proof()
    identity = options.identity(manuscript, proof.now)
    target = request.output or options.paths.sibling("-proof")
    with image_problems_located(manuscript):
        images = prepare_all(image_jobs(book, options.render), options.paths.images, workers=options.jobs,
                             progress=stage(progress, "images"))
    simulation = _simulate(book, images, print_options, options) if proof.soft_proof else None
    # The proof shows each photo as the press will print it; the report also keeps the screen colours.
    shown = images if simulation is None else {image_job(item, options.render): soft.view
                                               for item, soft in simulation.photos.items()}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".proof-", dir=target.parent) as work:
        pages = Path(work) / "pages.pdf"  # the rendered pages, before any mark: the report compares these
        render_pdf(book, shown, pages, options.render, progress=stage(progress, "pages"))
        press_pdf(book, pages, options.press)
        sheets: list[Sheet] = []
        write_atomically(target, lambda tmp: sheets.extend(_stamp(pages, tmp, manuscript, options, book, identity,
                                                                   proof, simulation)))
        report, changed = None, ()
        if proof.report:
            from ..report import write_review  # the report is optional work: import it only when needed

            review = write_review(review_folder(target), pages, target, manuscript, options, book, identity,
                                  simulation, progress=stage(progress, "thumbnails"))
            report, changed = review.index, review.changed
    return ProofResult(manuscript, book, target, identity, report, changed, book.notes, len(sheets))


def _simulate(book: LaidOutBook, images: dict[ImageJob, Path], print_options: BuildOptions,
              options: BuildOptions) -> Simulation:
    """The proof's photos through the printer's own press profile (the print build's), as they will print."""
    press = print_options.render.profile or print_options.preset.profile_path
    condition = print_options.press.condition
    name = condition.info.split(":")[0] if condition is not None else Path(press).stem
    limit = print_options.render.ink_limit or print_options.preset.ink_limit  # the manuscript's, for X-1a
    return simulate_book(book, images, options.render, press, name, limit, options.paths.images, options.jobs,
                         print_options.render.intent)


def _stamp(pages: Path, out: Path, manuscript: Manuscript, options: BuildOptions, book: LaidOutBook,
           identity: BuildIdentity, proof: ProofOptions, simulation: Optional[Simulation]) -> list[Sheet]:
    """Mark the pages (and add the soft proof's layers); with --spreads impose them, and return the sheets."""
    note = f"soft proof: {simulation.condition}" if simulation is not None else ""
    frames = page_frames(options, book)
    with pikepdf.open(pages) as pdf:  # one pass over the file: saving it (with its photos) is the slow part
        stamp_proof(pdf, manuscript, options, book, identity, proof.guides, note)
        if simulation is not None:
            shown = frozenset(kind for kind, on in (("gamut", proof.show_gamut), ("ink", proof.show_ink)) if on)
            add_layers(pdf, manuscript, book, frames, simulation, shown)
        pdf.save(out, deterministic_id=True)
    if not proof.spreads:
        return []
    single = out.with_name(out.name + ".single")
    os.replace(out, single)
    try:
        sheets = sheets_for(len(book.pages))
        size = sheet_size(book, proof.guides, SLUG)
        marks = draw_sheet_marks(manuscript, book, sheets, size, identity, note)
        return impose_spreads(single, out, book, frames, keep_bleed=proof.guides, marks=marks, slug=SLUG)
    finally:
        single.unlink(missing_ok=True)
