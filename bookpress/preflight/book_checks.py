"""LaidOutBook -> the findings only its geometry shows: image resolution, text near the trim, the gutter, page count.

Every placement is known exactly here (no PDF parsing), and each finding names its page
and the manuscript line the item came from.
"""

from __future__ import annotations

from typing import Iterator

from ..book import LaidOutBook, Page, PlacedImage, PlacedText
from ..diagnostics import Diagnostic, PageRef, Severity
from ..geometry import Rect
from ..images.jobs import effective_ppi
from ..load.printers import INCH, Preset
from ..model import PrintSettings, SourceRef

ERROR, WARNING = Severity.ERROR, Severity.WARNING


def finding(check: str, severity: Severity, message: str, page: Page | None = None,
            source: SourceRef | None = None, hint: str | None = None) -> Diagnostic:
    """A preflight finding on `page`, located at the manuscript line `source` when there is one."""
    file = source.file if source is not None and source.file else None
    line = (source.line or None) if file else None
    column = (source.column or None) if file else None
    ref = PageRef(page.index, page.label) if page is not None else None
    return Diagnostic(severity, message, file, line, column, hint, ref, check)


def check_resolution(book: LaidOutBook, min_ppi: int, measured: dict[str, str]) -> list[Diagnostic]:
    """Every placed image's effective ppi after cropping: crop pixels over placed inches."""
    findings, lowest = [], None
    for page, item in _images(book):
        left, top, right, bottom = item.crop
        ppi = effective_ppi((right - left, bottom - top), (item.rect.width, item.rect.height))
        lowest = ppi if lowest is None else min(lowest, ppi)
        if ppi < min_ppi:
            name = item.photo.image.path.name
            findings.append(finding("resolution", WARNING, f"{name} prints at {ppi:.0f} ppi", page,
                                    item.photo.source, "use a larger original or a smaller frame"))
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


def check_edges(book: LaidOutBook, preset: Preset) -> list[Diagnostic]:
    """Text within the safety margin of an outer edge; text or framed photos in the gutter."""
    findings = []
    zone = gutter_zone(preset, len(book.pages))
    for page in book.pages:
        texts = [item for item in page.items if isinstance(item, PlacedText) and item.text.strip()]
        photos = [item for item in page.items if isinstance(item, PlacedImage) and not item.bleeds]
        findings += _edge_findings(page, book, texts, preset.safety, zone)
        for item in photos:
            if _distances(item.rect, page, book)["inside"] < zone - 0.01:
                findings.append(finding("gutter", WARNING, f"{item.photo.image.path.name} reaches into the "
                                        f"gutter ({zone / INCH:.2f} in): it may disappear in the binding",
                                        page, item.photo.source,
                                        "widen format.margins.inside, or choose a template whose frames keep "
                                        "clear of the binding (a spread's photo may cross it in a bleed frame)"))
    return findings


def _edge_findings(page: Page, book: LaidOutBook, texts: list[PlacedText], safety: float,
                   zone: float) -> list[Diagnostic]:
    """One finding per page and kind, naming the first offending line, and what to change for it."""
    found: dict[tuple[str, Severity], tuple[str, PlacedText, str]] = {}
    for item in texts:
        gaps = _distances(item.bounds(), page, book)
        edge = min(("top", "bottom", "outside"), key=lambda side: gaps[side])
        if gaps[edge] < 0 or gaps["inside"] < 0:
            found.setdefault(("safe-area", ERROR), ("runs past the trim and will be cut", item,
                                                    _edge_hint(item, edge if gaps[edge] < 0 else "inside")))
        elif gaps[edge] < safety - 0.01:
            found.setdefault(("safe-area", WARNING), (f"is within {safety / INCH:.3f} in of the trim and may be "
                                                      "cut", item, _edge_hint(item, edge)))
        if 0 <= gaps["inside"] < zone - 0.01:
            found.setdefault(("gutter", WARNING), (f"is within {zone / INCH:.3f} in of the binding", item,
                                                   _edge_hint(item, "inside")))
    return [finding(check, severity, f"text '{_excerpt(item)}' ({item.role}) {what}", page, page.source, hint)
            for (check, severity), (what, item, hint) in found.items()]


# Lines set in the margin, placed by the margins: moving them means widening the margin they sit in.
FURNITURE = {"running-head": "style.running_heads: false", "folio": "style.folio: none"}


def _edge_hint(item: PlacedText, edge: str) -> str:
    """What moves a line away from `edge` (top, bottom, outside or inside) of the trim."""
    margin = f"format.margins.{edge}"
    if item.role in FURNITURE:
        return f"{item.role.replace('-', ' ')}s sit in the margin: widen {margin} to move them inward, or " \
               f"leave them out with {FURNITURE[item.role]}"
    return f"widen {margin}, or move the frame that holds this text further from the edge in its template"


def _excerpt(item: PlacedText, length: int = 30) -> str:
    text = " ".join(" ".join(f.text for f in item.fragments).split())
    return text if len(text) <= length else text[:length - 1] + "…"


def check_page_count(book: LaidOutBook, settings: PrintSettings, preset: Preset) -> list[Diagnostic]:
    pages, paper = len(book.pages), settings.paper
    most = preset.pages_allowed(paper)
    findings = []
    if pages < preset.min_pages:
        findings.append(finding("page-count", ERROR, f"{pages} pages: printer '{preset.name}' needs at least "
                                f"{preset.min_pages}", hint="add pages, or choose another printer"))
    if pages > most:
        findings.append(finding("page-count", ERROR, f"{pages} pages: printer '{preset.name}' prints at most "
                                f"{most} on {paper} paper", hint="split the book, or choose another printer"))
    if pages % preset.page_multiple:
        findings.append(finding("page-count", ERROR, f"{pages} pages is not a multiple of {preset.page_multiple}",
                                hint=f"add or remove pages to reach a multiple of {preset.page_multiple}"))
    need = preset.min_inside(pages)
    if book.geometry.margins.inside < need - 0.01:
        findings.append(finding("gutter", ERROR, f"the inside margin must be at least {need / INCH:.3f} in "
                                f"for {pages} pages", hint="widen format.margins.inside"))
    return findings
