"""Problems found in a manuscript, a layout or a PDF -> one kind of Diagnostic, sorted, in compiler style.

Load errors, layout notes and preflight findings are all Diagnostics: a severity, a
message and a hint, where it was written (file, line, column) and, once the book is laid
out, the page it concerns. Stages collect them instead of raising at the first problem,
so the author sees everything that is wrong in one run; `raise_if_errors` ends the stage.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class PageRef:
    """A page as prepress and the reader both name it: its place in the file and its printed number."""

    index: int  # physical position, 0 = the first page (sheet 1)
    label: str  # the folio printed on it ("iii", "12")

    @property
    def name(self) -> str:
        return f"sheet {self.index + 1}, p. {self.label}"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    page: PageRef | None = None  # the page it concerns, once the book is laid out
    check: str | None = None  # what found it: a preflight check ("resolution"), "layout", ...

    @property
    def where(self) -> str | None:
        """'chapters/02.yaml:14:5', or None when it was written nowhere in particular."""
        if not self.file:
            return None
        return self.file + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.line and self.column
                                                                     else "")

    def format(self) -> str:
        """One line for a terminal: what came from the manuscript (names, paths, text) cannot move the cursor."""
        where = f"{self.where}: " if self.where else ""
        page = f"{self.page.name}: " if self.page else ""
        text = f"{where}{self.severity.value}: {page}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return printable(text)

    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.column or 0, self.page.index if self.page else -1, self.message)


# Invisible characters that change what a terminal or a reader shows: the bidirectional
# overrides and isolates (a name that reads backwards), and the line and paragraph separators.
_FORMAT_CONTROLS = {0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def printable(text: str) -> str:
    """`text` with every control character written as an escape (ESC as \\x1b, a newline as \\n).

    A manuscript may hold anything: a file name or a caption with ESC [ 8 m would hide the
    rest of the line, or rewrite the terminal's title, if it were printed as it is.
    """
    if text.isprintable():
        return text
    return "".join(_escaped(ch) for ch in text)


def _escaped(ch: str) -> str:
    code = ord(ch)
    if ch == " " or not (unicodedata.category(ch) in ("Cc", "Zl", "Zp") or code in _FORMAT_CONTROLS):
        return ch
    if ch in "\n\t\r":
        return repr(ch)[1:-1]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class ManuscriptError(Exception):
    """Raised once a stage has found errors; carries every diagnostic of the run."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        # The same problem met through several placements of one photo is told once.
        self.diagnostics = tuple(sorted(dict.fromkeys(diagnostics), key=Diagnostic.sort_key))
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class UsageError(Exception):
    """The command was asked for something impossible (a bad option, an output path that cannot be written).

    Not a manuscript problem: the CLI exits with code 2.
    """

    def __init__(self, message: str, hint: str | None = None):
        self.message, self.hint = message, hint
        super().__init__(message if hint is None else f"{message} ({hint})")


class ImageProblem(Exception):
    """An image that cannot be used; str() is "<file>: <what is wrong>"."""

    def __init__(self, path: Path | str, reason: str | None = None):
        self.path = None if reason is None else Path(path)
        self.reason = str(path) if reason is None else reason
        super().__init__(self.reason if reason is None else f"{path}: {reason}")

    def __reduce__(self):  # survive the trip back from a worker process
        return (_rebuild, (type(self), self.path, self.reason, self.args))


class ImageProblems(ImageProblem):
    """Several images failed in one batch; each is kept in `problems`."""

    def __init__(self, problems: Iterable[ImageProblem]):
        self.problems = tuple(problems)
        self.path = None
        self.reason = "\n".join(str(p) for p in self.problems)
        Exception.__init__(self, self.reason)

    def __reduce__(self):
        return (ImageProblems, (self.problems,))


def _rebuild(cls, path, reason, args):
    problem = cls.__new__(cls)
    problem.path, problem.reason, problem.args = path, reason, args
    return problem


@dataclass
class Diagnostics:
    """A collector passed through a stage."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, message: str, file: str | None = None, line: int | None = None,
              column: int | None = None, hint: str | None = None) -> None:
        self.items.append(Diagnostic(Severity.ERROR, message, file, line, column, hint))

    def warning(self, message: str, file: str | None = None, line: int | None = None,
                column: int | None = None, hint: str | None = None) -> None:
        self.items.append(Diagnostic(Severity.WARNING, message, file, line, column, hint))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise ManuscriptError(self.items)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.items if d.severity is not Severity.ERROR)


def report_together(diag: Diagnostics, stage: Callable[[], T]) -> T:
    """Run a later stage on a manuscript that may already have errors in `diag`; raise all problems at once.

    A stage given a manuscript with broken parts left out may stumble over what is
    missing: when `diag` already explains what is wrong, that stumble is not reported.
    """
    try:
        result = stage()
    except ManuscriptError as exc:
        diag.extend(exc.diagnostics)
        diag.raise_if_errors()
        raise
    except Exception:
        diag.raise_if_errors()
        raise
    diag.raise_if_errors()
    return result


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest known word, or None."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
