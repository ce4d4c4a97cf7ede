"""Laid-out book + proof pages -> everything a reviewer should look at, each tied to its page and manuscript line.

Preflight's findings (whatever it checks), layout's notes, the designer's checks on the
pages (checks.py), what the soft proof shows about each photo's colour and ink, and the
pages changed since the previous proof: one list, grouped by kind for the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from ...book import LaidOutBook, Page, PlacedImage
from ...diagnostics import Diagnostic, PageRef, Severity
from ...fonts.catalog import load_fonts
from ...images.softproof import Simulation
from ...model import Manuscript
from ...options import BuildOptions
from ...preflight import CHECKS, preflight
from .checks import review_checks

RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}
# The kinds the report adds to preflight's, with their headings, in the order a reviewer reads them.
KINDS = {
    "near-empty": "Nearly empty pages",
    "hyphen-stack": "Hyphen stacks",
    "loose-line": "Loose lines",
    "gamut": "Colours the press cannot print",
    "soft-ink": "Total ink above the printer's limit",
    "layout": "Layout notes",
    "changed": "Changed since the previous proof",
}
GAMUT_NOTE = 0.02  # share of a photo's pixels out of gamut worth a note (less is a speck nobody will see)
GAMUT_WARNING = 0.10  # ... and worth a warning: a tenth of the photo will visibly change
INK_SLACK = 3.0  # percent above the limit that rounding and resampling may add
INK_AREA = 0.001  # share of a photo that may exceed the limit before it counts


@dataclass(frozen=True)
class Findings:
    items: tuple[Diagnostic, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.items if f.severity is severity)

    def on_page(self, index: int) -> tuple[Diagnostic, ...]:
        return tuple(f for f in self.items if f.page is not None and f.page.index == index)

    def groups(self) -> list[tuple[str, str, tuple[Diagnostic, ...]]]:
        """(kind, heading, findings) for every kind found: preflight's checks first, then the review's."""
        kinds = list(dict.fromkeys([*CHECKS, *KINDS, *(kind_of(f) for f in self.items)]))
        found = [(kind, [f for f in self.items if kind_of(f) == kind]) for kind in kinds]
        return [(kind, title_of(kind), tuple(items)) for kind, items in found if items]


def kind_of(finding: Diagnostic) -> str:
    return finding.check or "layout"


def title_of(kind: str) -> str:
    return CHECKS.get(kind) or KINDS.get(kind) or kind.replace("-", " ").capitalize()


def collect_findings(manuscript: Manuscript, options: BuildOptions, book: LaidOutBook, pdf: Path,
                     simulation: Optional[Simulation] = None, changed: Mapping[int, object] = {},
                     previous: Optional[str] = None) -> Findings:
    """Preflight on the proof's pages (resolution is measured on the originals, as for print), layout's notes,
    the review's own checks, the soft proof's findings and the pages changed since `previous`."""
    items = list(preflight(manuscript, options, book, pdf).findings) + list(book.notes)
    items += review_checks(book, load_fonts(list(manuscript.font_folders)))
    if simulation is not None:
        items += soft_proof_findings(book, simulation)
    items += [change(book.pages[index], previous) for index in sorted(changed)]
    items.sort(key=lambda f: (RANK[f.severity], f.page.index if f.page is not None else -1))
    return Findings(tuple(items))


def soft_proof_findings(book: LaidOutBook, simulation: Simulation) -> list[Diagnostic]:
    """Photos with many colours the press cannot print, or more ink than the printer takes; each photo once."""
    findings, seen = [], set()
    for page in book.pages:
        for item in page.items:
            if not isinstance(item, PlacedImage) or item not in simulation.photos or item in seen:
                continue
            seen.add(item)
            findings += _soft_proof_finding(page, item, simulation)
    return findings


def _soft_proof_finding(page: Page, item: PlacedImage, simulation: Simulation) -> list[Diagnostic]:
    proof, name = simulation.photos[item], item.photo.image.path.name
    found = []
    if proof.out_of_gamut >= GAMUT_NOTE:
        severity = Severity.WARNING if proof.out_of_gamut >= GAMUT_WARNING else Severity.NOTE
        found.append(_at(page, item, severity, "gamut", f"{proof.out_of_gamut:.0%} of {name} holds colours that "
                         f"{simulation.condition} cannot print: they will print duller",
                         "compare the soft proof with the screen colours (the report's page view shows both); "
                         "if the change matters, tone those colours down in the photo before printing"))
    limit = simulation.ink_limit
    share = proof.area_over(limit + INK_SLACK) if proof.max_ink > limit + INK_SLACK else 0.0
    if share > INK_AREA:
        found.append(_at(page, item, Severity.WARNING, "soft-ink", f"{name} reaches {proof.max_ink:.0f}% total "
                         f"ink over {share:.1%} of its area (the printer takes {limit}%)",
                         f"give the printer's own profile (print.profile), made for {limit}% total ink"))
    return found


def _at(page: Page, item: PlacedImage, severity: Severity, check: str, message: str, hint: str) -> Diagnostic:
    source = item.photo.source
    file = source.file or None
    return Diagnostic(severity, message, file, (source.line or None) if file else None,
                      (source.column or None) if file else None, hint, PageRef(page.index, page.label), check)


def change(page: Page, previous: Optional[str]) -> Diagnostic:
    source = page.source
    file = source.file if source is not None and source.file else None
    return Diagnostic(Severity.NOTE, f"changed since {previous or 'the previous proof'}", file,
                      (source.line or None) if file else None, (source.column or None) if file else None,
                      "the page view marks where; check that the change is the one you meant",
                      PageRef(page.index, page.label), "changed")
