"""An ISBN (and a price) -> the EAN-13 (and EAN-5 add-on) symbol as placed boxes and lines of text, in the barcode box.

The bars come from reportlab's EAN widgets (reportlab.graphics.barcode.eanbc), which encode
the digits; their rectangles become PlacedBoxes in 100% black on the white box the printer
keeps for the barcode, so the symbol is vectors on a single plate (a scanner sees no
registration), and the digits are set in an embedded font like every other line of the cover.

Sizes follow GS1's book-trade symbol: at 100% a module (the narrowest bar) is 0.33 mm and the
bars are 22.85 mm high; the largest magnification from 100% down to 80% that fits the box is
used. The main symbol keeps 11 modules of quiet zone on its left and 7 on its right (9, then
the add-on's own, when a price follows: 10 modules between the two, inside GS1's 7 to 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from reportlab.graphics.barcode.eanbc import Ean5BarcodeWidget, Ean13BarcodeWidget
from reportlab.graphics.shapes import Rect as ShapeRect
from reportlab.graphics.shapes import String

from ...book import Fragment, PlacedBox, PlacedText
from ...geometry import Rect
from ...load.isbn import isbn13, isbn13_written
from ...load.printers import MM

BLACK = (0.0, 0.0, 0.0, 1.0)  # one plate: bars in 100% K
MODULE = 0.33 * MM  # at 100%
BAR_HEIGHT = 22.85 * MM  # the normal bars at 100%
MAGNIFICATIONS = (1.0, 0.95, 0.9, 0.85, 0.8)  # GS1's smallest for a retail scan is 80%
DIGITS_SIZE = 9.0  # points at 100%: the human-readable digits under the bars
LEFT_QUIET, RIGHT_QUIET, ADD_ON_QUIET = 11, 7, 5  # modules
ADD_ON_GAP = 9  # modules after the right guard, before the add-on's own leading space
MAIN_MODULES, ADD_ON_MODULES = 95, 48  # the add-on's signal begins with one space module
WIDGET_QUIET = 9  # modules the reportlab widgets leave before their first bar
PAD = 1.5 * MM  # white kept above the ISBN line and below the digits, inside the box

# (text, size) -> the line set in the barcode's font, as fragments from the line's left edge.
Setter = Callable[[str, float], tuple[Fragment, ...]]


@dataclass(frozen=True)
class Barcode:
    items: tuple
    digits: str  # the 13 digits encoded
    add_on: str | None
    magnification: float
    symbol: Rect  # the bars and digits with their quiet zones

    def describe(self) -> str:
        add_on = f" + EAN-5 {self.add_on}" if self.add_on else ""
        return (f"EAN-13 {self.digits}{add_on} at {self.magnification:.0%} (module {MODULE * self.magnification / MM:.3f} "
                f"mm), in 100% K on the white barcode box")


def _modules(add_on: str | None) -> int:
    if add_on:
        return LEFT_QUIET + MAIN_MODULES + ADD_ON_GAP + ADD_ON_MODULES + ADD_ON_QUIET
    return LEFT_QUIET + MAIN_MODULES + RIGHT_QUIET


def lay_out_barcode(isbn: str, add_on: str | None, box: Rect, setter: Setter) -> Barcode | None:
    """The symbol centred in `box`, or None when even 80% does not fit its width."""
    modules = _modules(add_on)
    magnification = next((m for m in MAGNIFICATIONS if modules * MODULE * m <= box.width), None)
    if magnification is None:
        return None
    x_dim, size = MODULE * magnification, DIGITS_SIZE * magnification
    row = size * 1.2  # the digits' row under the normal bars, which the guard bars run down beside
    isbn_row = size * 1.35
    bars = min(BAR_HEIGHT * magnification, box.height - 2 * PAD - row - isbn_row)
    digits = isbn13(isbn)
    main = Ean13BarcodeWidget(digits[:12], barWidth=x_dim, barHeight=bars + row, fontSize=size)
    width = modules * x_dim
    height = isbn_row + bars + row
    left = box.x + (box.width - width) / 2
    bottom = box.y + (box.height + height) / 2  # the widget's y = 0, in the page's y-down points
    # The widgets draw their symbols WIDGET_QUIET modules in from their origin; the quiet zones are this
    # module's to keep (the box is white), so each widget is placed that much to the left.
    items: list = [*_shapes(main.draw(), left + (LEFT_QUIET - WIDGET_QUIET) * x_dim, bottom, setter)]
    if add_on:
        extra = Ean5BarcodeWidget(add_on, barWidth=x_dim, barHeight=bars, fontSize=size, humanReadable=False)
        at = left + (LEFT_QUIET + MAIN_MODULES + ADD_ON_GAP) * x_dim
        items += _shapes(extra.draw(), at - WIDGET_QUIET * x_dim, bottom, setter)
        # Its digits above its bars, as the add-on carries them, their tops level with the main bars'.
        items.append(_centred(setter(add_on, size), at + (ADD_ON_MODULES * x_dim) / 2, bottom - bars - row + size * 0.8))
    # "ISBN 978-..." over the main symbol, centred on its bars.
    centre = left + (LEFT_QUIET + MAIN_MODULES / 2) * x_dim
    items.append(_centred(setter(f"ISBN {isbn13_written(isbn)}", size), centre, bottom - bars - row - size * 0.35))
    symbol = Rect(left, bottom - height, width, height)
    return Barcode(tuple(items), digits, add_on, magnification, symbol)


def _shapes(group, left: float, bottom: float, setter: Setter) -> list:
    """The widget's filled rectangles as black boxes, and its strings set in the barcode's font."""
    placed: list = []
    for shape in group.contents:
        if isinstance(shape, ShapeRect) and shape.fillColor is not None and shape.width > 0:
            placed.append(PlacedBox(Rect(left + shape.x, bottom - shape.y - shape.height, shape.width, shape.height),
                                    BLACK))
        elif isinstance(shape, String):
            fragments = setter(shape.text, shape.fontSize)
            x = left + shape.x
            if shape.textAnchor == "middle":
                placed.append(_centred(fragments, x, bottom - shape.y))
            else:
                placed.append(PlacedText(x, bottom - shape.y, fragments, BLACK, "barcode"))
    return placed


def _centred(fragments: tuple[Fragment, ...], centre: float, baseline: float) -> PlacedText:
    start = min((f.x for f in fragments), default=0.0)
    extent = max((f.x + f.width for f in fragments), default=0.0) - start
    return PlacedText(centre - extent / 2 - start, baseline, fragments, BLACK, "barcode")
