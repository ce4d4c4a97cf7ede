"""A print PDF -> preflight findings about what only the file shows: fonts, page boxes, total ink.

Reads the file with pikepdf, as a printer's upload checker would, rather than
trusting what bookpress meant to write.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pikepdf
from PIL import Image, ImageMath

from ..book import LaidOutBook
from ..diagnostics import Diagnostic, PageRef, Severity
from .book_checks import finding

TOLERANCE = 0.02  # points: boxes are written to 4 decimals
INK_SAMPLE = 512  # pixels on the long side: ink is measured on a reduced image (area coverage, not noise)
INK_SLACK = 3.0  # percent: JPEG ringing and rounding above the profile's limit
INK_AREA = 0.001  # fraction of an image's area that may exceed the limit before it counts
# bookpress writes the boxes itself: a wrong one is its own fault, not the manuscript's.
BOXES_HINT = "compile again; if it stays, report it as a bookpress bug with this PDF"


def _error(book: LaidOutBook | None, check: str, message: str, index: int | None = None,
           hint: str | None = None) -> Diagnostic:
    """An error on the PDF's page `index`, named by the book's label (a PDF checked on its own: by its number)."""
    found = finding(check, Severity.ERROR, message, hint=hint)
    if index is None:
        return found
    label = book.pages[index].label if book is not None and index < len(book.pages) else str(index + 1)
    return replace(found, page=PageRef(index, label))


def iter_fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[int, str, pikepdf.Dictionary]]:
    """(page index, base font name, font dictionary) for every font on every page, once each."""
    seen: set[tuple[int, int]] = set()
    for index, page in enumerate(pdf.pages):
        stack = [page.obj.get("/Resources")]
        while stack:
            resources = stack.pop()
            if resources is None:
                continue
            for font in (resources.get("/Font") or {}).values():
                if font.objgen not in seen or font.objgen == (0, 0):
                    seen.add(font.objgen)
                    yield index, str(font.get("/BaseFont", "?")), font
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == pikepdf.Name.Form:
                    stack.append(xobject.get("/Resources"))


def font_embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == pikepdf.Name.Type3:
        return True  # glyphs are drawn by the font's own procedures
    if font.get("/Subtype") == pikepdf.Name.Type0:
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def check_fonts(pdf: pikepdf.Pdf, book: LaidOutBook | None = None) -> list[Diagnostic]:
    return [_error(book, "fonts", f"font {name.lstrip('/')} is not embedded", index,
                   "use TrueType fonts from fonts/: bookpress embeds those")
            for index, name, font in iter_fonts(pdf) if not font_embedded(font)]


def _box(page: pikepdf.Page, name: str) -> list[float] | None:
    value = page.obj.get("/" + name)
    return [float(v) for v in value] if value is not None else None


def _inside(inner: list[float], outer: list[float]) -> bool:
    return (inner[0] >= outer[0] - TOLERANCE and inner[1] >= outer[1] - TOLERANCE
            and inner[2] <= outer[2] + TOLERANCE and inner[3] <= outer[3] + TOLERANCE)


def check_boxes(pdf: pikepdf.Pdf, book: LaidOutBook) -> list[Diagnostic]:
    """Every page: TrimBox = the trim, BleedBox = trim + the preset's bleed per side, nested in MediaBox."""
    findings = []
    trim_size = book.geometry.trim
    if len(pdf.pages) != len(book.pages):
        findings.append(_error(book, "boxes", f"the PDF has {len(pdf.pages)} pages, the book "
                                   f"{len(book.pages)}", hint=BOXES_HINT))
    for index, page in enumerate(pdf.pages[:len(book.pages)]):
        media, bleed, trim = _box(page, "MediaBox"), _box(page, "BleedBox"), _box(page, "TrimBox")
        if media is None or bleed is None or trim is None:
            findings.append(_error(book, "boxes", "MediaBox, BleedBox or TrimBox missing", index, BOXES_HINT))
            continue
        problem = _box_problem(media, bleed, trim, trim_size.width, trim_size.height,
                               book.geometry.bleed_sides(book.pages[index].side))
        if problem:
            findings.append(_error(book, "boxes", problem, index, BOXES_HINT))
    return findings


