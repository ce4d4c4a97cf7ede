"""Laid-out book + PDF -> the findings a reviewer should see (preflight's and layout's), tied to their pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...book import LaidOutBook
from ...diagnostics import Diagnostic, Severity
from ...model import Manuscript
from ...options import BuildOptions
from ...preflight import preflight

RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


@dataclass(frozen=True)
class Findings:
    items: tuple[Diagnostic, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.items if f.severity is severity)

    def on_page(self, index: int) -> tuple[Diagnostic, ...]:
        return tuple(f for f in self.items if f.page is not None and f.page.index == index)


def collect_findings(manuscript: Manuscript, options: BuildOptions, book: LaidOutBook, pdf: Path) -> Findings:
    """Preflight on the proof's pages (resolution is measured on the originals, as for print) + layout notes."""
    items = list(preflight(manuscript, options, book, pdf).findings) + list(book.notes)
    items.sort(key=lambda f: (RANK[f.severity], f.page.index if f.page is not None else -1))
    return Findings(tuple(items))
