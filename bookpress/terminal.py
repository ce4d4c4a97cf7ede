"""What the user sees of a run: messages, progress bars, exit codes, and the options every command shares.

The commands (commands.py) and the entry point (cli.py) use these; nothing here knows
how a book is made.
"""

from __future__ import annotations

import errno
import os
import re
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Optional, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from .diagnostics import Diagnostic, ImageProblem, ManuscriptError, Severity, UsageError, printable
from .images import stop_workers
from .images.lifetime import Interrupted, on_stop_signal, stop_requested
from .images.cache import parse_size
from .load.printers import PRESETS
from .options import Request, usable_cores

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from .preflight import Report

T = TypeVar("T")
class _Console:
    """A rich console, made when first used (a quiet compile that prints nothing never imports rich, ~50 ms),
    on which control characters in a text (from a file name, a caption, a path) show as escapes."""

    def __init__(self, **options) -> None:
        self._options = options
        self._console: Optional[Console] = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def print(self, *objects, **kwargs) -> None:
        self.console.print(*(printable(o) if isinstance(o, str) else o for o in objects), **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.console, name)


err = _Console(stderr=True, highlight=False)
out = _Console(highlight=False)

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


def show_notes(notes: tuple[Diagnostic, ...]) -> None:
    """What layout wants the author to know, in compiler style (file:line: note: ...)."""
    for note in notes:
        err.print(note.format(), style="cyan", markup=False, soft_wrap=True)


def handle_signals() -> None:
    """Make SIGTERM and SIGHUP (a kill, a closed terminal, a CI timeout) end the command as Ctrl+C does.

    SIGINT too, unless it is ignored (nohup, a background job): then it stays ignored.
    """
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, on_stop_signal)


def interrupt_code(exc: KeyboardInterrupt) -> int:
    """128 + the signal's number, as a shell reports a command a signal ended: 130 for Ctrl+C, 143 for SIGTERM."""
    signum = getattr(exc, "signum", None) or stop_requested() or signal.SIGINT
    return 128 + int(signum)


@contextmanager
def guarded(debug: bool) -> Iterator[None]:
    """Manuscript problems become messages and exit code 1; only --debug shows tracebacks."""
    try:
        try:
            try:
                yield
            except Exception as exc:
                # A stop signal that surfaced as another exception (a library that wraps what it catches, a
                # clean-up that failed because the signal cut it short) is still the stop, not a bug.
                signum = stop_requested()
                if signum is None:
                    raise
                raise Interrupted(signum) from exc
        except KeyboardInterrupt:
            stop_workers(now=True)  # an interrupt stops the photos in hand too: nobody waits for them
            raise
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
    except KeyboardInterrupt as exc:
        err.print("interrupted; the previous output was left as it was", style="yellow")
        raise typer.Exit(interrupt_code(exc))
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except OSError as exc:
        if debug or exc.errno not in WRITE_ERRNOS:
            raise
        err.print(f"error: {cannot_write(exc)}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    except Exception:  # a bug in bookpress, not in the manuscript
        if debug:
            raise
        signum = stop_requested()
        if signum is not None:  # the clean-up of a stop failed: still the stop, as the user asked for it
            err.print("interrupted; the previous output was left as it was", style="yellow")
            raise typer.Exit(128 + int(signum))
        internal_error()
        raise typer.Exit(EXIT_INTERNAL)


# The system refusing a write (a full disk, a quota, a read-only or failing disk, no permission) is
# about where bookpress was told to write, not a bug: exit 2, saying what to do about it.
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.EACCES, errno.EPERM}


def cannot_write(exc: OSError) -> str:
    """'cannot write in /x/build: No space left on device (what to do)'."""
    name = str(exc.filename or "")
    named = re.search(r"name='(.*)'>", name)  # pikepdf names an open file by its repr
    place = os.path.dirname(named.group(1) if named else name) or name or "the output folder"
    reason = exc.strerror or os.strerror(exc.errno or 0)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        hint = "free some space on that disk, or write the book elsewhere with -o; deleting build/.cache is safe"
    elif exc.errno == errno.EIO:
        hint = "the disk reported an error: check it, or write the book elsewhere with -o"
    else:
        hint = "make the folder writable, or write the book elsewhere with -o"
    return f"cannot write in '{place}': {reason}; the previous output was left as it was ({hint})"


def each_edition(root: Path, request: Request, all_editions: bool, build: Callable[[Request], T]) -> list[T | None]:
    """Run `build` for the request, or with --all-editions once per edition of book.yaml.

    One edition's manuscript errors are shown under its name and the next edition is still
    built (None stands for the failed one); a single build raises as any command does.
    """
    if not all_editions:
        return [build(request)]
    from .pipeline import edition_requests

    outcomes: list[T | None] = []
    for each in edition_requests(root, request):
        try:
            outcomes.append(build(each))
        except ManuscriptError as exc:
            err.print(f"edition {each.edition}:", style="bold red", markup=False)
            show_diagnostics(exc.diagnostics)
            outcomes.append(None)
    return outcomes


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
    # rich's progress and tables are imported where they are shown: a quiet compile never needs them.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err.console, transient=True) as bars:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task({"images": "Preparing images", "pages": "Drawing pages",
                                               "thumbnails": "Rendering thumbnails"}.get(stage, stage),
                                             total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield update


