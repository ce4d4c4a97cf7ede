"""Command line -> pipeline calls. Parses options, shows progress and problems; no book logic here."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .diagnostics import Diagnostic, ManuscriptError, Severity, UsageError
from .images import ImageProblem, parse_size, stop_workers, usable_cores

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Compile a manuscript of YAML chapters and photos into a print-ready PDF photo book.")
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

EXIT_MANUSCRIPT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


def default_manuscript() -> Path:
    here = Path.cwd()
    return here / "manuscript" if (here / "manuscript" / "book.yaml").is_file() else here


def show_diagnostics(diagnostics: tuple[Diagnostic, ...]) -> None:
    for d in diagnostics:
        colour = {"error": "red", "warning": "yellow", "note": "cyan"}[d.severity.value]
        err.print(d.format(), style=colour, markup=False, soft_wrap=True)
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    if errors:
        err.print(f"{errors} error{'s' if errors != 1 else ''}; nothing was written.", style="bold red")


@contextmanager
def guarded(debug: bool) -> Iterator[None]:
    """Manuscript problems become messages and exit code 1; only --debug shows tracebacks."""
    try:
        try:
            yield
        finally:
            stop_workers()  # workers still booting when an early error ends the run would print tracebacks
    except ManuscriptError as exc:
        if debug:
            raise
        show_diagnostics(exc.diagnostics)
        raise typer.Exit(EXIT_MANUSCRIPT)
    except ImageProblem as exc:
        if debug:
            raise
        err.print(f"error: {exc}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_MANUSCRIPT)
    except UsageError as exc:
        if debug:
            raise
        err.print(f"error: {exc}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    except KeyboardInterrupt:
        err.print("interrupted; the previous output was left as it was", style="yellow")
        raise typer.Exit(130)
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception:  # a bug in bookpress, not in the manuscript
        if debug:
            raise
        internal_error()
        raise typer.Exit(EXIT_INTERNAL)


def internal_error() -> None:
    """Say plainly that bookpress failed (one line, no traceback: that is what --debug is for)."""
    import traceback

    err.print("internal error in bookpress (this is a bug; please report it with the output of --debug):",
              style="bold red")
    err.print(traceback.format_exc().strip().splitlines()[-1], markup=False, soft_wrap=True)


@contextmanager
def progress_bars(quiet: bool) -> Iterator[Optional[callable]]:
    if quiet or not err.is_terminal or os.environ.get("CI"):
        yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bars:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task({"images": "Preparing images", "pages": "Drawing pages",
                                               "thumbnails": "Rendering thumbnails"}.get(stage, stage),
                                             total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield update


def version_callback(value: bool) -> None:
    if value:
        out.print(f"bookpress {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                              help="Show the version and exit.")) -> None:
    """bookpress: photo books from YAML and photos, ready for the printer."""


ManuscriptArg = typer.Argument(None, help="The manuscript folder (default: ./manuscript or ./).",
                               show_default=False)
QuietOpt = typer.Option(False, "--quiet", "-q", help="No progress output.")
DebugOpt = typer.Option(False, "--debug", help="Show Python tracebacks (for bookpress developers).")


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--cache-limit") from None


def _manuscript_dir(manuscript: Optional[Path]) -> Path:
    path = manuscript or default_manuscript()
    if not path.is_dir():
        problem = "is a file, not a folder" if path.exists() else "does not exist"
        err.print(f"error: manuscript folder '{path}' {problem} (give the folder that holds book.yaml)",
                  style="red", markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    return path


@app.command()
def compile(
    manuscript: Optional[Path] = ManuscriptArg,
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Where to write the PDF."),
    printer: Optional[str] = typer.Option(None, "--printer", help="Printer preset (overrides book.yaml)."),
    jobs: int = typer.Option(usable_cores(), "--jobs", "-j", min=1, show_default="the usable cores",
                             help="Image worker processes."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Probe and prepare every image again; keep nothing."),
    cache_limit: str = typer.Option("2G", "--cache-limit", metavar="SIZE",
                                    help="Prepared images kept in build/.cache (least recently used go first)."),
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """Compile the manuscript into a print-ready PDF."""
    from .pipeline import BuildOptions, compile_book

    root = _manuscript_dir(manuscript)
    options = BuildOptions(printer=printer, jobs=jobs, cache=not no_cache, cache_limit=_size(cache_limit))
    with guarded(debug), progress_bars(quiet) as progress:
        result = compile_book(root, output, options, progress)
    if not quiet:
        for note in result.notes:
            err.print(f"note: {note}", style="cyan", markup=False, soft_wrap=True)
        pages = len(result.book.pages)
        out.print(f"wrote {result.pdf} ({pages} pages)", markup=False, soft_wrap=True)
    if result.preflight is not None:
        show_preflight(result.preflight, quiet, strict=False)
        if result.preflight.failed():
            err.print(f"not ready for the printer (see the preflight above): this build was written to "
                      f"{result.pdf}; the last good PDF, if there was one, was left as it was",
                      style="bold red", markup=False, soft_wrap=True)
            raise typer.Exit(EXIT_MANUSCRIPT)


def show_preflight(report, quiet: bool, strict: bool, always: bool = False) -> None:
    """The table when something needs attention (or always, for `check`), else one line."""
    from .preflight import report_table

    if report.errors or report.warnings or always:
        if not quiet or report.failed(strict):
            err.print(report_table(report))
    summary = f"preflight: {report.errors} error{'s' * (report.errors != 1)}, " \
              f"{report.warnings} warning{'s' * (report.warnings != 1)}"
    if not quiet:
        err.print(summary, style="red" if report.failed(strict) else "green", markup=False)


@app.command()
def check(
    manuscript: Optional[Path] = ManuscriptArg,
    printer: Optional[str] = typer.Option(None, "--printer", help="Printer preset (overrides book.yaml)."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    jobs: int = typer.Option(os.cpu_count() or 1, "--jobs", "-j", min=1, help="Image worker processes."),
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """Validate the manuscript and preflight the book for its printer; writes only the JSON report."""
    from .pipeline import BuildOptions
    from .preflight import check_book

    root = _manuscript_dir(manuscript)
    with guarded(debug), progress_bars(quiet) as progress:
        report, path = check_book(root, BuildOptions(printer=printer, jobs=jobs), progress)
    show_preflight(report, quiet, strict, always=True)
    if not quiet:
        out.print(f"wrote {path}", markup=False, soft_wrap=True)
    if report.failed(strict):
        raise typer.Exit(EXIT_MANUSCRIPT)


@app.command()
def cover(
    manuscript: Optional[Path] = ManuscriptArg,
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Where to write the cover PDF."),
    printer: Optional[str] = typer.Option(None, "--printer", help="Printer preset (overrides book.yaml)."),
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """Build the cover wrap (back, spine, front, bleed) for the book's final page count."""
    from .cover import build_cover

    root = _manuscript_dir(manuscript)
    with guarded(debug):
        result = build_cover(root, output, printer)
    if not quiet:
        for note in result.notes:
            err.print(f"note: {note}", style="cyan", markup=False, soft_wrap=True)
        out.print(f"wrote {result.pdf} ({result.width_in:.3f} x {result.height_in:.3f} in, spine "
                  f"{result.spine_in:.3f} in for {result.pages} pages)", markup=False, soft_wrap=True)


