"""Printer name -> Preset: the figures a printer imposes, which book.yaml `print:` may override.

Figures from the printers' own help pages where possible (KDP and Lulu: solid);
values marked (U) are unconfirmed defaults: override them in book.yaml `print:`
when your printer says otherwise (see the README's printing section).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import DATA

INCH = 72.0
MM = 72.0 / 25.4
ICC_DIR = DATA / "icc"
TRIM_TOLERANCE = 0.01  # inches: "8.27x11.69" is A4 given to two decimals
# Spine text keeps at least this from each fold: folds wander by about that much between copies,
# and 1/16 in is the minimum printers' cover guides ask for.
SPINE_TEXT_CLEARANCE = 0.0625 * INCH


@dataclass(frozen=True)
class OutputCondition:
    """The press condition a PDF/X output intent names, and the ICC profile that describes it."""

    profile: str  # file name in bookpress/data/icc
    identifier: str  # OutputConditionIdentifier
    info: str  # human-readable description
    registry: str = "http://www.color.org"


FOGRA39 = OutputCondition("ISOcoated_v2_300_bas.icc", "FOGRA39",
                          "ISO Coated v2 300% (basICColor): offset, coated paper, FOGRA39, 300% total ink")
# The 240% profile is made from the FOGRA39 characterisation data: the printing condition it
# describes is FOGRA39's (registered with the ICC); only its separations keep to 240%.
CMYK_240 = OutputCondition("bookpress-cmyk-240.icc", "FOGRA39",
                           "bookpress CMYK 240% (FOGRA39 data): offset, coated paper, FOGRA39, 240% total ink")


@dataclass(frozen=True)
class Spine:
    """Spine width = base + pages x per-page caliper of the paper (inches)."""

    per_page: tuple[tuple[str, float], ...]  # paper -> inches per page
    base: float = 0.0
    approximate: bool = True  # the printer's own template generator is authoritative
    text_min_pages: int = 80  # below this no title on the spine

    def caliper(self, paper: str) -> float:
        table = dict(self.per_page)
        return table.get(paper, table["white"])

    def width(self, pages: int, paper: str, caliper: float | None = None) -> float:
        """Spine width in points for the final page count."""
        return (self.base + pages * (caliper if caliper else self.caliper(paper))) * INCH


@dataclass(frozen=True)
class Preset:
    name: str
    bleed: float  # points
    bleed_inside: bool  # False: no bleed on the binding edge (KDP)
    pdfx: str  # "x4" | "x1a" | "none"
    colour: str  # "cmyk" or "rgb": what the printer wants images in
    page_multiple: int
    min_pages: int
    max_pages: int
    min_ppi: int
    ink_limit: int  # total area coverage, percent
    safety: float  # points inside the trim where text must stay
    marks_allowed: bool
    trims_in: tuple[tuple[float, float], ...] = ()  # empty: any trim
    # Minimum inside margin (points) by final page count: (up to this many pages, margin); empty: none.
    inside_by_pages: tuple[tuple[int, float], ...] = ()
    max_pages_by_paper: tuple[tuple[str, int], ...] = ()
    output: OutputCondition = FOGRA39
    annotations_allowed: bool = False  # links in the print PDF (KDP rejects annotations)
    spine: Spine = field(default_factory=lambda: Spine((("white", 0.0022), ("cream", 0.0025), ("coated", 0.002))))
    barcode_in: tuple[float, float, float, float] = (2.0, 1.2, 0.25, 0.25)  # width, height, from spine, from bottom
    needs_isbn: bool = False  # the printer will not take (or sell) a paperback without one
    assigns_isbn: bool = False  # ... but gives one free on request (KDP)

    def pages_allowed(self, paper: str) -> int:
        return dict(self.max_pages_by_paper).get(paper, self.max_pages)

    def min_inside(self, pages: int) -> float:
        """The narrowest inside margin (points) the printer accepts for a book of `pages` pages."""
        for upto, margin in self.inside_by_pages:
            if pages <= upto:
                return margin
        return self.inside_by_pages[-1][1] if self.inside_by_pages else 0.0

    def trim_allowed(self, width: float, height: float) -> bool:
        """Whether a trim (points) is one the printer offers; orientation counts (8.25x6 is landscape)."""
        if not self.trims_in:
            return True
        w, h = width / INCH, height / INCH
        return any(abs(w - tw) <= TRIM_TOLERANCE and abs(h - th) <= TRIM_TOLERANCE for tw, th in self.trims_in)

    def trim_names(self) -> str:
        return ", ".join(f"{w:g}x{h:g}in" for w, h in self.trims_in)

    @property
    def profile_path(self) -> Path:
        return ICC_DIR / self.output.profile


def _bands(*bands: tuple[int, float]) -> tuple[tuple[int, float], ...]:
    return tuple((pages, inches * INCH) for pages, inches in bands)


KDP_TRIMS = ((5, 8), (5.06, 7.81), (5.25, 8), (5.5, 8.5), (6, 9), (6.14, 9.21), (6.69, 9.61), (7, 10),
             (7.44, 9.69), (7.5, 9.25), (8, 10), (8.25, 6), (8.25, 8.25), (8.5, 8.5), (8.5, 11), (8.27, 11.69))

PRESETS: dict[str, Preset] = {
    # Offset printing: pad to 4 (saddle stitch; a perfect-bound job may want 8 or 16), text 3 mm inside the trim (U).
    # With `pdfx: none` the author opted out of PDF/X: links stay, for a PDF that is also read on screen.
    "generic": Preset("generic", 3 * MM, True, "x4", "cmyk", 4, 4, 1000, 200, 300, 3 * MM, True,
                      annotations_allowed=True),
    "kdp": Preset(
        "kdp", 0.125 * INCH, False, "none", "rgb", 2, 24, 828, 300, 300, 0.375 * INCH, False,
        trims_in=KDP_TRIMS,
        inside_by_pages=_bands((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875)),
        max_pages_by_paper=(("white", 828), ("cream", 776), ("coated", 600)),
        spine=Spine((("white", 0.002252), ("cream", 0.0025), ("coated", 0.002347)), approximate=False,
                    text_min_pages=79),
        needs_isbn=True, assigns_isbn=True,
    ),
    # IngramSpark: calipers, page limits and spine-text threshold (U); their template generator rules.
    "ingramspark": Preset("ingramspark", 0.125 * INCH, True, "x1a", "cmyk", 2, 18, 1200, 300, 240,
                          0.5 * INCH, False, output=CMYK_240,
                          spine=Spine((("white", 0.002252), ("cream", 0.0025), ("coated", 0.002347)),
                                      text_min_pages=48), needs_isbn=True),
    # Lulu: safety 0.5 in plus the gutter Lulu asks to add by page count. Its "single pages, no
    # spreads in the file" holds for every book: a spread is always written as its two pages.
    "lulu": Preset("lulu", 0.125 * INCH, True, "none", "rgb", 2, 32, 800, 300, 300, 0.5 * INCH, False,
                   inside_by_pages=_bands((60, 0.5), (150, 0.625), (400, 1.0), (600, 1.125), (800, 1.25)),
                   spine=Spine((("white", 1 / 444), ("cream", 1 / 444), ("coated", 1 / 444)), base=0.06,
                               approximate=False, text_min_pages=80)),
    # Blurb: trims, safe area and PDF/X flavour (U).
    "blurb": Preset("blurb", 0.125 * INCH, True, "x4", "rgb", 2, 20, 440, 300, 300, 0.25 * INCH, False,
                    trims_in=((7, 7), (8, 10), (10, 8), (12, 12), (13, 11)),
                    max_pages_by_paper=(("white", 440), ("cream", 440), ("coated", 240))),
}


def profile_problem(path: Path) -> str | None:
    """Why an ICC profile cannot be a press profile (a CMYK output profile), or None when it can."""
    from PIL import ImageCms  # only manuscripts that name their own profile pay for the import

    try:
        header = ImageCms.getOpenProfile(str(path)).profile
    except (OSError, ImageCms.PyCMSError) as exc:
        return f"is not a readable ICC profile ({exc})"
    space, kind = header.xcolor_space.strip(), header.device_class.strip()
    if space != "CMYK" or kind != "prtr":
        return f"is a {space} '{kind}' profile, not a CMYK output (printer) profile"
    return None
