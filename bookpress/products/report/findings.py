"""Laid-out book + PDF -> the findings a reviewer should see (preflight's and layout's), tied to their pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ...book import LaidOutBook
from ...model import Manuscript
from ...preflight.checks import preflight

SEVERITIES = ("error", "warning", "note")
_LOCATED = re.compile(r"^(?P<where>[^\s:]+:\d+(?::\d+)?): (?P<message>.+)$", re.DOTALL)


@dataclass(frozen=True)
class Finding:
    severity: str  # error | warning | note
    message: str
    page: Optional[int] = None  # physical page index; None: about the whole book
    check: str = ""
    where: Optional[str] = None  # manuscript file:line the finding comes from


@dataclass(frozen=True)
class Findings:
    items: tuple[Finding, ...]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.items if f.severity == severity)

    def on_page(self, index: int) -> tuple[Finding, ...]:
        return tuple(f for f in self.items if f.page == index)


def collect_findings(manuscript: Manuscript, book: LaidOutBook, pdf: Path) -> Findings:
    """Preflight on the proof's pages (resolution is measured on the originals, as for print) + layout notes."""
    index_of = {page.label: page.index for page in book.pages}
    items = [Finding(f.severity if f.severity in SEVERITIES else "note", f.message, index_of.get(f.page or ""),
                     f.check, f.where) for f in preflight(manuscript, book, pdf).findings]
    items += [_note(note) for note in book.notes]
    rank = {name: number for number, name in enumerate(SEVERITIES)}
    items.sort(key=lambda f: (rank[f.severity], f.page if f.page is not None else -1))
    return Findings(tuple(items))


def _note(note: str) -> Finding:
    """A layout note; one that starts with 'file:line: ' gets its place shown apart, as findings have."""
    match = _LOCATED.match(note)
    if match is None:
        return Finding("note", note, check="layout")
    return Finding("note", match["message"], check="layout", where=match["where"])
