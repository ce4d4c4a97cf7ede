"""Laid-out pages -> the light type that is reversed out of a photo or a four-colour solid, where it is too thin.

Reversed type is paper left bare inside an ink: out of a photo or a solid built from several
inks, every plate must leave the same hole, and the plates land up to about 0.1 mm apart on
press. A thin serif or a small size then fills in with the colour of one plate. Type is safe
to reverse when its strokes are a good deal thicker than that: bold from 9 pt, or a regular
weight at display sizes (from 20 pt); below that it belongs on a solid panel (paper or one ink).
"""

from __future__ import annotations

from typing import Iterator, Union

from ..book import LaidOutBook, Page, PlacedBox, PlacedImage, PlacedText
from ..diagnostics import Diagnostic, Severity
from ..fonts.shaping import weight_of
from .book_checks import excerpt, finding

BOLD = 600  # OS/2 weight class from which a face counts as bold
SAFE_BOLD_SIZE = 9.0  # points: bold type reversed from here up keeps its counters open
SAFE_REGULAR_SIZE = 20.0  # points: a regular weight's hairlines are thick enough from here up
LIGHT = 0.6  # luminance from which type counts as light (it is paper showing through)
INK_PRESENT = 0.05  # a plate carrying at least this much of a solid

Ground = Union[PlacedBox, PlacedImage]


def luminance(cmyk: tuple[float, float, float, float]) -> float:
    """Roughly how light a CMYK colour prints, 0 (black) to 1 (paper)."""
    c, m, y, k = cmyk
    red, green, blue = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _plates(cmyk: tuple[float, float, float, float]) -> int:
    return sum(1 for ink in cmyk if ink >= INK_PRESENT)


def grounds_under(page: Page, line: PlacedText) -> list[Ground]:
    """What is drawn where the line is, the topmost at each of a grid of points over its box.

    Render draws boxes and photos in their order on the page, then the text over them all.
    """
    box = line.bounds()
    layers = [item for item in page.items if isinstance(item, (PlacedBox, PlacedImage))]
    columns = max(2, int(box.width / 3) + 1)
    found: list[Ground] = []
    for row in range(3):
        y = box.y + box.height * (row + 0.5) / 3
        for column in range(columns):
            x = box.x + box.width * column / (columns - 1)
            top = next((g for g in reversed(layers) if _covers(g, x, y)), None)
            if top is not None and top not in found:
                found.append(top)
    return found


def _covers(ground: Ground, x: float, y: float) -> bool:
    r = ground.rect
    return r.x <= x <= r.right and r.y <= y <= r.bottom


def safe_to_reverse(line: PlacedText) -> bool:
    return all(f.size >= SAFE_REGULAR_SIZE or (f.size >= SAFE_BOLD_SIZE and weight_of(f.font) >= BOLD)
               for f in line.fragments if f.text.strip())


def _reversed_lines(book: LaidOutBook) -> Iterator[tuple[Page, PlacedText, str]]:
    """(page, line, what it is reversed out of) for each light line over a photo or a four-colour solid."""
    light: dict[tuple, bool] = {}  # colour -> light enough to count: a book sets its lines in few colours
    for page in book.pages:
        for line in page.items:
            if not isinstance(line, PlacedText):
                continue
            if line.color not in light:
                light[line.color] = luminance(line.color) >= LIGHT
            if not light[line.color] or not line.visible:  # nearly every line is dark: nothing more to ask
                continue
            for ground in grounds_under(page, line):
                if isinstance(ground, PlacedImage):
                    yield page, line, f"the photo {ground.photo.image.path.name}"
                    break
                if _plates(ground.color) >= 2 and luminance(ground.color) < luminance(line.color):
                    yield page, line, f"a solid of {_plates(ground.color)} inks"
                    break


def check_reversed_type(book: LaidOutBook, measured: dict[str, str]) -> list[Diagnostic]:
    findings, safe = [], 0
    for page, line, ground in _reversed_lines(book):
        if safe_to_reverse(line):
            safe += 1
            continue
        size = max(f.size for f in line.fragments)
        findings.append(finding("reversed", Severity.WARNING, f"thin type reversed out of {ground}: "
                                f"'{excerpt(line)}' ({line.role}, {size:.1f} pt) will fill in when the plates "
                                "are out of register", page, line.source,
                                hint=f"set it on a solid panel, or bold from {SAFE_BOLD_SIZE:g} pt (a regular "
                                f"weight from {SAFE_REGULAR_SIZE:g} pt)"))
    thin = len(findings)
    if not thin and not safe:
        measured["reversed"] = "no light type over a photo or a four-colour solid"
    else:
        measured["reversed"] = (f"{safe + thin} light line(s) over a photo or a four-colour solid: {safe} bold or "
                                f"large enough, {thin} too thin")
    return findings
