"""Manuscript folder -> cover wrap PDF: back + spine + front with bleed, the spine sized for the final page count.

The page count comes from laying out the book (no pixels), the spine from the
printer's caliper or formula. The front photo runs into the bleed on its three
outer edges; the title and author sit on a solid band over it; the back carries
the blurb from book.yaml and keeps the barcode area clear. Coordinates here are
PDF points, y up, from the lower-left corner of the sheet.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from reportlab.pdfgen import canvas as rl_canvas

from .. import __version__
from ..fonts.catalog import FontBook, load_fonts
from ..geometry import Rect
from ..layout.gutter import layout_for_print
from ..images.prepare import ImageJob
from ..images.prepare import prepare
from ..layout.text.lines import Line, break_paragraph
from ..layout.text.inline import parse_inline
from ..layout.text.smarten import smarten_spans
from ..load.manuscript import load_manuscript
from ..model import Manuscript, Photo
from ..pipeline import slug
from ..atomic import write_atomically
from ..load.printers import INCH, PRESETS, Preset
from ..press.pdfx import Identity
from ..press.document import press_options, save_pressed, set_boxes

BAND = (0.72, 0.55, 0.38, 0.62)  # dark slate, 227% total ink: inside every preset's limit
WHITE = (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class CoverGeometry:
    """The wrap's panels in points; x grows from the back's outer bleed edge to the front's."""

    page_width: float
    page_height: float
    bleed: float
    spine: float

    @property
    def width(self) -> float:
        return 2 * self.bleed + 2 * self.page_width + self.spine

    @property
    def height(self) -> float:
        return self.page_height + 2 * self.bleed

    def back(self) -> Rect:
        return Rect(self.bleed, self.bleed, self.page_width, self.page_height)

    def spine_rect(self) -> Rect:
        return Rect(self.bleed + self.page_width, self.bleed, self.spine, self.page_height)

    def front(self) -> Rect:
        return Rect(self.bleed + self.page_width + self.spine, self.bleed, self.page_width, self.page_height)


@dataclass(frozen=True)
class CoverResult:
    pdf: Path
    pages: int
    geometry: CoverGeometry
    spine_text: bool
    barcode: Rect  # the area kept clear, PDF points
    notes: tuple[str, ...] = ()

    @property
    def width_in(self) -> float:
        return self.geometry.width / INCH

    @property
    def height_in(self) -> float:
        return self.geometry.height / INCH

    @property
    def spine_in(self) -> float:
        return self.geometry.spine / INCH


def cover_geometry(manuscript: Manuscript, pages: int) -> CoverGeometry:
    preset = PRESETS[manuscript.print.printer]
    spine = preset.spine.width(pages, manuscript.print.paper, manuscript.print.caliper)
    trim = manuscript.format.trim
    return CoverGeometry(trim.width, trim.height, manuscript.format.bleed, spine)


def barcode_area(geometry: CoverGeometry, preset: Preset) -> Rect:
    """Lower right of the back cover, measured from the spine fold and the bottom trim."""
    width, height, from_spine, from_bottom = (v * INCH for v in preset.barcode_in)
    back = geometry.back()
    return Rect(back.right - from_spine - width, back.y + from_bottom, width, height)


def default_cover_output(manuscript: Manuscript) -> Path:
    return manuscript.root / "build" / f"{slug(manuscript.meta.title)}-cover.pdf"


def build_cover(root: Path, out: Optional[Path] = None, printer: Optional[str] = None) -> CoverResult:
    """Lay out the book for its page count, then draw and press the wrap."""
    manuscript = load_manuscript(root, printer=printer)
    manuscript, book = layout_for_print(manuscript)
    preset = PRESETS[manuscript.print.printer]
    geometry = cover_geometry(manuscript, len(book.pages))
    target = out or default_cover_output(manuscript)
    spine_text = len(book.pages) >= preset.spine.text_min_pages
    notes = _notes(manuscript, preset, len(book.pages), spine_text)
    barcode = barcode_area(geometry, preset)

    def write(tmp: Path) -> None:
        _CoverPainter(manuscript, geometry, load_fonts(list(manuscript.font_folders)), barcode).paint(tmp, spine_text)
        _press(manuscript, geometry, tmp)

    write_atomically(target, write)
    return CoverResult(target, len(book.pages), geometry, spine_text, barcode, tuple(notes))


