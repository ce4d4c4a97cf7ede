"""LaidOutBook -> the findings only its geometry shows: image resolution, text near the trim, the gutter, page count.

Every placement is known exactly here (no PDF parsing), and each finding names its page
and the manuscript line the item came from.
"""

from __future__ import annotations

import math
from typing import Iterator

from ..book import LaidOutBook, Page, PlacedImage, PlacedText
from ..diagnostics import Diagnostic, PageRef, Severity
from ..fonts.catalog import FontBook
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
    return _gaps(rect.x, rect.y, rect.right, rect.bottom, page, book)


def _gaps(left: float, top: float, right: float, bottom: float, page: Page, book: LaidOutBook) -> dict[str, float]:
    width, height = book.geometry.trim.width, book.geometry.trim.height
    inside, outside = (left, width - right) if page.side == "recto" else (width - right, left)
    return {"top": top, "bottom": height - bottom, "outside": outside, "inside": inside}


def check_edges(book: LaidOutBook, preset: Preset, measured: dict[str, str] | None = None) -> list[Diagnostic]:
    """Every line of text against the printer's safety from the outer edges; text or framed photos in the gutter.

    `measured["safe-area"]` gets the nearest line of the book: its distance, which edge, what and where.
    """
    findings = []
    zone = gutter_zone(preset, len(book.pages))
    nearest: tuple[float, str, PlacedText, Page] | None = None
    for page in book.pages:
        texts = [item for item in page.items if isinstance(item, PlacedText) and item.visible]
        photos = [item for item in page.items if isinstance(item, PlacedImage) and not item.bleeds]
        found, closest = _edge_findings(page, book, texts, preset.safety, zone)
        findings += found
        if closest is not None and (nearest is None or closest[0] < nearest[0]):
            nearest = (*closest, page)
        for item in photos:
            if _distances(item.rect, page, book)["inside"] < zone - 0.01:
                findings.append(finding("gutter", WARNING, f"{item.photo.image.path.name} reaches into the "
                                        f"gutter ({zone / INCH:.2f} in): it may disappear in the binding",
                                        page, item.photo.source,
                                        "widen format.margins.inside, or choose a template whose frames keep "
                                        "clear of the binding (a spread's photo may cross it in a bleed frame)"))
    if measured is not None:
        measured["safe-area"] = _nearest_text(nearest, preset.safety)
    return findings


def _nearest_text(nearest: tuple[float, str, PlacedText, Page] | None, safety: float) -> str:
    if nearest is None:
        return f"no text (safety {safety / INCH:.3f} in)"
    gap, edge, item, page = nearest
    return f"nearest text {gap / INCH:.3f} in from the {edge} trim: {item.role} '{excerpt(item)}', " \
           f"p. {page.label} (safety {safety / INCH:.3f} in)"


def text_box(item: PlacedText, extents: dict | None = None) -> Rect:
    """A line's glyph box as a PDF reader measures it: its fonts' ascent above the baseline and
    descent below (not the smaller cap height), turned with the line."""
    ascent, descent = _line_extent(item, extents if extents is not None else {})
    if not item.angle:  # nearly every line: no turn to work out
        return Rect(item.x, item.baseline - ascent, item.width, ascent + descent)
    turn = math.radians(item.angle)
    corners = [(dx * math.cos(turn) - dy * math.sin(turn), dx * math.sin(turn) + dy * math.cos(turn))
               for dx in (0.0, item.width) for dy in (-ascent, descent)]
    xs, ys = [item.x + cx for cx, _ in corners], [item.baseline + cy for _, cy in corners]
    return Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _line_extent(item: PlacedText, known: dict) -> tuple[float, float]:
    """The line's ascent and descent: the largest of its fonts' at their sizes."""
    ascent = descent = 0.0
    for font, size in {(fragment.font, fragment.size) for fragment in item.fragments}:  # a line has few
        up, down = _extent(font, size, known)
        ascent, descent = max(ascent, up), max(descent, down)
    return ascent, descent


