"""Command line -> pipeline calls: the typer app and its commands. Each parses nothing itself (typer
did), builds the request, calls one verb and reports; what the user sees is in terminal.py."""

from __future__ import annotations

import gc
import signal
import sys
import time
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .images import start_workers
from .images.lifetime import stop_requested
from .options import IMAGES, Request, cache_folder
from .terminal import (
    EXIT_INTERNAL,
    EXIT_MANUSCRIPT,
    EXIT_USAGE,
    AllEditionsOpt,
    Command,
    Group,
    DebugOpt,
    EditionOpt,
    JobsOpt,
    ManuscriptArg,
    PrinterOpt,
    QuietOpt,
    default_manuscript,
    each_edition,
    err,
    guarded,
    handle_signals,
    internal_error,
    manuscript_dir,
    out,
    parse_cache_limit,
    progress_bars,
    show_diagnostics,
    show_notes,
    show_preflight,
)

app = typer.Typer(cls=Group, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Compile a manuscript of YAML chapters and photos into a print-ready PDF photo book.")


def version_callback(value: bool) -> None:
    if value:
        out.print(f"bookpress {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                              help="Show the version and exit.")) -> None:
    """bookpress: photo books from YAML and photos, ready for the printer."""


@app.command(cls=Command)
def compile(
    manuscript: Optional[Path] = ManuscriptArg,
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Where to write the PDF."),
    printer: Optional[str] = PrinterOpt,
    edition: Optional[str] = EditionOpt,
    all_editions: bool = AllEditionsOpt,
    jobs: int = JobsOpt,
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help="Probe, lay out, draw and prepare everything again; keep nothing."),
    cache_limit: str = typer.Option("2G", "--cache-limit", metavar="SIZE",
                                    help="What build/.cache keeps: prepared images, laid-out chapters, drawn "
                                    "pages (least recently used go first)."),
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """Compile the manuscript into a print-ready PDF (or one PDF for each edition)."""
    root = manuscript_dir(manuscript)
    request = Request(printer, jobs, not no_cache, parse_cache_limit(cache_limit), output, edition)
    with guarded(debug), progress_bars(quiet) as progress:
        if jobs > 1:  # first: they boot (~0.4 s) while the pipeline is imported and the book loads
            start_workers(jobs, cache_folder(root) / IMAGES if request.cache else None)
        from .pipeline import compile_book

        # Each edition is reported as soon as it is written.
        failed = each_edition(root, request, all_editions, lambda r: _show_compiled(compile_book(root, r, progress),
                                                                                     quiet))
    if any(outcome is not False for outcome in failed):
        raise typer.Exit(EXIT_MANUSCRIPT)


def _show_compiled(result, quiet: bool) -> bool:
    """Say what one compile wrote; True when it is not ready for the printer."""
    if not quiet:
        show_notes(result.notes)
        out.print(f"wrote {result.pdf} ({len(result.book.pages)} pages{_edition_of(result)})", markup=False,
                  soft_wrap=True)
    if result.preflight is None:
        return False
    # An author compiles all day: warnings get one line here; `check` prints them in full.
    show_preflight(result.preflight, quiet, strict=False,
                   hint="'bookpress check' lists them; the JSON report is beside the PDF")
    if result.preflight.failed():
        err.print(f"not ready for the printer (see the preflight above): this build was written to "
                  f"{result.pdf}; the last good PDF, if there was one, was left as it was",
                  style="bold red", markup=False, soft_wrap=True)
        return True
    return False


def _edition_of(result) -> str:
    """', edition kdp: printer kdp, PDF/X-1a' for an edition; nothing for the book as book.yaml states it."""
    manuscript = result.manuscript
    if manuscript.edition is None:
        return ""
    pdfx = {"x4": "PDF/X-4", "x1a": "PDF/X-1a", "none": "no PDF/X"}[manuscript.print.pdfx]
    return f", edition {manuscript.edition}: printer {manuscript.print.printer}, {pdfx}"


@app.command(cls=Command)
def check(
    manuscript: Optional[Path] = ManuscriptArg,
    printer: Optional[str] = PrinterOpt,
    edition: Optional[str] = EditionOpt,
    all_editions: bool = AllEditionsOpt,
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    jobs: int = JobsOpt,
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """Validate the manuscript and preflight the book for its printer; writes only the JSON report."""
    from .pipeline import check_book

    root = manuscript_dir(manuscript)
    with guarded(debug), progress_bars(quiet) as progress:
        failed = each_edition(root, Request(printer, jobs, edition=edition), all_editions,
                              lambda r: _show_checked(*check_book(root, r, progress), quiet, strict))
    if any(outcome is not False for outcome in failed):
        raise typer.Exit(EXIT_MANUSCRIPT)


def _show_checked(report, path: Path, quiet: bool, strict: bool) -> bool:
    """The preflight table in full; True when the check fails (on warnings too with --strict)."""
    show_preflight(report, quiet, strict, always=True)
    if not quiet:
        out.print(f"wrote {path}", markup=False, soft_wrap=True)
    if strict and report.failed(strict) and not report.failed():
        err.print(f"check failed because of --strict: preflight found no errors but {report.warnings} "
                  f"warning{'s' * (report.warnings != 1)}, and --strict fails on warnings (fix them, or leave "
                  "out --strict to accept them)", style="bold red", markup=False, soft_wrap=True)
    return report.failed(strict)


@app.command(cls=Command)
def cover(
    manuscript: Optional[Path] = ManuscriptArg,
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Where to write the cover PDF."),
    printer: Optional[str] = PrinterOpt,
    edition: Optional[str] = EditionOpt,
    all_editions: bool = AllEditionsOpt,
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """Build the cover wrap (back, spine, front, bleed) for the book's final page count."""
    from .products.cover import build_cover

    root = manuscript_dir(manuscript)
    with guarded(debug):
        outcomes = each_edition(root, Request(printer, jobs=1, output=output, edition=edition), all_editions,
                                lambda r: _show_cover(build_cover(root, r), quiet))
    if None in outcomes:
        raise typer.Exit(EXIT_MANUSCRIPT)


def _show_cover(result, quiet: bool) -> object:
    if not quiet:
        show_notes(result.notes)
        out.print(f"wrote {result.pdf} ({result.width_in:.3f} x {result.height_in:.3f} in, spine "
                  f"{result.spine_in:.3f} in for {result.pages} pages)", markup=False, soft_wrap=True)
    if result.preflight is not None:
        show_preflight(result.preflight, quiet, strict=False,
                       hint="the cover's JSON report is beside it")
        if result.preflight.failed():
            err.print(f"the cover is not ready for the printer (see the preflight above): it was written to "
                      f"{result.pdf}", style="bold red", markup=False, soft_wrap=True)
            return None  # the command exits 1 once every edition asked for is built
    return result


@app.command(cls=Command)
def proof(
    manuscript: Optional[Path] = ManuscriptArg,
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Where to write the proof PDF."),
    guides: bool = typer.Option(False, "--guides", help="Draw the trim, bleed, safe-area and type-area lines."),
    spreads: bool = typer.Option(False, "--spreads", help="Facing pages side by side, as bound."),
    soft_proof: bool = typer.Option(True, "--soft-proof/--no-soft-proof",
                                    help="Show the photos as the printer's paper and inks will render them."),
    gamut: bool = typer.Option(False, "--gamut", help="Open the proof with its gamut-warning layer shown."),
    ink: bool = typer.Option(False, "--ink", help="Open the proof with its total-ink heat-map layer shown."),
    no_report: bool = typer.Option(False, "--no-report", help="Skip the HTML review report."),
    printer: Optional[str] = PrinterOpt,
    edition: Optional[str] = EditionOpt,
    all_editions: bool = AllEditionsOpt,
    jobs: int = JobsOpt,
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """Make the reviewer's proof (RGB 150 ppi, soft-proofed, PROOF mark on every page) and its HTML review report."""
    from .products.proof import ProofOptions, make_proof

    root = manuscript_dir(manuscript)
    options = ProofOptions(guides=guides, spreads=spreads, report=not no_report, soft_proof=soft_proof,
                           show_gamut=gamut, show_ink=ink)
    with guarded(debug), progress_bars(quiet) as progress:
        outcomes = each_edition(root, Request(printer, jobs, output=output, edition=edition), all_editions,
                                lambda r: _show_proof(make_proof(root, r, options, progress), quiet))
    if None in outcomes:
        raise typer.Exit(EXIT_MANUSCRIPT)


def _show_proof(result, quiet: bool) -> object:
    if not quiet:
        out.print(f"wrote {result.pdf} ({_proof_pages(result)}, build {result.identity.short_hash})",
                  markup=False, soft_wrap=True)
        if result.report:
            changed = f"; changed since the last proof: {', '.join(result.changed)}" if result.changed else ""
            out.print(f"review report: {result.report}{changed}", markup=False, soft_wrap=True)
    return result


def _proof_pages(result) -> str:
    """'64 pages', or with --spreads '64 pages on 33 spreads': the PDF then holds one sheet per spread."""
    pages = len(result.book.pages)
    return f"{pages} pages on {result.sheets} spreads" if result.sheets else f"{pages} pages"


@app.command(cls=Command)
def init(
    folder: Path = typer.Argument(..., help="The new manuscript folder (must not exist, or be empty)."),
    title: Optional[str] = typer.Option(None, "--title", help="The book's title (default: from the folder name)."),
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """Start a new manuscript: a sample book that compiles at once and shows the format by example."""
    from .scaffold import ScaffoldError, create_manuscript

    try:
        files = create_manuscript(folder, title)
    except (ScaffoldError, OSError) as exc:
        if debug:
            raise
        err.print(f"error: {exc}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    if not quiet:
        out.print(f"created {folder} ({len(files)} files); next: bookpress compile {folder}", markup=False,
                  soft_wrap=True)


@app.command(cls=Command)
def watch(
    manuscript: Optional[Path] = ManuscriptArg,
    as_proof: bool = typer.Option(False, "--proof", help="Rebuild the proof and its report instead."),
    printer: Optional[str] = PrinterOpt,
    edition: Optional[str] = EditionOpt,
    jobs: int = JobsOpt,
    max_builds: Optional[int] = typer.Option(None, "--max-builds", min=1, hidden=True),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0, hidden=True),
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """Rebuild the book whenever a manuscript file changes; problems are shown and the watch goes on."""
    from .pipeline import compile_book
    from .products.proof import make_proof
    from .watch import Limits, watch_manuscript

    root = manuscript_dir(manuscript)
    request = Request(printer, jobs, edition=edition)
    build = (lambda: make_proof(root, request)) if as_proof else (lambda: compile_book(root, request))
    out.print(f"watching {root} for changes (Ctrl+C to stop)", markup=False, soft_wrap=True)
    with guarded(debug):
        watch_manuscript(root, build, _show_outcome, Limits(max_builds, timeout))


def _show_outcome(outcome) -> None:
    when = time.strftime("%H:%M:%S")
    cause = f" after changes to {', '.join(outcome.changed)}" if outcome.changed else ""
    if outcome.ok:
        result = outcome.result
        out.print(f"[{when}] build {outcome.number}{cause}: wrote {result.pdf} ({len(result.book.pages)} pages) "
                  f"in {outcome.seconds:.2f} s", markup=False, soft_wrap=True)
        report = getattr(result, "preflight", None)
        if report is not None and (report.errors or report.warnings):
            err.print(f"preflight: {report.errors} errors, {report.warnings} warnings (bookpress check shows them)",
                      style="yellow", markup=False)
        return
    err.print(f"[{when}] build {outcome.number}{cause} failed:", style="bold red", markup=False, soft_wrap=True)
    show_diagnostics(outcome.diagnostics)
    if outcome.problem:
        err.print(f"error: {outcome.problem}", style="red", markup=False, soft_wrap=True)
    err.print("waiting for changes...", style="yellow")


@app.command(cls=Command)
def layouts(
    manuscript: Optional[Path] = ManuscriptArg,
    sheet: Optional[Path] = typer.Option(None, "--sheet", help="Write a specimen PDF: one page per template."),
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """List the page templates (built-in and the manuscript's own) with their slots."""
    from .pipeline import write_atomically
    from .products.specimen import manuscript_templates, specimen_manuscript, templates_table, write_specimens

    root = manuscript_dir(manuscript) if manuscript else default_manuscript()
    with guarded(debug):
        book = specimen_manuscript(root)
        templates = manuscript_templates(book)
        if sheet:
            write_atomically(sheet, lambda tmp: write_specimens(book, templates, tmp))
    out.print(templates_table(templates))
    if sheet and not quiet:
        out.print(f"wrote {sheet} ({len(templates.names())} templates)", markup=False, soft_wrap=True)


def main() -> None:
    handle_signals()
    # A build makes and drops millions of small objects (glyphs, fragments, records), nearly none of them in
    # reference cycles, which Python frees as soon as they are dropped; the cycle collector's passes over the
    # live book took a third of a rebuild. It stays off for the run (watch collects between builds).
    gc.disable()
    try:
        app()
    except SystemExit as exc:
        # A stop signal that came before a command's guard (while typer parsed, or the command started)
        # reaches typer as Ctrl+C, which exits 130 whatever the signal was: say which one it was.
        signum = stop_requested()
        if signum is not None and exc.code == 128 + signal.SIGINT:
            sys.exit(128 + signum)
        raise
    except Exception:  # a bug in bookpress, not in the manuscript: say so plainly
        if "--debug" in sys.argv:
            raise
        signum = stop_requested()
        if signum is not None:  # unless a stop signal came first and cut something short: then it is the stop
            sys.exit(128 + signum)
        internal_error()
        sys.exit(EXIT_INTERNAL)
    finally:
        # The process is about to end: a last full collection of the book's objects at exit
        # would only cost time (~0.1 s after a 48-photo compile).
        gc.freeze()


if __name__ == "__main__":
    main()