def _notes(manuscript: Manuscript, preset: Preset, pages: int, spine_text: bool) -> list[str]:
    notes = []
    if not spine_text:
        notes.append(f"no text on the spine: printer '{preset.name}' allows it from {preset.spine.text_min_pages} "
                     f"pages, the book has {pages}")
    if preset.spine.approximate and not manuscript.print.caliper:
        notes.append(f"the spine width is approximate (printer '{preset.name}', {manuscript.print.paper} paper): "
                     "check it against the printer's cover template, or set print.caliper in book.yaml")
    if manuscript.cover.photo is None:
        notes.append("no cover photo: add 'cover: {photo: photos/...}' to book.yaml")
    return notes


def _press(manuscript: Manuscript, geometry: CoverGeometry, path: Path) -> None:
    import pikepdf

    b = geometry.bleed
    boxes = {"MediaBox": [0.0, 0.0, geometry.width, geometry.height],
             "BleedBox": [0.0, 0.0, geometry.width, geometry.height],
             "TrimBox": [b, b, geometry.width - b, geometry.height - b]}
    options = press_options(manuscript)
    name = f"bookpress cover {manuscript.meta.title} {geometry.width:.2f}"
    who = Identity(f"{manuscript.meta.title} (cover)", manuscript.meta.author, str(uuid.uuid5(uuid.NAMESPACE_URL, name)))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        set_boxes(pdf.pages[0], boxes)
        save_pressed(pdf, path, options, who)