@app.command()
def proof(
    manuscript: Optional[Path] = ManuscriptArg,
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Where to write the proof PDF."),
    guides: bool = typer.Option(False, "--guides", help="Draw the trim, bleed and safe-area lines."),
    spreads: bool = typer.Option(False, "--spreads", help="Facing pages side by side, as bound."),
    no_report: bool = typer.Option(False, "--no-report", help="Skip the HTML review report."),
    printer: Optional[str] = typer.Option(None, "--printer", help="Printer preset (overrides book.yaml)."),
    jobs: int = typer.Option(os.cpu_count() or 1, "--jobs", "-j", min=1, help="Image worker processes."),
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """Make the reviewer's proof (RGB 150 ppi, PROOF mark on every page) and its HTML review report."""
    from .proof import ProofOptions, make_proof

    root = _manuscript_dir(manuscript)
    options = ProofOptions(guides=guides, spreads=spreads, report=not no_report, printer=printer, jobs=jobs)
    with guarded(debug), progress_bars(quiet) as progress:
        result = make_proof(root, output, options, progress)
    if not quiet:
        out.print(f"wrote {result.pdf} ({len(result.book.pages)} pages, build {result.identity.short_hash})",
                  markup=False, soft_wrap=True)
        if result.report:
            changed = f"; changed since the last proof: {', '.join(result.changed)}" if result.changed else ""
            out.print(f"review report: {result.report}{changed}", markup=False, soft_wrap=True)


@app.command()
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


@app.command()
def watch(
    manuscript: Optional[Path] = ManuscriptArg,
    as_proof: bool = typer.Option(False, "--proof", help="Rebuild the proof and its report instead."),
    printer: Optional[str] = typer.Option(None, "--printer", help="Printer preset (overrides book.yaml)."),
    jobs: int = typer.Option(os.cpu_count() or 1, "--jobs", "-j", min=1, help="Image worker processes."),
    max_builds: Optional[int] = typer.Option(None, "--max-builds", min=1, hidden=True),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0, hidden=True),
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """Rebuild the book whenever a manuscript file changes; problems are shown and the watch goes on."""
    from .pipeline import BuildOptions, compile_book
    from .proof import ProofOptions, make_proof
    from .watch import Limits, watch_manuscript

    root = _manuscript_dir(manuscript)
    if as_proof:
        build = lambda: make_proof(root, None, ProofOptions(printer=printer, jobs=jobs))  # noqa: E731
    else:
        build = lambda: compile_book(root, None, BuildOptions(printer=printer, jobs=jobs))  # noqa: E731
    out.print(f"watching {root} for changes (Ctrl+C to stop)", markup=False, soft_wrap=True)
    with guarded(debug):
        watch_manuscript(root, build, _show_outcome, Limits(max_builds, timeout))


def _show_outcome(outcome) -> None:
    when = time.strftime("%H:%M:%S")
    cause = f" after changes to {', '.join(outcome.changed)}" if outcome.changed else ""
    if outcome.ok:
        result = outcome.result
        out.print(f"[{when}] build {outcome.number}{cause}: wrote {result.pdf} ({len(result.book.pages)} pages) "
                  f"in {outcome.seconds:.1f} s", markup=False, soft_wrap=True)
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


@app.command()
def layouts(
    manuscript: Optional[Path] = ManuscriptArg,
    sheet: Optional[Path] = typer.Option(None, "--sheet", help="Write a specimen PDF: one page per template."),
    quiet: bool = QuietOpt,
    debug: bool = DebugOpt,
) -> None:
    """List the page templates (built-in and the manuscript's own) with their slots."""
    from .pipeline import write_atomically
    from .specimen import manuscript_templates, specimen_manuscript, templates_table, write_specimens

    root = _manuscript_dir(manuscript) if manuscript else default_manuscript()
    with guarded(debug):
        book = specimen_manuscript(root)
        templates = manuscript_templates(book)
        if sheet:
            write_atomically(sheet, lambda tmp: write_specimens(book, templates, tmp))
    out.print(templates_table(templates))
    if sheet and not quiet:
        out.print(f"wrote {sheet} ({len(templates.names())} templates)", markup=False, soft_wrap=True)


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    except Exception:  # a bug in bookpress, not in the manuscript: say so plainly
        if "--debug" in sys.argv:
            raise
        internal_error()
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
