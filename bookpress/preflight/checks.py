"""Manuscript + LaidOutBook + print PDF -> a preflight Report: the checks a printer's upload tool makes.

Geometry checks (resolution, safe area, gutter, page count) read the laid-out
book, where every placement is known exactly; file checks (fonts, boxes, ink)
read the PDF itself (preflight_pdf.py). The report becomes a table on the
terminal and a JSON file beside the PDF.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Iterator

from rich.table import Table
from rich.text import Text

from ..atomic import write_text_atomically
from ..book import LaidOutBook, Page, PlacedImage, PlacedText
from ..geometry import Rect
from ..images.prepare import effective_ppi
from ..model import Manuscript
from .pdf_checks import inspect_pdf
from ..load.printers import INCH, PRESETS, Preset

CHECKS = {
    "fonts": "Fonts embedded",
    "resolution": "Image resolution",
    "safe-area": "Text inside the safe area",
    "gutter": "Gutter clear",
    "page-count": "Page count",
    "boxes": "Page boxes",
    "ink": "Total ink",
}


@dataclass(frozen=True)
class Finding:
    check: str  # a key of CHECKS
    severity: str  # "error" | "warning"
    message: str
    page: str | None = None  # the printed page label
    where: str | None = None  # manuscript file:line the item came from


@dataclass(frozen=True)
class Report:
    title: str
    printer: str
    pdfx: str
    pages: int
    pdf: str | None
    findings: tuple[Finding, ...]
    measured: tuple[tuple[str, str], ...]  # check -> what was measured, for the table

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def status(self, check: str) -> str:
        severities = {f.severity for f in self.findings if f.check == check}
        if "error" in severities:
            return "error"
        if "warning" in severities:
            return "warning"
        return "skipped" if dict(self.measured).get(check, "").startswith("not checked") else "ok"

    def as_dict(self) -> dict:
        return {"title": self.title, "printer": self.printer, "pdfx": self.pdfx, "pages": self.pages,
                "pdf": self.pdf, "summary": {"errors": self.errors, "warnings": self.warnings},
                "checks": [{"check": key, "title": title, "status": self.status(key),
                            "measured": dict(self.measured).get(key, "")} for key, title in CHECKS.items()],
                "findings": [asdict(f) for f in self.findings]}


def preflight(manuscript: Manuscript, book: LaidOutBook, pdf: Path | None) -> Report:
    """Run every check; the file checks only when there is a PDF."""
    preset = PRESETS[manuscript.print.printer]
    findings: list[Finding] = []
    measured: dict[str, str] = {}
    findings += check_resolution(book, manuscript.print.min_ppi, measured)
    findings += check_edges(book, preset)
    findings += check_page_count(book, manuscript, preset)
    measured["safe-area"] = f"{preset.safety / INCH:.3f} in from the trim"
    measured["gutter"] = f"{gutter_zone(preset, len(book.pages)) / INCH:.3f} in from the binding edge"
    most = preset.pages_allowed(manuscript.print.paper)
    measured["page-count"] = f"{len(book.pages)} pages ({preset.min_pages}..{most}, multiple of {preset.page_multiple})"
    findings += _file_checks(manuscript, book, preset, pdf, measured)
    return Report(manuscript.meta.title, preset.name, manuscript.print.pdfx, len(book.pages),
                  str(pdf) if pdf else None, tuple(findings), tuple(measured.items()))


def _file_checks(manuscript: Manuscript, book: LaidOutBook, preset: Preset, pdf: Path | None,
                 measured: dict[str, str]) -> list[Finding]:
    ink_limit = preset.ink_limit if manuscript.print.pdfx == "x1a" else None
    if pdf is None:
        for key in ("fonts", "boxes", "ink"):
            measured[key] = "not checked (no PDF)"
        return []
    found, highest = inspect_pdf(pdf, book, ink_limit)
    measured["fonts"] = ", ".join(book.fonts) or "no text"
    measured["boxes"] = "MediaBox, BleedBox, TrimBox on every page"
    measured["ink"] = f"highest {highest:.0f}% (limit {ink_limit}%)" if highest is not None else \
        "not checked (images stay RGB; the printer separates them)"
    return [Finding(f.check, f.severity, f.message, _label(book, f.page)) for f in found]


def _label(book: LaidOutBook, index: int | None) -> str | None:
    return book.pages[index].label if index is not None and index < len(book.pages) else None


def _where(item: PlacedImage | None, page: Page) -> str | None:
    source = item.photo.source if item is not None else page.source
    if source is None or not source.file:
        return None
    return f"{source.file}:{source.line}" if source.line else source.file


def check_resolution(book: LaidOutBook, min_ppi: int, measured: dict[str, str]) -> list[Finding]:
    """Every placed image's effective ppi after cropping: crop pixels over placed inches."""
    findings, lowest = [], None
    for page, item in _images(book):
        left, top, right, bottom = item.crop
        ppi = effective_ppi((right - left, bottom - top), (item.rect.width, item.rect.height))
        lowest = ppi if lowest is None else min(lowest, ppi)
        if ppi < min_ppi:
            name = item.photo.image.path.name
            findings.append(Finding("resolution", "warning", f"{name} prints at {ppi:.0f} ppi", page.label,
                                    _where(item, page)))
    measured["resolution"] = f"lowest {lowest:.0f} ppi (minimum {min_ppi}; below it prints soft: use a larger " \
                             "original or a smaller frame)" if lowest is not None else "no images"
    return findings


def _images(book: LaidOutBook) -> Iterator[tuple[Page, PlacedImage]]:
    for page in book.pages:
        for item in page.items:
            if isinstance(item, PlacedImage):
                yield page, item


def gutter_zone(preset: Preset, pages: int) -> float:
    return max(preset.min_inside(pages), preset.safety)