def _box_problem(media: list[float], bleed: list[float], trim: list[float], width: float, height: float,
                 sides: tuple[float, float, float, float]) -> str | None:
    if not (_inside(trim, bleed) and _inside(bleed, media)):
        return "TrimBox must lie within BleedBox, and BleedBox within MediaBox"
    if abs(trim[2] - trim[0] - width) > TOLERANCE or abs(trim[3] - trim[1] - height) > TOLERANCE:
        return f"TrimBox is {trim[2] - trim[0]:.2f} x {trim[3] - trim[1]:.2f} pt, not the trim {width:.2f} x " \
               f"{height:.2f} pt"
    left, top, right, bottom = sides
    actual = (trim[0] - bleed[0], bleed[3] - trim[3], bleed[2] - trim[2], trim[1] - bleed[1])
    if any(abs(a - b) > TOLERANCE for a, b in zip(actual, (left, top, right, bottom))):
        return "BleedBox does not extend the trim by the printer's bleed on each side"
    return None


def iter_cmyk_images(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Stream]]:
    """(first page index, image) for every DeviceCMYK image, once each."""
    seen: set[tuple[int, int]] = set()
    for index, page in enumerate(pdf.pages):
        for image in (page.obj.get("/Resources", {}).get("/XObject") or {}).values():
            if image.get("/Subtype") == pikepdf.Name.Image and image.get("/ColorSpace") == pikepdf.Name.DeviceCMYK \
                    and image.objgen not in seen:
                seen.add(image.objgen)
                yield index, image


def decode_cmyk(image: pikepdf.Stream) -> Image.Image:
    """A CMYK image as ink amounts (0 = none, 255 = solid), reduced for measuring."""
    if image.get("/Filter") == pikepdf.Name.DCTDecode:
        im = Image.open(io.BytesIO(image.read_raw_bytes()))  # Pillow undoes Adobe's inverted storage
        im.draft("CMYK", (INK_SAMPLE, INK_SAMPLE))
    else:
        im = pikepdf.PdfImage(image).as_pil_image()
    im = im.convert("CMYK")
    im.thumbnail((INK_SAMPLE, INK_SAMPLE), Image.Resampling.BOX)
    return im


def ink_sum(im: Image.Image) -> Image.Image:
    """A 32-bit image of C+M+Y+K per pixel (0..1020)."""
    c, m, y, k = (band.convert("I") for band in im.split())
    return ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)


def total_ink(im: Image.Image) -> float:
    """The highest total ink of a CMYK image, in percent (400 = four solid inks)."""
    return ink_sum(im).getextrema()[1] / 2.55


def area_over(im: Image.Image, limit: float) -> float:
    """The fraction of a CMYK image's pixels whose total ink exceeds `limit` percent."""
    over = ImageMath.lambda_eval(lambda a: (a["s"] > a["t"]) * 255, s=ink_sum(im), t=limit * 2.55)
    return over.convert("L").histogram()[255] / max(1, im.width * im.height)


def check_ink(pdf: pikepdf.Pdf, limit: int, book: LaidOutBook | None = None) -> tuple[list[Diagnostic], float]:
    """Findings for CMYK images whose total ink exceeds `limit` over more than a speck; and the highest seen."""
    findings, highest = [], 0.0
    for index, image in iter_cmyk_images(pdf):
        im = decode_cmyk(image)
        peak = total_ink(im)
        highest = max(highest, peak)
        share = area_over(im, limit + INK_SLACK)
        if share > INK_AREA:
            findings.append(_error(book, "ink", f"an image reaches {peak:.0f}% total ink over {share:.1%} "
                                       f"of its area (limit {limit}%)", index,
                                   f"use a press profile (print.profile) made for {limit}% total ink; a profile "
                                   "for more ink than the printer allows gives this"))
    return findings, highest


def inspect_pdf(path: Path, book: LaidOutBook, ink_limit: int | None) -> tuple[list[Diagnostic], float | None]:
    """All file checks; the highest total ink of CMYK images (None when ink is not checked)."""
    with pikepdf.open(path) as pdf:
        findings = check_fonts(pdf, book) + check_boxes(pdf, book)
        highest = None
        if ink_limit is not None:
            ink, highest = check_ink(pdf, ink_limit, book)
            findings += ink
    return findings, highest
