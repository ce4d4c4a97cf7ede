"""Problems found in a manuscript -> one report, sorted, in compiler style.

Stages collect Diagnostics instead of raising at the first problem, so the author
sees everything that is wrong in one run; `raise_if_errors` ends the stage.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def format(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.severity.value}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.column or 0, self.message)


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
