"""Rendered PDF + build identity -> the same PDF with a PROOF mark (and optional guides) on every page.

The marks are drawn with reportlab into a separate overlay PDF, one page per book
page, and stamped onto the rendered pages with pikepdf: the renderer stays
untouched and the proof shows exactly what the print PDF shows, plus the marks.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from reportlab.pdfgen import canvas as rl_canvas

from ...book import LaidOutBook
from ...fonts.catalog import load_fonts
from ...geometry import Rect
from ...model import Manuscript
from ...options import BuildIdentity, BuildOptions

MARK_SIZE = 6.5  # points: legible on screen and paper, small enough to sit in the top margin
MARK_COLOUR = (0.80, 0.05, 0.10)
WATERMARK_ALPHA = 0.07

# Guide colours follow the usual DTP convention so reviewers read them without a legend.
TRIM_COLOUR = (0.85, 0.0, 0.75)  # magenta
BLEED_COLOUR = (0.95, 0.15, 0.10)  # red
SAFE_COLOUR = (0.0, 0.65, 0.85)  # cyan


@dataclass(frozen=True)
class PageFrame:
    """One page's media size and where its trim and safe area sit, in PDF space (y up)."""

    width: float
    height: float
    trim: Rect  # x, y = lower-left corner
    safe: Rect


def page_frames(options: BuildOptions, book: LaidOutBook) -> list[PageFrame]:
    safety = options.preset.safety
    frames = []
    for page in book.pages:
        left, top, right, bottom = book.geometry.bleed_sides(page.side)
        trim = book.geometry.trim
        trim_rect = Rect(left, bottom, trim.width, trim.height)
        frames.append(PageFrame(trim.width + left + right, trim.height + top + bottom, trim_rect,
                                trim_rect.inset(safety, safety, safety, safety)))
    return frames


def stamp_proof(pdf_path: Path, manuscript: Manuscript, options: BuildOptions, book: LaidOutBook,
                identity: BuildIdentity, guides: bool) -> None:
    """Stamp the mark (and guides) onto every page of `pdf_path`, in place."""
    overlay = pikepdf.open(io.BytesIO(draw_overlay(manuscript, options, book, identity, guides)))
    with overlay, pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        for page, stamp in zip(pdf.pages, overlay.pages):
            media = [float(v) for v in page.mediabox]
            page.add_overlay(pdf.copy_foreign(stamp.as_form_xobject()), pikepdf.Rectangle(*media))
        pdf.save(pdf_path, deterministic_id=True)


def draw_overlay(manuscript: Manuscript, options: BuildOptions, book: LaidOutBook, identity: BuildIdentity,
                 guides: bool) -> bytes:
    """A PDF with one transparent page per book page holding only the marks."""
    font = load_fonts(list(manuscript.font_folders)).face("Lato", "bold")
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, invariant=1, pageCompression=1)
    for page, frame in zip(book.pages, page_frames(options, book)):
        c.setPageSize((frame.width, frame.height))
        _watermark(c, frame, font)
        if guides:
            _guides(c, frame)
        _mark_line(c, frame, font, f"{identity.mark()}  ·  page {page.label}", guides)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _mark_line(c: rl_canvas.Canvas, frame: PageFrame, font: str, text: str, guides: bool) -> None:
    trim = frame.trim
    baseline = trim.y + trim.height - MARK_SIZE * 1.6
    x = trim.x + MARK_SIZE * 1.5
    width = c.stringWidth(text, font, MARK_SIZE)
    legend = [("trim", TRIM_COLOUR), ("bleed", BLEED_COLOUR), ("safe area", SAFE_COLOUR)] if guides else []
    legend_width = sum(c.stringWidth(f"  {name}", font, MARK_SIZE) for name, _ in legend)
    # A white band keeps the mark readable over full-bleed photos.
    c.setFillColorRGB(1, 1, 1, alpha=0.8)
    c.rect(x - 3, baseline - MARK_SIZE * 0.45, width + legend_width + 6, MARK_SIZE * 1.5, stroke=0, fill=1)
    c.setFont(font, MARK_SIZE)
    c.setFillColorRGB(*MARK_COLOUR)
    c.drawString(x, baseline, text)
    x += width
    for name, colour in legend:
        c.setFillColorRGB(*colour)
        c.drawString(x, baseline, f"  {name}")
        x += c.stringWidth(f"  {name}", font, MARK_SIZE)


def _watermark(c: rl_canvas.Canvas, frame: PageFrame, font: str) -> None:
    trim = frame.trim
    angle = math.degrees(math.atan2(trim.height, trim.width))
    size = trim.width * 0.28
    c.saveState()
    c.setFillColorRGB(*MARK_COLOUR, alpha=WATERMARK_ALPHA)
    c.translate(trim.x + trim.width / 2, trim.y + trim.height / 2)
    c.rotate(angle)
    c.setFont(font, size)
    c.drawCentredString(0, -size * 0.35, "PROOF")
    c.restoreState()


def _guides(c: rl_canvas.Canvas, frame: PageFrame) -> None:
    c.saveState()
    c.setLineWidth(0.5)
    half = 0.25  # the bleed edge is the media edge: inset by half a line so the stroke is not cut
    _outline(c, Rect(half, half, frame.width - 2 * half, frame.height - 2 * half), BLEED_COLOUR, (3, 2))
    _outline(c, frame.trim, TRIM_COLOUR, None)
    _outline(c, frame.safe, SAFE_COLOUR, (2, 2))
    c.restoreState()


def _outline(c: rl_canvas.Canvas, rect: Rect, colour: tuple[float, float, float], dash) -> None:
    c.setStrokeColorRGB(*colour)
    c.setDash(*dash) if dash else c.setDash()
    c.rect(rect.x, rect.y, rect.width, rect.height, stroke=1, fill=0)
