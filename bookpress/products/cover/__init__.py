"""Manuscript folder -> cover wrap PDF: back + spine + front with bleed, the spine sized for the final page count.

The interior is laid out first (no pixels) for its page count, which sets the spine width
from the printer's caliper or formula. The wrap is then laid out as a one-page book of
its own and goes through the same stages as the interior: images, render, press. The
front photo runs into the bleed on its three outer edges; the title and author sit on a
solid band over it; the back carries the blurb from book.yaml and keeps the barcode
area clear. Positions are in points from the top-left of the wrap's trim, y down.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from ..book import LaidOutBook, Page, PageGeometry, PlacedBox, PlacedText
from ..diagnostics import Diagnostic, Diagnostics, Severity
from ..fonts import load_fonts
from ..geometry import Rect, Sides, Size
from ..images import image_jobs, prepare_all
from ..layout.context import BASELINE_RISE, LayoutContext
from ..layout.photos.place import place_photo
from ..load import image_problems_located
from ..load.printers import INCH, SPINE_TEXT_CLEARANCE, Preset
from ..load.templates import TemplateSet
from ..model import Manuscript, TextStyle
from ..options import BuildOptions, Request
from ..pipeline import load_and_lay_out, scratch_file, write_atomically, write_report
from ..preflight import Report, preflight_cover
from ..press import press_pdf
from ..render import render_pdf

BAND = (0.72, 0.55, 0.38, 0.62)  # dark slate, 227% total ink: inside every preset's limit
WHITE = (0.0, 0.0, 0.0, 0.0)
SPINE_TEXT_MIN = 6.0  # points: the smallest spine type that is still read from a shelf


@dataclass(frozen=True)
class CoverGeometry:
    """The wrap's panels, in points from the top-left of its trim; the bleed runs around all four edges."""

    page_width: float
    page_height: float
    bleed: float
    spine: float

    @property
    def trim(self) -> Size:
        return Size(2 * self.page_width + self.spine, self.page_height)

    @property
    def width(self) -> float:
        """The sheet, bleed included."""
        return self.trim.width + 2 * self.bleed

    @property
    def height(self) -> float:
        return self.page_height + 2 * self.bleed

    def back(self) -> Rect:
        return Rect(0, 0, self.page_width, self.page_height)

    def spine_rect(self) -> Rect:
        return Rect(self.page_width, 0, self.spine, self.page_height)

    def front(self) -> Rect:
        return Rect(self.page_width + self.spine, 0, self.page_width, self.page_height)


@dataclass(frozen=True)
class CoverResult:
    pdf: Path
    pages: int
    geometry: CoverGeometry
    spine_text: bool
    barcode: Rect  # the area kept clear
    notes: tuple[Diagnostic, ...] = ()
    preflight: Optional[Report] = None  # the wrap's own checks (report beside it)

    @property
    def width_in(self) -> float:
        return self.geometry.width / INCH

    @property
    def height_in(self) -> float:
        return self.geometry.height / INCH

    @property
    def spine_in(self) -> float:
        return self.geometry.spine / INCH


def cover_geometry(manuscript: Manuscript, preset: Preset, pages: int) -> CoverGeometry:
    spine = preset.spine.width(pages, manuscript.print.paper, manuscript.print.caliper)
    trim = manuscript.format.trim
    return CoverGeometry(trim.width, trim.height, manuscript.format.bleed, spine)


def barcode_area(geometry: CoverGeometry, preset: Preset) -> Rect:
    """Lower right of the back cover, measured from the spine fold and the bottom trim."""
    width, height, from_spine, from_bottom = (v * INCH for v in preset.barcode_in)
    back = geometry.back()
    return Rect(back.right - from_spine - width, back.bottom - from_bottom - height, width, height)