class _CoverPainter:
    def __init__(self, manuscript: Manuscript, geometry: CoverGeometry, fonts: FontBook, barcode: Rect) -> None:
        self.m, self.g, self.fonts, self.barcode = manuscript, geometry, fonts, barcode
        self.safety = max(PRESETS[manuscript.print.printer].safety, 0.5 * INCH)

    def paint(self, path: Path, spine_text: bool) -> None:
        c = rl_canvas.Canvas(str(path), pagesize=(self.g.width, self.g.height), invariant=1, pageCompression=1,
                             initialFontName=self.fonts.face(self.m.style.body.font))
        c.setTitle(f"{self.m.meta.title} (cover)")
        c.setAuthor(self.m.meta.author or "")
        c.setCreator(f"bookpress {__version__}")
        c.setProducer(f"bookpress {__version__} (reportlab)")
        self.backdrop(c)
        if self.m.cover.photo is not None:
            self.photo(c, self.m.cover.photo)
        self.front_band(c)
        self.back_text(c)
        if spine_text:
            self.spine(c)
        c.showPage()
        c.save()

    def backdrop(self, c: rl_canvas.Canvas) -> None:
        """Back and spine in the band colour, to the bleed; the barcode box left as bare paper."""
        c.setFillColorCMYK(*BAND)
        c.rect(0, 0, self.g.front().x, self.g.height, stroke=0, fill=1)
        c.setFillColorCMYK(*WHITE)
        bar = self.barcode
        c.rect(bar.x, bar.y, bar.width, bar.height, stroke=0, fill=1)

    def photo(self, c: rl_canvas.Canvas, photo: Photo) -> None:
        """The front photo, cropped to fill from the spine fold to the outer bleed edges."""
        front = self.g.front()
        box = Rect(front.x, 0, self.g.width - front.x, self.g.height)
        crop = fill_crop(photo, box.width / box.height)
        options = self.m.print
        cmyk = options.pdfx == "x1a"
        preset = PRESETS[options.printer]
        want = box.width / INCH * options.ppi
        scale = min(1.0, want / (crop[2] - crop[0]))
        size = (max(1, round((crop[2] - crop[0]) * scale)), max(1, round((crop[3] - crop[1]) * scale)))
        job = ImageJob(photo.image, crop, size, "cmyk" if cmyk else "rgb", options.profile or preset.profile_path)
        prepared = prepare(job, self.m.root / "build" / ".cache" / "images")
        c.drawImage(str(prepared), box.x, box.y, box.width, box.height)

    def front_band(self, c: rl_canvas.Canvas) -> None:
        """A solid band across the lower front, with the title and author reversed out of it."""
        front = self.g.front()
        width = front.width - 2 * self.safety
        title = self.lines(self.m.meta.title, self.m.style.title.font, self.m.style.title.size * 1.5, width)
        author = self.lines(self.m.meta.author or "", self.m.style.heading.font, self.m.style.heading.size, width)
        t_lead, a_lead = self.m.style.title.size * 1.7, self.m.style.heading.size * 1.5
        height = self.safety * 2 + len(title) * t_lead + len(author) * a_lead
        c.setFillColorCMYK(*BAND)
        c.rect(front.x, 0, self.g.width - front.x, self.g.bleed + front.height * 0.08 + height, stroke=0, fill=1)
        y = self.g.bleed + front.height * 0.08 + height - self.safety
        y = self.draw_lines(c, title, front.x + self.safety, y, t_lead, width)
        self.draw_lines(c, author, front.x + self.safety, y - a_lead * 0.3, a_lead, width)

    def back_text(self, c: rl_canvas.Canvas) -> None:
        """The blurb, top of the back panel down, never reaching the barcode area."""
        text = self.m.cover.back_text
        if not text:
            return
        back, style = self.g.back(), self.m.style.body
        size = max(12.0, style.size * 1.2)
        leading = size * style.leading / style.size
        width = back.width - 2 * self.safety
        y = back.y + back.height - self.safety
        floor = self.barcode.y + self.barcode.height + leading
        for paragraph in [p for p in text.split("\n\n") if p.strip()]:
            lines = self.lines(" ".join(paragraph.split()), style.font, size, width, "justify")
            fits = [line for i, line in enumerate(lines) if y - (i + 1) * leading > floor]
            y = self.draw_lines(c, fits, back.x + self.safety, y, leading, width) - leading * 0.5

    def spine(self, c: rl_canvas.Canvas) -> None:
        """Title — author, reading top to bottom (the US and UK convention), centred on the spine."""
        rect = self.g.spine_rect()
        text = " — ".join(part for part in (self.m.meta.title, self.m.meta.author) if part)
        font = self.fonts.face(self.m.style.heading.font, "bold")
        size = min(14.0, rect.width * 0.45)
        length = rect.height - 2 * self.safety
        size = min(size, size * length / max(1.0, self.fonts.width(text, font, size)))
        c.saveState()
        c.translate(rect.x + rect.width / 2, rect.y + rect.height / 2)
        c.rotate(-90)
        c.setFillColorCMYK(*WHITE)
        c.setFont(font, size)
        c.drawCentredString(0, -self.fonts.cap_height(font, size) / 2, text)
        c.restoreState()

    def lines(self, text: str, family: str, size: float, width: float, align: str = "left") -> tuple[Line, ...]:
        spans = smarten_spans(parse_inline(text), self.m.meta.language)
        return break_paragraph(spans, width=width, family=family, size=size, fonts=self.fonts,
                               language=self.m.meta.language, align=align, hyphenate=align == "justify")

    def draw_lines(self, c: rl_canvas.Canvas, lines: tuple[Line, ...] | list[Line], x: float, top: float,
                   leading: float, width: float) -> float:
        """Lines in white from `top` down; returns the y below the last baseline."""
        c.setFillColorCMYK(*WHITE)
        y = top
        for line in lines:
            y -= leading
            for fragment in line.fragments:
                c.setFont(fragment.font, fragment.size)
                c.drawString(x + fragment.x, y, fragment.text)
        return y


def fill_crop(photo: Photo, aspect: float) -> tuple[float, float, float, float]:
    """The largest crop of the photo with `aspect` (width / height), centred on its focus point."""
    w, h = photo.image.width, photo.image.height
    if w / h > aspect:
        cw, ch = h * aspect, float(h)
    else:
        cw, ch = float(w), w / aspect
    fx, fy = photo.focus
    left = min(max(fx * w - cw / 2, 0.0), w - cw)
    top = min(max(fy * h - ch / 2, 0.0), h - ch)
    return (left, top, left + cw, top + ch)
