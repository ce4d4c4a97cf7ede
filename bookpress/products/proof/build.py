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
from typing import Callable, Optional

from ...book import LaidOutBook
from ...images.pool import prepare_all
from ...load.loader import image_problems_located
from ...model import Manuscript
from ...pipeline import cache_dir, load_and_lay_out, slug
from ...atomic import write_atomically
from ...render.draw import RenderOptions, image_jobs, render_pdf
from ...press.document import press_pdf
from .identity import BuildIdentity, build_identity
from .marks import page_frames, stamp_proof
from .spreads import impose_spreads

PROOF_PPI = 150  # screen resolution: sharp on a monitor, a fraction of the print file's size
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ProofOptions:
    guides: bool = False
    spreads: bool = False
    report: bool = True
    printer: Optional[str] = None  # overrides book.yaml's printer (it can change the page count)
    jobs: int = os.cpu_count() or 1
    cache: bool = True
    now: Optional[datetime] = None  # the date printed on the pages (default: now)


@dataclass(frozen=True)
class ProofResult:
    manuscript: Manuscript
    book: LaidOutBook
    pdf: Path
    identity: BuildIdentity
    report: Optional[Path] = None  # the review report's index.html
    changed: tuple[str, ...] = ()  # labels of pages that changed since the previous proof
    notes: tuple[str, ...] = field(default=())


def default_proof_output(manuscript: Manuscript) -> Path:
    return manuscript.root / "build" / f"{slug(manuscript.meta.title)}-proof.pdf"


def review_folder(pdf: Path) -> Path:
    """build/<slug>-proof.pdf -> build/<slug>-review/ (beside the proof, wherever it was written)."""
    stem = pdf.stem[: -len("-proof")] if pdf.stem.endswith("-proof") else pdf.stem
    return pdf.parent / f"{stem}-review"


def make_proof(root: Path, out: Optional[Path] = None, options: ProofOptions = ProofOptions(),
               progress: Optional[Progress] = None) -> ProofResult:
    """Build the proof PDF of the manuscript in `root` (and its review report unless options.report is off)."""
    manuscript, book = load_and_lay_out(root, options.printer)  # compile's layout: the same pages
    identity = build_identity(manuscript, options.now)
    target = out or default_proof_output(manuscript)
    render = RenderOptions(ppi=PROOF_PPI, colour="rgb", links=True)
    with image_problems_located(manuscript):
        images = prepare_all(image_jobs(book, render), cache_dir(manuscript) if options.cache else None,
                             workers=options.jobs, progress=_stage(progress, "images"))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".proof-", dir=target.parent) as work:
        pages = Path(work) / "pages.pdf"  # the rendered pages, before any mark: the report compares these
        render_pdf(book, images, pages, render, progress=_stage(progress, "pages"))
        press_pdf(book, pages)
        write_atomically(target, lambda tmp: _stamp(pages, tmp, manuscript, book, identity, options))
        report, changed = None, ()
        if options.report:
            from ..report import write_review

            review = write_review(review_folder(target), pages, target, manuscript, book, identity,
                                  progress=_stage(progress, "thumbnails"))
            report, changed = review.index, review.changed
    return ProofResult(manuscript, book, target, identity, report, changed, book.notes)


def _stamp(pages: Path, out: Path, manuscript: Manuscript, book: LaidOutBook, identity: BuildIdentity,
           options: ProofOptions) -> None:
    shutil.copyfile(pages, out)
    stamp_proof(out, manuscript, book, identity, options.guides)
    if options.spreads:
        single = out.with_name(out.name + ".single")
        os.replace(out, single)
        try:
            impose_spreads(single, out, book, page_frames(manuscript, book), keep_bleed=options.guides)
        finally:
            single.unlink(missing_ok=True)


def _stage(progress: Optional[Progress], stage: str) -> Optional[Callable[[int, int], None]]:
    return (lambda done, total: progress(stage, done, total)) if progress else None