def build_cover(root: Path, request: Request = Request()) -> CoverResult:
    """Lay out the book for its page count, then lay out, render, press and preflight the wrap.

    `request.output` is the cover's path (default build/<slug>-cover.pdf); its preflight report is
    written beside it. A wrap that fails preflight goes to <slug>-cover.not-ready.pdf, as a book does.
    """
    manuscript, options, book = load_and_lay_out(root, request)
    pages = len(book.pages)
    geometry = cover_geometry(manuscript, options.preset, pages)
    allowed = pages >= options.preset.spine.text_min_pages
    barcode = barcode_area(geometry, options.preset)
    cover = lay_out_cover(manuscript, options, geometry, barcode, allowed)
    spine_text = any(isinstance(item, PlacedText) and item.role == "spine" for item in cover.pages[0].items)
    target = request.output or options.paths.sibling("-cover")
    with image_problems_located(manuscript):
        images = prepare_all(image_jobs(cover, options.render), options.paths.images, workers=1)
    folds = (geometry.spine_rect().x, geometry.spine_rect().right)
    with scratch_file(target, ".cover") as built:
        _render_and_press(cover, images, built, options)
        report = preflight_cover(manuscript, options, cover, built, folds)
        written = target.with_name(f"{target.stem}.not-ready{target.suffix}") if report.failed() else target
        write_atomically(written, lambda tmp: os.replace(built, tmp))
    report = replace(report, pdf=str(written))
    write_report(report, target.with_name(target.stem + ".preflight.json"))
    notes = _notes(manuscript, options.preset, pages, allowed, spine_text, geometry)
    return CoverResult(written, pages, geometry, spine_text, barcode, tuple(notes), report)


def _render_and_press(cover: LaidOutBook, images: dict, out: Path, options: BuildOptions) -> None:
    render_pdf(cover, images, out, options.render)
    press_pdf(cover, out, options.press)


def _notes(manuscript: Manuscript, preset: Preset, pages: int, allowed: bool, spine_text: bool,
           geometry: CoverGeometry) -> list[Diagnostic]:
    notes = []
    if not allowed:
        notes.append(f"no text on the spine: printer '{preset.name}' allows it from {preset.spine.text_min_pages} "
                     f"pages, the book has {pages}")
    elif not spine_text:
        notes.append(f"no text on the spine: at {geometry.spine / INCH:.3f} in it has no room for "
                     f"{SPINE_TEXT_MIN:g} pt type {SPINE_TEXT_CLEARANCE / INCH:g} in from each fold")
    if preset.spine.approximate and not manuscript.print.caliper:
        notes.append(f"the spine width is approximate (printer '{preset.name}', {manuscript.print.paper} paper): "
                     "check it against the printer's cover template, or set print.caliper in book.yaml")
    if manuscript.cover.photo is None:
        notes.append("no cover photo: add 'cover: {photo: photos/...}' to book.yaml")
    return [Diagnostic(Severity.NOTE, note, check="cover") for note in notes]


def lay_out_cover(manuscript: Manuscript, options: BuildOptions, geometry: CoverGeometry, barcode: Rect,
                  spine_text: bool) -> LaidOutBook:
    """The wrap as a one-page LaidOutBook, for render and press like any page."""
    page_geometry = PageGeometry(geometry.trim, geometry.bleed, True, Sides(0, 0, 0, 0))
    ctx = LayoutContext(manuscript, options.preset, load_fonts(list(manuscript.font_folders)), TemplateSet({}),
                        page_geometry, Diagnostics())
    painter = _CoverLayout(ctx, geometry, barcode)
    items = painter.backdrop() + painter.photo() + painter.front_band() + painter.back_text()
    if spine_text:
        items += painter.spine()
    page = Page(0, "Cover", "cover", "cover", tuple(items))
    fonts = sorted({f.font for item in items if isinstance(item, PlacedText) for f in item.fragments})
    meta = replace(manuscript.meta, title=f"{manuscript.meta.title} (cover)")
    return LaidOutBook(meta, page_geometry, (page,), (), tuple(fonts))