def _extent(font: str, size: float, known: dict[tuple[str, float], tuple[float, float]]) -> tuple[float, float]:
    """A font's ascent and descent at a size, in points, looked up once per check (a long book asks some
    100,000 times; per check, since a font name may be registered again for another font between books)."""
    found = known.get((font, size))
    if found is None:
        try:
            found = FontBook.ascent(font, size), FontBook.descent(font, size)
        except KeyError:  # a font reportlab does not know (a hand-made book): the usual proportions
            found = 0.8 * size, 0.2 * size
        known[(font, size)] = found
    return found


def _edge_findings(page: Page, book: LaidOutBook, texts: list[PlacedText], safety: float, zone: float
                   ) -> tuple[list[Diagnostic], tuple[float, str, PlacedText] | None]:
    """One finding per page and kind, naming the page's nearest offending line and what to change for it;
    and the page's nearest line."""
    found: dict[tuple[str, Severity], tuple[float, str, PlacedText, str]] = {}
    closest: tuple[float, str, PlacedText] | None = None
    extents: dict = {}
    for item in texts:
        if item.angle:
            box = text_box(item, extents)
            left, top, right, bottom = box.x, box.y, box.right, box.bottom
        else:  # nearly every line (a long book has a hundred thousand): its box worked out in place
            ascent, descent = _line_extent(item, extents)
            left, top = item.x, item.baseline - ascent
            right, bottom = left + item.width, item.baseline + descent
        gaps = _gaps(left, top, right, bottom, page, book)
        edge, outer = "top", gaps["top"]  # the nearest of top, bottom and outside (the first, on a tie)
        if gaps["bottom"] < outer:
            edge, outer = "bottom", gaps["bottom"]
        if gaps["outside"] < outer:
            edge, outer = "outside", gaps["outside"]
        if closest is None or outer < closest[0]:
            closest = (outer, edge, item)
        if outer < 0 or gaps["inside"] < 0:
            _keep_nearest(found, ("safe-area", ERROR), (min(outer, gaps["inside"]), "runs past the trim and will "
                                                        "be cut", item, _edge_hint(item, edge if outer < 0 else "inside")))
        elif outer < safety - 0.01:
            _keep_nearest(found, ("safe-area", WARNING), (outer, f"is {outer / INCH:.3f} in from the {edge} trim, "
                                                          f"inside the printer's {safety / INCH:.3f} in safety", item,
                                                          _edge_hint(item, edge)))
        if 0 <= gaps["inside"] < zone - 0.01:
            _keep_nearest(found, ("gutter", WARNING), (gaps["inside"], f"is {gaps['inside'] / INCH:.3f} in from "
                                                       f"the binding, inside the {zone / INCH:.3f} in gutter", item,
                                                       _edge_hint(item, "inside")))
    findings = [finding(check, severity, f"text '{excerpt(item)}' ({item.role}) {what}", page, page.source, hint)
                for (check, severity), (_, what, item, hint) in found.items()]
    return findings, closest


# Lines set in the margin, placed by the margins: moving them means widening the margin they sit in.
FURNITURE = {"running-head": "style.running_heads: false", "folio": "style.folio: none"}


def _edge_hint(item: PlacedText, edge: str) -> str:
    """What moves a line away from `edge` (top, bottom, outside or inside) of the trim."""
    margin = f"format.margins.{edge}"
    if item.role in FURNITURE:
        return f"{item.role.replace('-', ' ')}s sit in the margin: widen {margin} to move them inward, or " \
               f"leave them out with {FURNITURE[item.role]}"
    return f"widen {margin}, or move the frame that holds this text further from the edge in its template"


def _keep_nearest(found: dict, key: tuple[str, Severity], candidate: tuple[float, str, PlacedText, str]) -> None:
    if key not in found or candidate[0] < found[key][0]:
        found[key] = candidate


def excerpt(item: PlacedText, length: int = 30) -> str:
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
