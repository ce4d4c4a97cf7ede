"""Printer presets as data: the figures a printer imposes, which book.yaml may override.

Figures from the printers' own help pages where possible (see PRINTERS.md in the
project's notes); values marked (U) are unconfirmed defaults: override them in
book.yaml `print:` when your printer says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

INCH = 72.0
MM = 72.0 / 25.4


@dataclass(frozen=True)
class Preset:
    name: str
    bleed: float  # points
    bleed_inside: bool  # False: no bleed on the binding edge (KDP)
    pdfx: str  # "x4" | "x1a" | "none"
    colour: str  # "cmyk" or "rgb": what images are converted to for x1a / proofs
    page_multiple: int
    min_pages: int
    max_pages: int
    min_ppi: int
    ink_limit: int  # total area coverage, percent
    safety: float  # points inside the trim where text must stay
    marks_allowed: bool
    trims_in: tuple[tuple[float, float], ...] = ()  # empty: any trim
    spread_pages: bool = True  # False: the printer wants single pages only (Lulu)


PRESETS: dict[str, Preset] = {
    "generic": Preset("generic", 3 * MM, True, "x4", "cmyk", 4, 4, 1000, 200, 300, 5 * MM, True),
    "kdp": Preset(
        "kdp", 0.125 * INCH, False, "none", "rgb", 2, 24, 828, 300, 300, 0.375 * INCH, False,
        trims_in=((5, 8), (5.06, 7.81), (5.25, 8), (5.5, 8.5), (6, 9), (6.14, 9.21), (6.69, 9.61), (7, 10),
                  (7.44, 9.69), (7.5, 9.25), (8, 10), (8.25, 6), (8.25, 8.25), (8.5, 8.5), (8.5, 11),
                  (8.27, 11.69)),
    ),
    "ingramspark": Preset("ingramspark", 0.125 * INCH, True, "x1a", "cmyk", 2, 18, 1200, 300, 240,
                          0.5 * INCH, False),
    "lulu": Preset("lulu", 0.125 * INCH, True, "none", "rgb", 2, 32, 800, 300, 300, 0.5 * INCH, False,
                   spread_pages=False),
    "blurb": Preset("blurb", 0.125 * INCH, True, "x4", "rgb", 2, 20, 440, 300, 300, 0.25 * INCH, False,
                    trims_in=((7, 7), (8, 10), (10, 8), (12, 12), (13, 11))),
}


def get_preset(name: str) -> Preset:
    return PRESETS[name]