class _CoverLayout:
    def __init__(self, ctx: LayoutContext, geometry: CoverGeometry, barcode: Rect) -> None:
        self.ctx, self.g, self.barcode = ctx, geometry, barcode
        self.m = ctx.manuscript
        # Half a point beyond the safety, so that rounding never lands a line on it.
        self.safety = max(ctx.preset.safety, 0.5 * INCH) + 0.5

    def backdrop(self) -> list:
        """Back and spine in the band colour, to the bleed; the barcode box left as bare paper."""
        b = self.g.bleed
        return [PlacedBox(Rect(-b, -b, self.g.front().x + b, self.g.height), BAND), PlacedBox(self.barcode, WHITE)]

    def photo(self) -> list:
        """The front photo, cropped to fill from the spine fold to the outer bleed edges."""
        if self.m.cover.photo is None:
            return []
        front, b = self.g.front(), self.g.bleed
        return [place_photo(self.m.cover.photo, Rect(front.x, -b, front.width + b, self.g.height), bleeds=True)]

    def front_band(self) -> list:
        """A solid band across the lower front, with the title and author reversed out of it."""
        front, style = self.g.front(), self.m.style
        width = front.width - 2 * self.safety
        title_style = _white(style.title.font, style.title.size * 1.5, style.title.size * 1.7)
        author_style = _white(style.heading.font, style.heading.size, style.heading.size * 1.5)
        title = self.ctx.set_text(self.m.meta.title, title_style, width, align="left", hyphenate=False)
        author = self.ctx.set_text(self.m.meta.author or "", author_style, width, align="left", hyphenate=False)
        height = self.safety * 2 + len(title) * title_style.leading + len(author) * author_style.leading
        top = front.bottom - front.height * 0.08 - height
        items: list = [PlacedBox(Rect(front.x, top, front.width + self.g.bleed, front.bottom + self.g.bleed - top),
                                 BAND)]
        x = front.x + self.safety
        y = top + self.safety + title_style.leading  # the first baseline
        items += self._lines(title, title_style, x, y)
        y += len(title) * title_style.leading - title_style.leading + author_style.leading * 1.3
        items += self._lines(author, author_style, x, y)
        return items

    def back_text(self) -> list:
        """The blurb, top of the back panel down, never reaching the barcode area."""
        text = self.m.cover.back_text
        if not text:
            return []
        back, body = self.g.back(), self.m.style.body
        size = max(12.0, body.size * 1.2)
        blurb = _white(body.font, size, size * body.leading / body.size)
        width = back.width - 2 * self.safety
        baseline = back.y + self.safety + blurb.leading
        floor = self.barcode.y - blurb.leading
        items: list = []
        for paragraph in [p for p in text.split("\n\n") if p.strip()]:
            lines = self.ctx.set_text(" ".join(paragraph.split()), blurb, width, align="justify")
            fits = [line for i, line in enumerate(lines) if baseline + i * blurb.leading < floor]
            items += self._lines(tuple(fits), blurb, back.x + self.safety, baseline)
            baseline += (len(fits) + 0.5) * blurb.leading
        return items

    def spine(self) -> list:
        """Title — author, reading top to bottom (the US and UK convention), centred on the spine.

        The capitals are centred across the spine, and the size is the largest (up to 14 pt) at which
        the glyph box (ascenders and descenders) keeps SPINE_TEXT_CLEARANCE from each fold; below
        SPINE_TEXT_MIN the spine carries no text (it would not be legible, and would not survive the
        folds' wander).
        """
        rect = self.g.spine_rect()
        text = " — ".join(part for part in (self.m.meta.title, self.m.meta.author) if part)
        fonts, family = self.ctx.fonts, self.m.style.heading.font
        font = fonts.face(family, "bold")
        ascent, descent, cap = fonts.ascent(font, 1.0), fonts.descent(font, 1.0), fonts.cap_height(font, 1.0)
        # From the spine's centre line to the nearer limit, a quarter point inside it (rounding never lands on it).
        half = rect.width / 2 - SPINE_TEXT_CLEARANCE - 0.25
        size = min(14.0, half / max(ascent - cap / 2, descent + cap / 2, 0.01))
        length = rect.height - 2 * self.safety
        size = min(size, size * length / max(1.0, fonts.width(text, font, size)))
        if size < SPINE_TEXT_MIN:
            return []
        style = _white(family, size, size)
        lines = self.ctx.set_text(text, style, length + 1, align="left", variant="bold", hyphenate=False)[:1]
        if not lines:
            return []
        extent = max(f.x + f.width for f in lines[0].fragments)
        # Turned a quarter clockwise, the baseline runs down the spine: x is across it, y along it,
        # and the letters' tops face the front cover (+x), so the ascenders reach toward its fold.
        start = rect.y + (rect.height - extent) / 2
        across = rect.x + rect.width / 2 - cap * size / 2
        return [PlacedText(across, start, lines[0].fragments, WHITE, "spine", angle=90.0)]

    def _lines(self, lines, style: TextStyle, x: float, first_baseline: float) -> list[PlacedText]:
        return self.ctx.place_lines(tuple(lines), style, x, first_baseline - BASELINE_RISE * style.size, "cover")


def _white(font: str, size: float, leading: float) -> TextStyle:
    return TextStyle(font, size, leading, WHITE)
