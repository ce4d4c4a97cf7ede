"""LaidOutBook + prepared images -> a PDF file drawn with reportlab (deterministic).

The renderer makes no decisions: every position was fixed by layout and every
image was prepared (cropped, oriented, resampled, colour-converted) by the image
stage. Coordinates flip here, once, from y-down page space to PDF's y-up.
reportlab draws each photo as an empty stand-in form; embed.py then streams the
prepared files into the PDF, so memory does not grow with the number of photos.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Callable, Optional

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas as rl_canvas

from .. import __version__
from ..book import LaidOutBook, LinkArea, Page, PlacedBox, PlacedImage, PlacedRule, PlacedText
from ..images.jobs import ImageJob, image_job
from ..options import RenderSettings
from .glyphs import fragment_operators
from .pagecache import DrawnPages
from .standins import StandIns

# reportlab's default ASCII85 wrapping of every stream, done in pure Python, dominated
# build time and made files a quarter larger; binary streams are fine in PDF.
rl_config.useA85 = 0


class _PageRenderer:
    def __init__(self, canvas: rl_canvas.Canvas, book: LaidOutBook, page: Page, stand_ins: StandIns,
                 options: RenderSettings) -> None:
        self.c, self.book, self.page, self.stand_ins, self.options = canvas, book, page, stand_ins, options
        left, top, right, bottom = book.geometry.bleed_sides(page.side)
        self.origin_x, self.origin_top = left, top
        self.height = book.geometry.trim.height + top + bottom
        self.width = book.geometry.trim.width + left + right

    def x(self, x: float) -> float:
        return x + self.origin_x

    def y(self, y: float) -> float:
        return self.height - (y + self.origin_top)

    def draw(self, drawn: DrawnPages) -> None:
        self.c.setPageSize((self.width, self.height))
        self.c.bookmarkPage(f"p{self.page.index}")
        for number, entry in enumerate(self.book.outline):
            if entry.page_index == self.page.index:
                # one destination per outline entry: reportlab keys its outline by destination name
                self.c.bookmarkPage(f"o{number}")
        # The photos' stand-ins named first, in the order the page draws them: the same names either way.
        forms = [self.stand_ins.name(image_job(item, self.options)) for item in self.page.items
                 if isinstance(item, PlacedImage)]
        key, by_drawing = drawn.key(self.page, forms), None
        known = drawn.get(key)
        if known is None:  # an edited chapter's page, or front and back matter: perhaps the same drawing
            by_drawing = drawn.drawing_key(self.page, forms)
            known = drawn.get(by_drawing)
            if known is not None:
                drawn.put(key, *known)  # the next build finds it by its origin
        if known is not None:
            deflated, used = known
            self.c._formsinuse.extend(used)
            self.c.showPage()
            deflated_contents(self.c, deflated)
            drawn.reused += 1
        else:
            first_form = len(self.c._formsinuse)
            self.items()
            used = self.c._formsinuse[first_form:]
            self.c.showPage()
            drawn.drawn += 1
            deflated = deflated_contents(self.c)
            drawn.put(key, deflated, used)
            drawn.put(by_drawing, deflated, used)

    def items(self) -> None:
        for item in self.page.items:  # the pictures and fills first, in their order; then what goes over them
            if isinstance(item, PlacedBox):
                self.box(item)
            elif isinstance(item, PlacedImage):
                self.image(item)
        for item in self.page.items:
            if isinstance(item, PlacedText):
                self.text(item)
            elif isinstance(item, PlacedRule):
                self.rule(item)
            elif isinstance(item, LinkArea) and self.options.links:
                self.link(item)

    def image(self, item: PlacedImage) -> None:
        # The same transform reportlab's drawImage uses: the image fills the unit square.
        name = self.stand_ins.name(image_job(item, self.options))
        rect = item.rect
        self.c.saveState()
        self.c.translate(self.x(rect.x), self.y(rect.bottom))
        self.c.scale(rect.width, rect.height)
        self.c.doForm(name)
        self.c.restoreState()

    def box(self, item: PlacedBox) -> None:
        r = item.rect
        self.c.setFillColorCMYK(*item.color)
        self.c.rect(self.x(r.x), self.y(r.bottom), r.width, r.height, stroke=0, fill=1)

    def text(self, item: PlacedText) -> None:
        self.c.setFillColorCMYK(*item.color)
        if item.angle:
            self.c.saveState()  # the fragments run along the turned baseline, from (x, baseline)
            self.c.translate(self.x(item.x), self.y(item.baseline))
            self.c.rotate(-item.angle)
        code = ["BT"]
        for fragment in item.fragments:
            if item.angle:
                x, y = fragment.x, 0.0
            else:
                x, y = self.x(item.x + fragment.x), self.y(item.baseline)
            code.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")  # each fragment from its own origin: no drift
            code.extend(fragment_operators(self.c._doc, fragment))
        code.append("ET")
        self.c._code.append(" ".join(code))
        if item.angle:
            self.c.restoreState()
            return
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


def render_pdf(book: LaidOutBook, images: dict[ImageJob, Path], out: Path, options: RenderSettings,
               progress: Optional[Callable[[int, int], None]] = None) -> None:
    """Draw every page of `book` into the PDF file `out` (not yet print-ready: see press)."""
    from .embed import embed_images

    drawn = out.with_name(out.name + ".drawn")
    try:
        stand_ins = draw_pdf(book, drawn, options, progress)
        embed_images(drawn, [images[job] for job in stand_ins], out)
    finally:
        drawn.unlink(missing_ok=True)


def draw_pdf(book: LaidOutBook, out: Path, options: RenderSettings,
             progress: Optional[Callable[[int, int], None]] = None, cache: Optional[Path] = None,
             counts: Optional[dict] = None) -> list[ImageJob]:
    """The pages with empty stand-ins for the photos; returns each stand-in's image job, by number.

    embed.embed_images(out, [prepared file of each job], final) puts the photos in. `cache`: the
    folder of pages drawn before (pagecache.py); `counts` is told how many were drawn and reused.
    """
    # reportlab otherwise starts every page in base-14 Helvetica, an unembedded font printers reject.
    initial_font = book.fonts[0] if book.fonts else None
    c = rl_canvas.Canvas(str(out), invariant=1, pageCompression=1, lang=book.meta.language,
                         initialFontName=initial_font)
    stand_ins = StandIns(c)
    c.setTitle(book.meta.title)
    if book.meta.author:
        c.setAuthor(book.meta.author)
    if book.meta.subtitle:
        c.setSubject(book.meta.subtitle)
    c.setCreator(f"bookpress {__version__}")
    c.setProducer(f"bookpress {__version__} (reportlab)")
    drawn = DrawnPages(cache, c._doc, book, options)
    for page in book.pages:
        _PageRenderer(c, book, page, stand_ins, options).draw(drawn)
        if progress:
            progress(page.index + 1, len(book.pages))
    _labels(c, book)
    _outline(c, book)
    c.save()
    if counts is not None:
        counts.update(drawn=drawn.drawn, reused=drawn.reused)
    return stand_ins.jobs


def _labels(c: rl_canvas.Canvas, book: LaidOutBook) -> None:
    """The PDF's page labels: roman front matter, arabic body and back; a cover is labelled by name."""
    previous = None
    for page in book.pages:
        section = {"front": "front", "cover": "cover"}.get(page.section, "main")
        if section == "cover":
            c.addPageLabel(page.index, prefix=page.label)
        elif section != previous:
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


def deflated_contents(c: rl_canvas.Canvas, deflated: Optional[bytes] = None) -> bytes:
    """The page just shown gets its content stream deflated here: `deflated`, a page drawn before, or its own.

    reportlab would deflate every page's stream as it saves, the pages reused from the cache too
    (0.3 s of a 400-page rebuild); a stream given with its filter it writes as it is. The bytes
    are what reportlab's own filter makes of the stream (zlib on its UTF-8), so a page reads the
    same either way.
    """
    page = c._doc.Pages.pages[-1]
    if deflated is None:
        deflated = zlib.compress(page.stream.encode("utf-8") if isinstance(page.stream, str) else page.stream)
    stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])}),
                              deflated)
    stream.__Comment__ = "page stream"
    page.Contents = stream
    return deflated