def _flags_unnamed(params: list) -> list:
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""  # a flag takes no value: there is nothing to name
    return params


class Command(TyperCommand):
    """A command whose on/off flags show no value type in --help (typer would print `<bool>` beside each)."""

    def get_params(self, ctx):  # type: ignore[no-untyped-def]
        return _flags_unnamed(super().get_params(ctx))


class Group(TyperGroup):
    """The command group, its --version and --help shown the same way."""

    def get_params(self, ctx):  # type: ignore[no-untyped-def]
        return _flags_unnamed(super().get_params(ctx))


ManuscriptArg = typer.Argument(None, help="The manuscript folder (default: ./manuscript or ./).",
                               show_default=False)
QuietOpt = typer.Option(False, "--quiet", "-q", help="No progress output.")
DebugOpt = typer.Option(False, "--debug", help="Show Python tracebacks (for bookpress developers).")
PrinterOpt = typer.Option(None, "--printer", metavar="NAME",
                          help=f"Printer preset: {', '.join(PRESETS)} (overrides book.yaml).")
EditionOpt = typer.Option(None, "--edition", "-e", metavar="NAME",
                          help="Build this edition from book.yaml's editions (default: the book as book.yaml states it).")
AllEditionsOpt = typer.Option(False, "--all-editions", help="Build every edition book.yaml declares, one after another.")
JobsOpt = typer.Option(usable_cores(), "--jobs", "-j", min=1, metavar="N", show_default="the usable cores",
                       help="Image worker processes.")


def parse_cache_limit(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--cache-limit") from None


def manuscript_dir(manuscript: Optional[Path]) -> Path:
    path = manuscript or default_manuscript()
    if not path.is_dir():
        problem = "is a file, not a folder" if path.exists() else "does not exist"
        err.print(f"error: manuscript folder '{path}' {problem} (give the folder that holds book.yaml)",
                  style="red", markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    return path


def show_preflight(report: Report, quiet: bool, strict: bool, always: bool = False, hint: str = "") -> None:
    """The table when it must be read (errors; or always, for `check`), else one line and a hint."""
    if report.failed(strict) or always:
        if not quiet or report.failed(strict):
            err.print(report_table(report))
    elif not quiet:
        # A warning about the whole book (no page of its own, such as a missing ISBN) is one line and
        # one thing to do: shown here, where a summary alone would leave it to be looked for.
        for finding in (f for f in report.findings if f.page is None):
            err.print(finding.format(), style="yellow", markup=False, soft_wrap=True)
    summary = f"preflight: {report.errors} error{'s' * (report.errors != 1)}, " \
              f"{report.warnings} warning{'s' * (report.warnings != 1)}"
    if report.warnings and not (report.failed(strict) or always) and hint:
        summary += f" ({hint})"
    if not quiet:
        err.print(summary, style="red" if report.failed(strict) else "green", markup=False)


STATUS_STYLE = {"ok": ("ok", "green"), "warning": ("warning", "yellow"), "error": ("error", "bold red"),
                "skipped": ("skipped", "dim")}
SHOWN_PER_CHECK = 5
SHOWN_HINTS = 3


def report_table(report: Report) -> Table:
    """The report as a terminal table: one row a check, with its first findings."""
    from rich.table import Table
    from rich.text import Text

    title = f"Preflight: {report.title} ({report.printer}, PDF/X: {report.pdfx}, {report.pages} pages)"
    table = Table(title=printable(title), title_justify="left", show_lines=False)
    table.add_column("Check")
    table.add_column("Result")
    table.add_column("Details", overflow="fold")
    for title, status, measured, mine in report.checks():
        text, style = STATUS_STYLE[status]
        lines = [measured]
        lines += [_finding_line(f) for f in mine[:SHOWN_PER_CHECK]]
        if len(mine) > SHOWN_PER_CHECK:
            lines.append(f"… and {len(mine) - SHOWN_PER_CHECK} more in the JSON report")
        # What to do, once for each different advice (125 running heads near the trim need one sentence).
        lines += [f"→ {hint}" for hint in list(dict.fromkeys(f.hint for f in mine if f.hint))[:SHOWN_HINTS]]
        table.add_row(title, Text(text, style=style), Text("\n".join(line for line in lines if line)))
    return table


def _finding_line(finding: Diagnostic) -> str:
    where = f"{finding.page.name}: " if finding.page else ""
    source = f" [{finding.where}]" if finding.where else ""
    return printable(f"{where}{finding.message}{source}")
