"""Manuscript folder -> the reviewer's proof PDF (and its review report), through the compile stages.

load -> layout -> images (RGB, 150 ppi) -> render -> press (boxes only) -> stamp
(PROOF mark, guides) -> optional spreads view. Layout is the print build's, so the
proof has the same pages with the same labels as the print PDF.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional

from ...book import LaidOutBook, Sheet
from ...diagnostics import Diagnostic
from ...images import image_jobs, prepare_all
from ...load import image_problems_located
from ...model import Manuscript
from ...options import BuildIdentity, BuildOptions, Request
from ...pipeline import Progress, load_and_lay_out, stage, write_atomically
from ...press import press_pdf
from ...render import render_pdf
from .marks import page_frames, stamp_proof
from .spreads import impose_spreads


@dataclass(frozen=True)
class ProofOptions:
    guides: bool = False
    spreads: bool = False
    report: bool = True
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
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".proof-", dir=target.parent) as work:
        pages = Path(work) / "pages.pdf"  # the rendered pages, before any mark: the report compares these
        render_pdf(book, images, pages, options.render, progress=stage(progress, "pages"))
        press_pdf(book, pages, options.press)
        sheets: list = []
        write_atomically(target, lambda tmp: sheets.extend(_stamp(pages, tmp, manuscript, options, book, identity,
                                                                   proof)))
        report, changed = None, ()
        if proof.report:
            from ..report import write_review  # the report is optional work: import it only when needed

            review = write_review(review_folder(target), pages, target, manuscript, options, book, identity,
                                  progress=stage(progress, "thumbnails"))
            report, changed = review.index, review.changed
    return ProofResult(manuscript, book, target, identity, report, changed, book.notes, len(sheets))


def _stamp(pages: Path, out: Path, manuscript: Manuscript, options: BuildOptions, book: LaidOutBook,
           identity: BuildIdentity, proof: ProofOptions) -> list[Sheet]:
    """Mark the pages; with --spreads impose them, and return the sheets of the spreads view."""
    shutil.copyfile(pages, out)
    stamp_proof(out, manuscript, options, book, identity, proof.guides)
    if not proof.spreads:
        return []
    single = out.with_name(out.name + ".single")
    os.replace(out, single)
    try:
        return impose_spreads(single, out, book, page_frames(options, book), keep_bleed=proof.guides)
    finally:
        single.unlink(missing_ok=True)
