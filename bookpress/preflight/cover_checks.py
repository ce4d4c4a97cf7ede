"""A laid-out cover wrap -> the text findings a cover needs beyond the interior's: the spine folds.

The wrap is one page whose trim runs round back, spine and front. Text on the back and front
panels keeps the printer's safety from the trim and from the spine folds (the hinge takes a
little of each panel); text on the spine keeps at least SPINE_TEXT_CLEARANCE from each fold,
since the folds wander by about that much from copy to copy, and the safety from the head and foot.
"""

from __future__ import annotations

from ..book import LaidOutBook, PlacedText
from ..diagnostics import Diagnostic, Severity
from ..load.printers import INCH, SPINE_TEXT_CLEARANCE
from .book_checks import excerpt, finding, text_box

ERROR, WARNING = Severity.ERROR, Severity.WARNING


def cover_gaps(item: PlacedText, width: float, height: float, folds: tuple[float, float]) -> tuple[float, str]:
    """(nearest distance, to what) for one line of the wrap; negative where it crosses a trim or a fold."""
    box = text_box(item)
    left_fold, right_fold = folds
    edges = {"top trim": box.y, "bottom trim": height - box.bottom}
    if item.role == "spine":
        edges.update({"left fold": box.x - left_fold, "right fold": right_fold - box.right})
    elif box.x < left_fold:  # the back panel
        edges.update({"left trim": box.x, "spine fold": left_fold - box.right})
    else:  # the front panel
        edges.update({"spine fold": box.x - right_fold, "right trim": width - box.right})
    edge = min(edges, key=lambda name: edges[name])
    return edges[edge], edge


def check_cover_text(book: LaidOutBook, safety: float, folds: tuple[float, float],
                     measured: dict[str, str]) -> list[Diagnostic]:
    """Every line of the wrap's text against the trim and the folds; `measured` gets the nearest."""
    page = book.pages[0]
    width, height = book.geometry.trim.width, book.geometry.trim.height
    findings, nearest = [], None
    for item in (i for i in page.items if isinstance(i, PlacedText) and i.visible):
        gap, edge = cover_gaps(item, width, height, folds)
        needed = SPINE_TEXT_CLEARANCE if item.role == "spine" and "fold" in edge else safety
        short = gap - needed
        rank = (gap >= 0, short)  # a line past a trim or fold first, then the one furthest inside its limit
        if nearest is None or rank < nearest[0]:
            nearest = (rank, gap, edge, item, needed)
        if gap < 0:
            findings.append(finding("safe-area", ERROR, f"text '{excerpt(item)}' ({item.role}) runs past the "
                                    f"{edge} and will be cut or folded", page))
        elif short < -0.01:
            findings.append(finding("safe-area", WARNING, f"text '{excerpt(item)}' ({item.role}) is "
                                    f"{gap / INCH:.4f} in from the {edge}, nearer than {needed / INCH:.4g} in",
                                    page))
    if nearest is None:
        measured["safe-area"] = "no text"
    else:
        _, gap, edge, item, needed = nearest
        measured["safe-area"] = f"tightest: {item.role} '{excerpt(item)}' {gap / INCH:.4f} in from the {edge} " \
                                f"(needs {needed / INCH:.4g} in; safety {safety / INCH:.3f} in, spine text " \
                                f"{SPINE_TEXT_CLEARANCE / INCH:.4g} in from the folds)"
    return findings
