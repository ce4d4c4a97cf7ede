"""Manuscript folder -> print PDF and its preflight report: the stages in order, and the safe write of the result.

load -> options -> layout -> images -> render -> press -> preflight. The output is written
to a temporary file beside the target and renamed into place only when every stage
succeeded, so a failed compile never leaves a broken PDF nor replaces the last good one.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Optional

from .book import LaidOutBook, PlacedImage
from .diagnostics import Diagnostic, Diagnostics, ManuscriptError, Severity, UsageError, report_together
from .images import (Preparing, cache_prune, check_job, image_job, image_jobs, prepare_all, probe_ahead, process_alive,
                     start_workers)
from .layout import ChapterMemory, layout_book
from .layout.records import folder_bytes, prune_records
from .load import (LIBRARY_HINT, declared_editions, image_problems_located, library_warnings, load_manuscript,
                   photo_notes, probe_cache)
from .images.lifetime import stop_if_requested
from .load.ahead import photo_candidates, probed_ahead
from .load.probecache import ProbeCache
from .load.sources import BUILD_FOLDER
from .model import Manuscript
from .options import (CHECK_RECORDS, IMAGES, LAYOUT_RECORDS, PAGE_RECORDS, BuildOptions, Request, build_options,
                      cache_folder)
from .render import draw_pdf

if TYPE_CHECKING:
    from .preflight import Report

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Stage = Optional[Callable[[int, int], None]]
# Told of each chapter's photos as soon as layout has placed them.
PhotosPlaced = Callable[[BuildOptions, list[PlacedImage]], None]
CheckPhotos = Callable[[Manuscript], list[Diagnostic]]


@dataclass(frozen=True)
class BuildResult:
    manuscript: Manuscript
    options: BuildOptions
    book: LaidOutBook
    pdf: Path
    notes: tuple[Diagnostic, ...] = field(default=())
    preflight: Optional[Report] = None  # the checks on the written PDF (report beside it)


def edition_requests(root: Path, request: Request) -> list[Request]:
    """`--all-editions`: one request per edition book.yaml declares, in its order, each writing its own files."""
    names = declared_editions(root)
    if names is None:  # not a manuscript folder: loading says so
        return [request]
    if not names:
        raise UsageError("book.yaml declares no editions, so --all-editions has nothing to build",
                         "add an 'editions:' mapping to book.yaml; the README's Editions section shows how")
    if request.output is not None:
        raise UsageError("-o names one file, but --all-editions writes one for each edition",
                         "leave out -o: each edition goes to build/<title>-<edition>.pdf")
    return [replace(request, edition=name) for name in names]


def load_and_lay_out(root: Path, request: Request = Request(), photos_placed: Optional[PhotosPlaced] = None,
                     check_photos: Optional[CheckPhotos] = None) -> tuple[Manuscript, BuildOptions, LaidOutBook]:
    """The print layout (compile's, the proof's and the cover's): load and layout problems reported together.

    `photos_placed` hears of each chapter's photos as soon as layout has placed them,
    unless the manuscript already has errors (then no photo is worth preparing).
    `check_photos`, when there are errors, finds the photos that fail only when decoded, so
    that they are reported in the same run as the rest.
    """
    diag = Diagnostics()
    manuscript = load_manuscript(root, printer=request.printer, diag=diag, edition=request.edition)
    options = build_options(manuscript, request)

    def placed(items: list[PlacedImage]) -> None:
        if photos_placed is not None and not diag.has_errors:
            photos_placed(options, items)

    # Loading found errors: the kept layouts are still read (the errors come back as fast), none are written.
    memory = ChapterMemory(options.paths.cache / LAYOUT_RECORDS, keep=not diag.has_errors) \
        if options.paths.cache is not None else None
    try:
        book = report_together(diag, lambda: layout_book(manuscript, options.preset, placed, memory))
    except ManuscriptError as exc:
        if check_photos is None:
            raise
        raise ManuscriptError(exc.diagnostics + tuple(check_photos(manuscript))) from exc
    # The load stage's warnings and the image library's come with layout's notes.
    notes = diag.warnings + tuple(library_warnings(manuscript)) + book.notes
    return manuscript, options, replace(book, notes=notes)


def compile_book(root: Path, request: Request = Request(), progress: Optional[Progress] = None) -> BuildResult:
    booting = False
    if request.jobs > 1:
        # They boot while this process loads and lays out (on a rebuild, only once a photo is missing).
        booting = start_workers(request.jobs, cache_folder(root) / IMAGES if request.cache else None)
    with image_folder(root, request) as folder, \
            Preparing(folder, request.jobs, stage(progress, "images"), shared=request.cache) as preparing:

        def photos_placed(options: BuildOptions, items: list[PlacedImage]) -> None:
            # The workers start on a chapter's photos while the rest of the book is laid out.
            preparing.add(image_job(item, options.render) for item in items)

        def check_photos(manuscript: Manuscript) -> list[Diagnostic]:
            return decode_problems(manuscript, preparing)

        # A first compile's workers probe the photos the YAML names while this process loads (load/ahead.py).
        ahead = probe_ahead(photo_candidates(root)) if booting else {}
        with probed_ahead(ahead), probe_cache(cache_folder(root) if request.cache else None) as probes:
            manuscript, options, book = load_and_lay_out(root, request, photos_placed, check_photos)
        # The print stage is imported only now (pikepdf: ~70 ms), when the workers have photos to prepare.
        from .preflight import preflight
        from .press import press_pdf
        from .render import embed_images

        target = options.paths.pdf
        sweep_scratch(target.parent)  # what a killed compile left there
        jobs = image_jobs(book, options.render)
        preparing.add(jobs)  # the photos outside the chapters (the front and back matter)
        with scratch_file(target, ".drawn") as drawn:
            # The worker processes prepare the photos while this process draws the pages around them.
            pages_cache = options.paths.cache / PAGE_RECORDS if options.paths.cache is not None else None
            stand_ins = draw_pdf(book, drawn, options.render, progress=stage(progress, "pages"), cache=pages_cache)
            # Pressed while small: the photos then go in once, by embed's incremental update.
            press_pdf(book, drawn, options.press, content=" ".join(job.key for job in stand_ins).encode())
            with image_problems_located(manuscript):  # an image that fails to decode: named with where it is used
                images = preparing.result(jobs)
            stop_if_requested()
            files = [images[job] for job in stand_ins]
            with scratch_file(target, ".built") as built:
                embed_images(drawn, files, built, tag_rgb=options.press.tags_rgb,
                             tag_grey=options.press.tags_grey)
                # Checked before it replaces anything: a book that fails preflight is not the new good book.
                report = preflight(manuscript, options, book, built)
                written = options.paths.not_ready if report.failed() else target
                stop_if_requested()  # a stop asked for while a library held the thread: never taken for success
                write_atomically(written, lambda tmp: os.replace(built, tmp))
    write_report(replace(report, pdf=str(written)), options.paths.report)
    notes = book.notes + tuple(cache_notes(manuscript, preparing, probes))
    return BuildResult(manuscript, options, book, written, notes, report)


def decode_problems(manuscript: Manuscript, preparing: Preparing) -> list[Diagnostic]:
    """Every photo decoded once (a small copy): the ones that fail, located where they are used.

    The copies are kept in the book's cache, so that each photo is checked once; a book that
    was never compiled gets no build/ folder for them (they go to a temporary one).
    """
    jobs = list(dict.fromkeys(check_job(photo.image) for photo in manuscript.all_photos()))
    try:
        with image_problems_located(manuscript):
            if preparing.shared and (manuscript.root / BUILD_FOLDER).is_dir():
                preparing.result(jobs)
            else:
                prepare_all(jobs, None, preparing.workers)
    except ManuscriptError as exc:
        return list(exc.diagnostics)
    return []


def cache_notes(manuscript: Manuscript, preparing: Preparing, probes: Optional[ProbeCache]) -> list[Diagnostic]:
    """What the caches and the image library had to say: damaged entries replaced, warnings about photos."""
    notes = [(job.source.path, Severity.NOTE, f"its prepared copy in the image cache ({name}) was damaged; it was "
              "removed and the photo prepared again", "nothing to do; if it happens again, check the disk")
             for job, name in preparing.damaged]
    notes += [(job.source.path, Severity.WARNING, f"the image library warns: {'; '.join(heard)}", LIBRARY_HINT)
              for job, heard in preparing.heard.items()]
    found = photo_notes(manuscript, notes)
    if probes is not None and probes.discarded:
        found.append(Diagnostic(Severity.NOTE, f"{len(probes.discarded)} damaged entries of the probe cache were "
                                "discarded and those photos read again", "build/.cache/probes.json",
                                hint="nothing to do; if it happens again, check the disk", check="cache"))
    return found


def check_book(root: Path, request: Request = Request(), progress: Optional[Progress] = None
               ) -> tuple[Report, Path]:
    """`bookpress check`: build into a temporary folder, preflight, keep only the JSON report."""
    with tempfile.TemporaryDirectory(prefix="bookpress-check-") as folder:
        result = compile_book(root, replace(request, output=Path(folder) / "check.pdf"), progress)
    report = replace(result.preflight, pdf=None)
    path = build_options(result.manuscript, replace(request, output=None)).paths.report
    write_report(report, path)
    return report, path


def write_report(report: Report, path: Path) -> None:
    write_text_atomically(path, json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")


@contextmanager
def image_folder(root: Path, request: Request) -> Iterator[Path]:
    """Where prepared images go: the book's cache (then pruned to its limit), or a folder for this build only."""
    if not request.cache:
        with tempfile.TemporaryDirectory(prefix="bookpress-images-") as folder:
            yield Path(folder)
        return
    folder = cache_folder(root) / IMAGES
    yield folder
    cache_prune(folder, request.cache_limit)
    # The chapters', pages' and checks' records share the limit: what the images leave of it, oldest used go first.
    records = [cache_folder(root) / name for name in (LAYOUT_RECORDS, PAGE_RECORDS, CHECK_RECORDS)]
    prune_records(records, max(0, request.cache_limit - folder_bytes(folder)))


def stage(progress: Optional[Progress], name: str) -> Stage:
    """One stage's progress callback (done, total), or None when nobody is watching."""
    return (lambda done, total: progress(name, done, total)) if progress else None


# Scratch files carry their writer's process id, so that the next compile can tell those of a
# compile that was killed (SIGKILL, a power cut) from those of one that is still running.
_SCRATCH = re.compile(r"^\..*~(?P<pid>\d+)~.*\.(drawn|built|part)(\.pressed)?$")


def _scratch_prefix(target: Path) -> str:
    return f".{target.name[:60]}~{os.getpid()}~"


def sweep_scratch(folder: Path) -> None:
    """Remove the scratch files of compiles that are no longer running."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _SCRATCH.match(name)
        if match and not process_alive(int(match["pid"])):
            (Path(folder) / name).unlink(missing_ok=True)


@contextmanager
def scratch_file(beside: Path, suffix: str) -> Iterator[Path]:
    """A temporary file name next to `beside` (same file system), removed afterwards."""
    try:
        beside.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=_scratch_prefix(beside), suffix=suffix, dir=beside.parent)
    except OSError as exc:  # where the user asked for the PDF cannot take files: a usage error, not a bug
        raise cannot_write(beside, exc) from exc
    os.close(fd)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


# -- atomic output: the old file or the whole new one, never half of either -----------------------------------
# Each write goes to a temporary file in the target's folder (same file system, so the rename is
# atomic) and is renamed over the target only when it is complete. A failure or an interrupt removes
# the temporary file and leaves the previous output as it was. Problems with the target path itself
# are UsageErrors: they are about where the user asked bookpress to write, not about the manuscript.

# Errors that mean "this place cannot take the file" rather than a bug in the writer.
_PLACE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.ENAMETOOLONG,
                 errno.ENOTDIR, errno.EISDIR, errno.ENOENT}


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Call write(temp_path), then move the result onto `target`; on any failure `target` is untouched."""
    target = Path(target)
    tmp = _temporary(target)
    try:
        write(tmp)
        _make_ordinary(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        if exc.errno in _PLACE_ERRNOS and exc.filename in (None, str(tmp), str(target), tmp, target):
            raise cannot_write(target, exc) from exc
        raise
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomically(target: Path, text: str) -> None:
    write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _temporary(target: Path) -> Path:
    if target.is_dir():
        raise UsageError(f"cannot write '{target}': it is a folder", "give a file name, such as book.pdf")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=_scratch_prefix(target), suffix=".part", dir=target.parent)
    except OSError as exc:
        raise cannot_write(target, exc) from exc
    os.close(fd)
    return Path(name)


def _make_ordinary(path: Path) -> None:
    """mkstemp makes the file private (0600); a book is an ordinary file, readable as the umask allows."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def cannot_write(target: Path, exc: OSError) -> UsageError:
    reason = exc.strerror or str(exc)
    return UsageError(f"cannot write '{target}': {reason}",
                      "choose another output file with -o, or free space / fix the folder's permissions")
