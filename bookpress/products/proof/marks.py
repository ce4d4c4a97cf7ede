"""Rendered PDF + build identity -> the same PDF with a PROOF mark (and optional guides) on every page.

The marks are drawn with reportlab into a separate overlay PDF, one page per book
page, and stamped onto the rendered pages with pikepdf: the renderer stays
untouched and the proof shows exactly what the print PDF shows, plus the marks.
Nothing is drawn over a photo: the mark line sits in a slug above the bleed (the
page's MediaBox grows by it; TrimBox and BleedBox stay the print PDF's), and the
PROOF watermark is kept to the parts of the page no photo covers.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import pikepdf
from reportlab.pdfgen import canvas as rl_canvas

from ...book import LaidOutBook, PlacedImage, Sheet
from ...diagnostics import PageRef
from ...fonts.catalog import load_fonts
from ...geometry import Rect
from ...model import Manuscript
from ...options import BuildIdentity, BuildOptions

MARK_SIZE = 6.5  # points: legible on screen and paper, small enough for a slug
SLUG = 3 * MARK_SIZE  # points of paper above the bleed that carry the mark line
MARK_COLOUR = (0.80, 0.05, 0.10)
WATERMARK_ALPHA = 0.07

# Guide colours follow the usual DTP convention so reviewers read them without a legend.
TRIM_COLOUR = (0.85, 0.0, 0.75)  # magenta
BLEED_COLOUR = (0.95, 0.15, 0.10)  # red
SAFE_COLOUR = (0.0, 0.65, 0.85)  # cyan
TYPE_COLOUR = (0.15, 0.65, 0.25)  # green: the type area, inside the margins
GUIDES = (("trim", TRIM_COLOUR), ("bleed", BLEED_COLOUR), ("safe area", SAFE_COLOUR), ("type area", TYPE_COLOUR))


@dataclass(frozen=True)
class PageFrame:
    """One proof page's media and where its trim, bleed, safe area and type area sit, in PDF space (y up)."""

    width: float
    height: float  # the media: bleed box + the slug on top
    trim: Rect  # x, y = lower-left corner
    safe: Rect
    bleed: Rect
    type_area: Rect
    slug: float = SLUG

    def place(self, rect: Rect) -> Rect:
        """A rectangle of the page (points from the trim's top-left, y down) in this frame's PDF space."""
        return Rect(self.trim.x + rect.x, self.trim.y + self.trim.height - rect.bottom, rect.width, rect.height)


def page_frames(options: BuildOptions, book: LaidOutBook, slug: float = SLUG) -> list[PageFrame]:
    safety = options.preset.safety
    margins = book.geometry.margins
    trim = book.geometry.trim
    frames = []
    for page in book.pages:
        left, top, right, bottom = book.geometry.bleed_sides(page.side)
        trim_rect = Rect(left, bottom, trim.width, trim.height)
        inner, outer = (margins.inside, margins.outside) if page.side == "recto" else (margins.outside, margins.inside)
        type_area = trim_rect.inset(inner, margins.bottom, outer, margins.top)  # y runs up here
        frames.append(PageFrame(trim.width + left + right, trim.height + top + bottom + slug, trim_rect,
                                trim_rect.inset(safety, safety, safety, safety),
                                Rect(0.0, 0.0, trim.width + left + right, trim.height + top + bottom), type_area,
                                slug))
    return frames


def stamp_proof(pdf: pikepdf.Pdf, manuscript: Manuscript, options: BuildOptions, book: LaidOutBook,
                identity: BuildIdentity, guides: bool, note: str = "") -> None:
    """Stamp the mark (and guides) onto every page of the open `pdf`; `note` ends each mark line."""
    frames = page_frames(options, book)
    with pikepdf.open(io.BytesIO(draw_overlay(manuscript, book, frames, identity, guides, note))) as overlay:
        for page, stamp, frame in zip(pdf.pages, overlay.pages, frames):
            x0, y0, x1, _ = (float(v) for v in page.mediabox)
            page.mediabox = pikepdf.Array([x0, y0, x1, y0 + frame.height])  # the slug above the bleed
            page.add_overlay(pdf.copy_foreign(stamp.as_form_xobject()), pikepdf.Rectangle(*page.mediabox))