def _distances(rect: Rect, page: Page, book: LaidOutBook) -> dict[str, float]:
    """How far a rect stays from each edge of the trim, the binding edge named 'inside'."""
    width, height = book.geometry.trim.width, book.geometry.trim.height
    left, right = rect.x, width - rect.right
    inside, outside = (left, right) if page.side == "recto" else (right, left)
    return {"top": rect.y, "bottom": height - rect.bottom, "outside": outside, "inside": inside}


def check_edges(book: LaidOutBook, preset: Preset) -> list[Finding]:
    """Text within the safety margin of an outer edge; text or framed photos in the gutter."""
    findings = []
    zone = gutter_zone(preset, len(book.pages))
    for page in book.pages:
        texts = [item for item in page.items if isinstance(item, PlacedText) and item.text.strip()]
        photos = [item for item in page.items if isinstance(item, PlacedImage) and not item.bleeds]
        findings += _edge_findings(page, book, texts, preset.safety, zone)
        for item in photos:
            if _distances(item.rect, page, book)["inside"] < zone - 0.01:
                findings.append(Finding("gutter", "warning", f"{item.photo.image.path.name} reaches into the "
                                        f"gutter ({zone / INCH:.2f} in): it may disappear in the binding",
                                        page.label, _where(item, page)))
    return findings


def _edge_findings(page: Page, book: LaidOutBook, texts: list[PlacedText], safety: float,
                   zone: float) -> list[Finding]:
    """One finding per page and kind, naming the first offending line."""
    found: dict[tuple[str, str], tuple[str, PlacedText]] = {}
    for item in texts:
        gaps = _distances(item.bounds(), page, book)
        outer = min(gaps["top"], gaps["bottom"], gaps["outside"])
        if outer < 0 or gaps["inside"] < 0:
            found.setdefault(("safe-area", "error"), ("runs past the trim and will be cut", item))
        elif outer < safety - 0.01:
            found.setdefault(("safe-area", "warning"),
                             (f"is within {safety / INCH:.3f} in of the trim and may be cut", item))
        if 0 <= gaps["inside"] < zone - 0.01:
            found.setdefault(("gutter", "warning"), (f"is within {zone / INCH:.3f} in of the binding", item))
    return [Finding(check, severity, f"text '{_excerpt(item)}' ({item.role}) {what}", page.label,
                    _where(None, page)) for (check, severity), (what, item) in found.items()]


def _excerpt(item: PlacedText, length: int = 30) -> str:
    text = " ".join(" ".join(f.text for f in item.fragments).split())
    return text if len(text) <= length else text[:length - 1] + "…"


def check_page_count(book: LaidOutBook, manuscript: Manuscript, preset: Preset) -> list[Finding]:
    pages, paper = len(book.pages), manuscript.print.paper
    most = preset.pages_allowed(paper)
    findings = []
    if pages < preset.min_pages:
        findings.append(Finding("page-count", "error", f"{pages} pages: printer '{preset.name}' needs at least "
                                f"{preset.min_pages}"))
    if pages > most:
        findings.append(Finding("page-count", "error", f"{pages} pages: printer '{preset.name}' prints at most "
                                f"{most} on {paper} paper"))
    if pages % preset.page_multiple:
        findings.append(Finding("page-count", "error", f"{pages} pages is not a multiple of "
                                f"{preset.page_multiple}"))
    need = preset.min_inside(pages)
    if manuscript.format.margins.inside < need - 0.01:
        findings.append(Finding("gutter", "error", f"the inside margin must be at least {need / INCH:.3f} in "
                                f"for {pages} pages"))
    return findings


def check_book(root: Path, options, progress=None) -> tuple[Report, Path]:
    """`bookpress check`: build into a temporary folder, preflight, keep only the JSON report."""
    from ..pipeline import compile_book, default_output

    with tempfile.TemporaryDirectory(prefix="bookpress-check-") as folder:
        result = compile_book(root, Path(folder) / "check.pdf", options, progress)
    report = replace(result.preflight, pdf=None)
    path = report_path(default_output(result.manuscript))
    write_report(report, path)
    return report, path


def report_path(pdf: Path) -> Path:
    """build/<slug>.pdf -> build/<slug>.preflight.json"""
    return pdf.with_name(pdf.stem + ".preflight.json")


def write_report(report: Report, path: Path) -> None:
    write_text_atomically(path, json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")


STATUS_STYLE = {"ok": ("ok", "green"), "warning": ("warning", "yellow"), "error": ("error", "bold red"),
                "skipped": ("skipped", "dim")}
SHOWN_PER_CHECK = 5


def report_table(report: Report) -> Table:
    """The report as a terminal table: one row a check, with its first findings."""
    table = Table(title=f"Preflight: {report.title} ({report.printer}, PDF/X: {report.pdfx}, {report.pages} pages)",
                  title_justify="left", show_lines=False)
    table.add_column("Check")
    table.add_column("Result")
    table.add_column("Details", overflow="fold")
    for key, title in CHECKS.items():
        text, style = STATUS_STYLE[report.status(key)]
        lines = [dict(report.measured).get(key, "")]
        mine = [f for f in report.findings if f.check == key]
        lines += [_finding_line(f) for f in mine[:SHOWN_PER_CHECK]]
        if len(mine) > SHOWN_PER_CHECK:
            lines.append(f"… and {len(mine) - SHOWN_PER_CHECK} more in the JSON report")
        table.add_row(title, Text(text, style=style), Text("\n".join(line for line in lines if line)))
    return table


def _finding_line(finding: Finding) -> str:
    where = f"p. {finding.page}: " if finding.page else ""
    source = f" [{finding.where}]" if finding.where else ""
    return f"{where}{finding.message}{source}"
