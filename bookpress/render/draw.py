"""LaidOutBook + prepared images -> a PDF file drawn with reportlab (deterministic).

The renderer makes no decisions: every position was fixed by layout and every
image was prepared (cropped, oriented, resampled, colour-converted) by the image
stage. Coordinates flip here, once, from y-down page space to PDF's y-up.
reportlab draws each photo as an empty stand-in form; embed.py then streams the
prepared files into the PDF, so memory does not grow with the number of photos.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from reportlab import rl_config
from reportlab.pdfgen import canvas as rl_canvas

from .. import __version__
from ..book import LaidOutBook, LinkArea, Page, PlacedImage, PlacedRule, PlacedText
from ..images.prepare import ImageJob
from ..load.printers import INCH

STAND_IN_PREFIX = "bpimg"  # stand-in form names: bpimg0, bpimg1, ... (index into the file list embed gets)

# reportlab's default ASCII85 wrapping of every stream, done in pure Python, dominated
# build time and made files a quarter larger; binary streams are fine in PDF.
rl_config.useA85 = 0


@dataclass(frozen=True)
class RenderOptions:
    ppi: int = 300
    colour: str = "rgb"  # "rgb" or "cmyk": what placed images are converted to
    profile: Optional[Path] = None  # the CMYK output profile, for colour == "cmyk"
    quality: int = 90
    links: bool = True  # link annotations (PDF/X forbids them inside the bleed box)


def image_job(item: PlacedImage, options: RenderOptions) -> ImageJob:
    """The prepared image a placement needs: its crop at `ppi` over its placed size, never upsampled."""
    left, top, right, bottom = item.crop
    crop_w, crop_h = right - left, bottom - top
    want_w = item.rect.width / INCH * options.ppi
    scale = min(1.0, want_w / crop_w) if crop_w > 0 else 1.0
    size = (max(1, round(crop_w * scale)), max(1, round(crop_h * scale)))
    return ImageJob(item.photo.image, item.crop, size, options.colour, options.profile, options.quality)


def image_jobs(book: LaidOutBook, options: RenderOptions) -> list[ImageJob]:
    return [image_job(item, options) for page in book.pages for item in page.items if isinstance(item, PlacedImage)]


class _StandIns:
    """One empty unit-square form per distinct prepared image (cache key), in order of first use.

    Drawing needs no prepared file, so it can run while the image workers prepare them.
    """

    def __init__(self, canvas: rl_canvas.Canvas) -> None:
        self.c = canvas
        self.jobs: list[ImageJob] = []
        self.names: dict[str, str] = {}

    def name(self, job: ImageJob) -> str:
        key = job.key
        if key not in self.names:
            self.names[key] = f"{STAND_IN_PREFIX}{len(self.jobs)}"
            self.jobs.append(job)
            self.c.beginForm(self.names[key], 0, 0, 1, 1)
            self.c.endForm()
        return self.names[key]


class _PageRenderer:
    def __init__(self, canvas: rl_canvas.Canvas, book: LaidOutBook, page: Page, stand_ins: _StandIns,
                 options: RenderOptions) -> None:
        self.c, self.book, self.page, self.stand_ins, self.options = canvas, book, page, stand_ins, options
        left, top, right, bottom = book.geometry.bleed_sides(page.side)
        self.origin_x, self.origin_top = left, top
        self.height = book.geometry.trim.height + top + bottom
        self.width = book.geometry.trim.width + left + right

    def x(self, x: float) -> float:
        return x + self.origin_x

    def y(self, y: float) -> float:
        return self.height - (y + self.origin_top)

    def draw(self) -> None:
        self.c.setPageSize((self.width, self.height))
        self.c.bookmarkPage(f"p{self.page.index}")
        for number, entry in enumerate(self.book.outline):
            if entry.page_index == self.page.index:
                # one destination per outline entry: reportlab keys its outline by destination name
                self.c.bookmarkPage(f"o{number}")
        for item in self.page.items:
            if isinstance(item, PlacedImage):
                self.image(item)
        for item in self.page.items:
            if isinstance(item, PlacedText):
                self.text(item)
            elif isinstance(item, PlacedRule):
                self.rule(item)
            elif isinstance(item, LinkArea) and self.options.links:
                self.link(item)
        self.c.showPage()

    def image(self, item: PlacedImage) -> None:
        # The same transform reportlab's drawImage uses: the image fills the unit square.
        name = self.stand_ins.name(image_job(item, self.options))
        rect = item.rect
        self.c.saveState()
        self.c.translate(self.x(rect.x), self.y(rect.bottom))
        self.c.scale(rect.width, rect.height)
        self.c.doForm(name)
        self.c.restoreState()

    def text(self, item: PlacedText) -> None:
        self.c.setFillColorCMYK(*item.color)
        text = self.c.beginText()
        for fragment in item.fragments:
            text.setFont(fragment.font, fragment.size)
            text.setTextOrigin(self.x(item.x + fragment.x), self.y(item.baseline))
            text.textOut(fragment.text)
        self.c.drawText(text)
        for fragment in item.fragments:
            if fragment.link:
                x0 = self.x(item.x + fragment.x)
                y0 = self.y(item.baseline)
                if self.options.links:
                    self.c.linkURL(fragment.link, (x0, y0 - 2, x0 + fragment.width, y0 + fragment.size * 0.8),
                                   relative=0, thickness=0)

    def rule(self, item: PlacedRule) -> None:
        self.c.setStrokeColorCMYK(*item.color)
        self.c.setLineWidth(item.width)
        self.c.line(self.x(item.x1), self.y(item.y1), self.x(item.x2), self.y(item.y2))

    def link(self, item: LinkArea) -> None:
        r = item.rect
        box = (self.x(r.x), self.y(r.bottom), self.x(r.right), self.y(r.y))
        if item.page_index is not None:
            self.c.linkAbsolute("", f"p{item.page_index}", box, thickness=0)
        elif item.url:
            self.c.linkURL(item.url, box, relative=0, thickness=0)


def render_pdf(book: LaidOutBook, images: dict[ImageJob, Path], out: Path, options: RenderOptions,
               progress: Optional[Callable[[int, int], None]] = None) -> None:
    """Draw every page of `book` into the PDF file `out` (not yet print-ready: see press)."""
    from .embed import embed_images

    drawn = out.with_name(out.name + ".drawn")
    try:
        stand_ins = draw_pdf(book, drawn, options, progress)
        embed_images(drawn, [images[job] for job in stand_ins], out)
    finally:
        drawn.unlink(missing_ok=True)


def draw_pdf(book: LaidOutBook, out: Path, options: RenderOptions,
             progress: Optional[Callable[[int, int], None]] = None) -> list[ImageJob]:
    """The pages with empty stand-ins for the photos; returns each stand-in's image job, by number.

    embed.embed_images(out, [prepared file of each job], final) puts the photos in.
    """
    # reportlab otherwise starts every page in base-14 Helvetica, an unembedded font printers reject.
    initial_font = book.fonts[0] if book.fonts else None
    c = rl_canvas.Canvas(str(out), invariant=1, pageCompression=1, lang=book.meta.language,
                         initialFontName=initial_font)
    stand_ins = _StandIns(c)
    c.setTitle(book.meta.title)
    if book.meta.author:
        c.setAuthor(book.meta.author)
    if book.meta.subtitle:
        c.setSubject(book.meta.subtitle)
    c.setCreator(f"bookpress {__version__}")
    c.setProducer(f"bookpress {__version__} (reportlab)")
    for page in book.pages:
        _PageRenderer(c, book, page, stand_ins, options).draw()
        if progress:
            progress(page.index + 1, len(book.pages))
    _labels(c, book)
    _outline(c, book)
    c.save()
    return stand_ins.jobs


def _labels(c: rl_canvas.Canvas, book: LaidOutBook) -> None:
    previous = None
    for page in book.pages:
        section = "front" if page.section == "front" else "main"
        if section != previous:
            style = "ROMAN_LOWER" if section == "front" else "ARABIC"
            c.addPageLabel(page.index, style=style, start=int(page.label) if page.label.isdigit() else 1)
            previous = section


def _outline(c: rl_canvas.Canvas, book: LaidOutBook) -> None:
    level = 0
    for number, entry in enumerate(book.outline):
        key = f"o{number}"
        # An outline may not skip a level: a section before any chapter becomes a top entry.
        entry_level = min(entry.level, level + 1) if number else 0
        c.addOutlineEntry(entry.title, key, entry_level, closed=entry_level == 0)
        level = entry_level
    if book.outline:
        c.showOutline()