def draw_overlay(manuscript: Manuscript, book: LaidOutBook, frames: list[PageFrame], identity: BuildIdentity,
                 guides: bool, note: str = "") -> bytes:
    """A PDF with one transparent page per book page holding only the marks."""
    font = load_fonts(list(manuscript.font_folders)).face("Lato", "bold")
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, invariant=1, pageCompression=1)
    for page, frame in zip(book.pages, frames):
        c.setPageSize((frame.width, frame.height))
        _watermark(c, frame, font, [frame.place(item.rect) for item in page.items if isinstance(item, PlacedImage)])
        if guides:
            _guides(c, frame)
        line = f"{identity.mark()}  ·  {PageRef(page.index, page.label).name}" + (f"  ·  {note}" if note else "")
        _mark_line(c, frame, font, line, guides)
        c.showPage()
    c.save()
    return buffer.getvalue()


def draw_sheet_marks(manuscript: Manuscript, book: LaidOutBook, sheets: list[Sheet], size: tuple[float, float],
                     identity: BuildIdentity, note: str = "") -> bytes:
    """The spreads view's marks: one transparent page per sheet, its mark line in the slug above the pages."""
    font = load_fonts(list(manuscript.font_folders)).face("Lato", "bold")
    width, height = size
    slug = Rect(0.0, height - SLUG, width, SLUG)
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, invariant=1, pageCompression=1)
    for sheet in sheets:
        c.setPageSize(size)
        pages = [book.pages[i] for i in sheet.indexes]
        where = (f"sheets {pages[0].number}–{pages[-1].number}, pp. {pages[0].label}–{pages[-1].label}"
                 if len(pages) > 1 else PageRef(pages[0].index, pages[0].label).name)
        frame = PageFrame(width, height, slug, slug, Rect(0.0, 0.0, width, height - SLUG), slug)
        _mark_line(c, frame, font, f"{identity.mark()}  ·  {where}" + (f"  ·  {note}" if note else ""), False)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _mark_line(c: rl_canvas.Canvas, frame: PageFrame, font: str, text: str, guides: bool) -> None:
    """The mark in the slug, on white: never over the page, so never over a photo."""
    slug_bottom = frame.bleed.y + frame.bleed.height
    baseline = slug_bottom + (frame.slug - MARK_SIZE) / 2 + MARK_SIZE * 0.2
    x = frame.trim.x + MARK_SIZE
    c.setFillColorRGB(1, 1, 1)
    c.rect(0, slug_bottom, frame.width, frame.slug, stroke=0, fill=1)
    c.setFont(font, MARK_SIZE)
    c.setFillColorRGB(*MARK_COLOUR)
    c.drawString(x, baseline, text)
    x += c.stringWidth(text, font, MARK_SIZE)
    for name, colour in GUIDES if guides else ():
        c.setFillColorRGB(*colour)
        c.drawString(x, baseline, f"  {name}")
        x += c.stringWidth(f"  {name}", font, MARK_SIZE)


def _watermark(c: rl_canvas.Canvas, frame: PageFrame, font: str, photos: list[Rect]) -> None:
    """A faint diagonal PROOF across the page, cut away wherever a photo is: colour is judged unobstructed."""
    trim = frame.trim
    angle = math.degrees(math.atan2(trim.height, trim.width))
    size = trim.width * 0.28
    c.saveState()
    path = c.beginPath()
    path.rect(trim.x, trim.y, trim.width, trim.height)
    for rect in photos:  # even-odd: each photo is a hole in the area the mark may cover
        path.rect(rect.x, rect.y, rect.width, rect.height)
    c.clipPath(path, stroke=0, fill=0, fillMode=0)  # reportlab: 0 = even-odd
    c.setFillColorRGB(*MARK_COLOUR, alpha=WATERMARK_ALPHA)
    c.translate(trim.x + trim.width / 2, trim.y + trim.height / 2)
    c.rotate(angle)
    c.setFont(font, size)
    c.drawCentredString(0, -size * 0.35, "PROOF")
    c.restoreState()


def _guides(c: rl_canvas.Canvas, frame: PageFrame) -> None:
    c.saveState()
    c.setLineWidth(0.5)
    half = 0.25  # the bleed edge is the bleed box's edge: inset by half a line so the stroke is not cut
    bleed = frame.bleed
    _outline(c, Rect(bleed.x + half, bleed.y + half, bleed.width - 2 * half, bleed.height - 2 * half),
             BLEED_COLOUR, (3, 2))
    _outline(c, frame.trim, TRIM_COLOUR, None)
    _outline(c, frame.safe, SAFE_COLOUR, (2, 2))
    _outline(c, frame.type_area, TYPE_COLOUR, (0.6, 1.6))
    c.restoreState()


def _outline(c: rl_canvas.Canvas, rect: Rect, colour: tuple[float, float, float], dash) -> None:
    c.setStrokeColorRGB(*colour)
    c.setDash(*dash) if dash else c.setDash()
    c.rect(rect.x, rect.y, rect.width, rect.height, stroke=1, fill=0)

