"""Manuscript folder -> PDF file: the stages in order, and the safe write of the result.

load -> layout -> images -> render -> press. The output is written to a temporary
file beside the target and renamed into place only when every stage succeeded,
so a failed compile never leaves a broken PDF nor replaces the last good one.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Optional

from .atomic import cannot_write, write_atomically
from .book import LaidOutBook, PlacedImage
from .diagnostics import Diagnostics, report_together
from .images.pool import Preparing, start_workers, usable_cores
from .images.cache import cache_prune
from .load.probecache import probe_cache
from .load.loader import image_problems_located
from .load.manuscript import load_manuscript
from .model import Manuscript
from .render.draw import RenderOptions, draw_pdf, image_job, image_jobs
from .layout.gutter import layout_for_print
from .load.printers import PRESETS

if TYPE_CHECKING:
    from .preflight.checks import Report
    from .press.document import PressOptions

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    printer: Optional[str] = None  # overrides book.yaml's printer
    jobs: int = field(default_factory=usable_cores)  # image worker processes
    cache: bool = True  # False: read and write no cache (probes, prepared images)
    cache_limit: int = 2 << 30  # bytes of prepared images kept between builds (least recently used go)


@dataclass(frozen=True)
class BuildResult:
    manuscript: Manuscript
    book: LaidOutBook
    pdf: Path
    notes: tuple[str, ...] = field(default=())
    preflight: Optional[Report] = None  # the checks on the written PDF (report beside it)


def slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    # Cut at a word: a file name must stay under the file system's 255 bytes, and readable.
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return (words if len(words) <= 80 else words[:81].rsplit("-", 1)[0]).strip("-")[:80] or "book"


def default_output(manuscript: Manuscript) -> Path:
    return manuscript.root / "build" / f"{slug(manuscript.meta.title)}.pdf"


def cache_dir(manuscript: Manuscript) -> Path:
    return images_cache_dir(manuscript.root)


def images_cache_dir(root: Path) -> Path:
    return Path(root).resolve() / "build" / ".cache" / "images"


def probe_cache_dir(root: Path) -> Path:
    return Path(root) / "build" / ".cache"


def render_options(manuscript: Manuscript) -> RenderOptions:
    cmyk = manuscript.print.pdfx == "x1a"
    preset = PRESETS[manuscript.print.printer]
    profile = manuscript.print.profile or preset.profile_path  # x1a converts through the preset's press profile
    return RenderOptions(ppi=manuscript.print.ppi, colour="cmyk" if cmyk else "rgb", profile=profile,
                         links=manuscript.print.pdfx == "none" and preset.annotations_allowed)


def load_and_lay_out(root: Path, printer: Optional[str] = None,
                     photos_placed: Optional[Callable[[Manuscript, list[PlacedImage]], None]] = None,
                     ) -> tuple[Manuscript, LaidOutBook]:
    """The print layout (compile's and the proof's): load and layout problems reported together.

    `photos_placed` hears of each chapter's photos as soon as layout has placed them,
    unless the manuscript already has errors (then no photo is worth preparing).
    """
    diag = Diagnostics()
    manuscript = load_manuscript(root, printer=printer, diag=diag)

    def placed(items: list[PlacedImage]) -> None:
        if photos_placed is not None and not diag.has_errors:
            photos_placed(manuscript, items)

    return report_together(diag, lambda: layout_for_print(manuscript, placed))  # the gutter for the page count


def compile_book(root: Path, out: Optional[Path] = None, options: BuildOptions = BuildOptions(),
                 progress: Optional[Progress] = None) -> BuildResult:
    if options.jobs > 1:
        start_workers(options.jobs)  # they boot while this process loads and lays out
    with image_folder(root, options) as folder, Preparing(folder, options.jobs, _stage(progress, "images")) as preparing:

        def photos_placed(manuscript: Manuscript, items: list[PlacedImage]) -> None:
            # The workers start on a chapter's photos while the rest of the book is laid out.
            render = render_options(manuscript)
            preparing.add(image_job(item, render) for item in items)

        with probe_cache(probe_cache_dir(root) if options.cache else None):  # unchanged photos are not re-hashed
            manuscript, book = load_and_lay_out(root, options.printer, photos_placed)
        # The print stage is imported only now (pikepdf: ~70 ms), when the workers have photos to prepare.
        from .preflight.checks import preflight, report_path, write_report
        from .press.document import press_options, press_pdf

        press = press_options(manuscript)
        target = out or default_output(manuscript)
        render = render_options(manuscript)
        jobs = image_jobs(book, render)
        preparing.add(jobs)  # the photos outside the chapters (the front and back matter)
        with _scratch_file(target, ".drawn") as drawn:
            # The worker processes prepare the photos while this process draws the pages around them.
            stand_ins = draw_pdf(book, drawn, render, progress=_stage(progress, "pages"))
            # Pressed while small: the photos then go in once, by embed's incremental update.
            press_pdf(book, drawn, press, content=" ".join(job.key for job in stand_ins).encode())
            with image_problems_located(manuscript):  # an image that fails to decode: named with where it is used
                images = preparing.result(jobs)
            files = [images[job] for job in stand_ins]
            with _scratch_file(target, ".built") as built:
                _embed_and_press(book, drawn, files, built, press)
                # Checked before it replaces anything: a book that fails preflight is not the new good book.
                report = preflight(manuscript, book, built)
                written = not_ready_path(target) if report.failed() else target
                write_atomically(written, lambda tmp: os.replace(built, tmp))
    write_report(replace(report, pdf=str(written)), report_path(target))
    return BuildResult(manuscript, book, written, book.notes, report)


def not_ready_path(target: Path) -> Path:
    """Where a PDF that failed preflight goes, so the last good one at `target` stays."""
    return target.with_name(f"{target.stem}.not-ready{target.suffix}")


@contextmanager
def image_folder(root: Path, options: BuildOptions) -> Iterator[Path]:
    """Where prepared images go: the book's cache (then pruned to its limit), or a folder for this build only."""
    if not options.cache:
        with tempfile.TemporaryDirectory(prefix="bookpress-images-") as folder:
            yield Path(folder)
        return
    yield images_cache_dir(root)
    cache_prune(images_cache_dir(root), options.cache_limit)


def _stage(progress: Optional[Progress], stage: str) -> Optional[Callable[[int, int], None]]:
    return (lambda done, total: progress(stage, done, total)) if progress else None


@contextmanager
def _scratch_file(beside: Path, suffix: str) -> Iterator[Path]:
    """A temporary file name next to `beside` (same file system), removed afterwards."""
    try:
        beside.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{beside.stem}-", suffix=suffix, dir=beside.parent)
    except OSError as exc:  # where the user asked for the PDF cannot take files: a usage error, not a bug
        raise cannot_write(beside, exc) from exc
    os.close(fd)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _embed_and_press(book: LaidOutBook, drawn: Path, files: list[Path], tmp: Path, press: PressOptions) -> None:
    """`drawn` was pressed already (boxes, PDF/X keys, /ID): the photos are appended, RGB ones tagged for PDF/X-4."""
    from .render.embed import embed_images
    from .press.document import rgb_profile

    embed_images(drawn, files, tmp, rgb_profile=rgb_profile(press))
