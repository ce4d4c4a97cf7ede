"""A print PDF -> preflight findings about what only the file shows: fonts, page boxes, total ink.

Reads the file with pikepdf, as a printer's upload checker would, rather than
trusting what bookpress meant to write.
"""

from __future__ import annotations

import io
import math
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pikepdf
from PIL import Image

from ..book import LaidOutBook
from ..diagnostics import Diagnostic, PageRef, Severity
from .book_checks import finding
from ..layout.records import RecordStore, code_digest, hash_of
from .glyph_check import CheckedPages, missing_glyphs

if TYPE_CHECKING:  # numpy is imported where CMYK images are measured: an RGB book never needs it (~90 ms)
    import numpy as np

TOLERANCE = 0.02  # points: boxes are written to 4 decimals
# bookpress writes the boxes itself: a wrong one is its own fault, not the manuscript's.
BOXES_HINT = "compile again; if it stays, report it as a bookpress bug with this PDF"
# bookpress caps every separated pixel at the limit and checks it after encoding.
INK_HINT = "compile again; if it stays, report it as a bookpress bug with this PDF"


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


def check_fonts(pdf: pikepdf.Pdf, book: LaidOutBook | None = None, checked: CheckedPages | None = None
                ) -> list[Diagnostic]:
    """Every font embedded, and every character drawn has a glyph in the font embedded for it
    (`checked`: the pages an earlier build found clean, skipped where nothing that decides it changed)."""
    found = [_error(book, "fonts", f"font {name.lstrip('/')} is not embedded", index,
                    "use TrueType fonts from fonts/: bookpress embeds those")
             for index, name, font in iter_fonts(pdf) if not font_embedded(font)]
    for index, name, code, text in missing_glyphs(pdf, checked):
        what = f"'{text}' (U+{ord(text[0]):04X})" if len(text) == 1 and text.isprintable() else f"character code {code}"
        found.append(_error(book, "fonts", f"{what} is drawn in {name}, whose embedded font has no glyph for it",
                            index, "the page would print a box or nothing there; set it in a font that has it"))
    return found


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
    """(first page index, image) for every DeviceCMYK image, once each, in forms too."""
    seen: set[tuple[int, int]] = set()
    for index, page in enumerate(pdf.pages):
        stack = [page.obj.get("/Resources")]
        while stack:
            resources = stack.pop()
            for xobject in ((resources.get("/XObject") or {}) if resources is not None else {}).values():
                if xobject.objgen in seen and xobject.objgen != (0, 0):
                    continue
                seen.add(xobject.objgen)
                if xobject.get("/Subtype") == pikepdf.Name.Form:
                    stack.append(xobject.get("/Resources"))
                elif xobject.get("/Subtype") == pikepdf.Name.Image and \
                        xobject.get("/ColorSpace") == pikepdf.Name.DeviceCMYK:
                    yield index, xobject


def decode_cmyk(image: pikepdf.Stream) -> np.ndarray:
    """A CMYK image's samples as ink amounts (0 = none, 255 = solid), every pixel as a RIP decodes it."""
    import numpy as np

    filters = image.get("/Filter")
    last = filters[-1] if isinstance(filters, pikepdf.Array) and len(filters) else filters
    if last == pikepdf.Name.DCTDecode:
        with Image.open(io.BytesIO(_jpeg_bytes(image, filters))) as im:
            # Pillow inverts every 4-channel JPEG (Adobe's convention); the PDF's /Decode says
            # whether the stored samples are inverted, so undo Pillow's guess where they are not.
            samples = np.asarray(im.convert("CMYK"))
        return samples if _inverted_decode(image) else 255 - samples
    samples = np.asarray(pikepdf.PdfImage(image).as_pil_image().convert("CMYK"))
    return 255 - samples if _inverted_decode(image) else samples


def _jpeg_bytes(image: pikepdf.Stream, filters: pikepdf.Object) -> bytes:
    """The JPEG inside a DCTDecode image, with any filters before it (ASCII85, Flate) undone by qpdf."""
    raw = image.read_raw_bytes()
    if not isinstance(filters, pikepdf.Array) or len(filters) < 2:
        return raw
    with pikepdf.new() as scratch_pdf:
        scratch = pikepdf.Stream(scratch_pdf, raw)
        scratch[pikepdf.Name.Filter] = pikepdf.Array(list(filters)[:-1])
        return scratch.read_bytes()


def _inverted_decode(image: pikepdf.Stream) -> bool:
    decode = image.get("/Decode")
    return decode is not None and [float(v) for v in decode][:2] == [1.0, 0.0]


def ink_units(samples: np.ndarray) -> np.ndarray:
    """C+M+Y+K per pixel in 8-bit units (1020 = four solid inks)."""
    import numpy as np

    return samples.sum(axis=-1, dtype=np.uint16)


def total_ink(im: Image.Image | np.ndarray) -> float:
    """The highest total ink of a CMYK image, in percent (400 = four solid inks)."""
    import numpy as np

    samples = np.asarray(im.convert("CMYK")) if isinstance(im, Image.Image) else im
    return round(float(ink_units(samples).max()) / 2.55, 2)


def area_over(im: Image.Image | np.ndarray, limit: float) -> float:
    """The fraction of a CMYK image's pixels whose total ink exceeds `limit` percent."""
    import numpy as np

    samples = np.asarray(im.convert("CMYK")) if isinstance(im, Image.Image) else im
    return float((ink_units(samples) > math.floor(limit * 2.55 + 1e-9)).mean())


def check_ink(pdf: pikepdf.Pdf, limit: int, book: LaidOutBook | None = None
              ) -> tuple[list[Diagnostic], float, str | None]:
    """Findings for CMYK images with any pixel over `limit`, and for CMYK fills and strokes over it;
    the highest total ink seen and where.

    Every pixel of every image is decoded, as a RIP would: a limit that holds on average but not
    at the pixel fails a printer's preflight all the same.
    """
    findings, highest, where = [], 0.0, None
    for index, image in iter_cmyk_images(pdf):
        samples = decode_cmyk(image)
        peak = total_ink(samples)
        if peak > highest:
            highest, where = peak, _page_name(book, index)
        share = area_over(samples, limit)
        if share > 0:
            findings.append(_error(book, "ink", f"an image reaches {peak:.1f}% total ink, over the {limit}% "
                                       f"limit on {_share(share)} of its pixels", index,
                                   INK_HINT))
    for index, peak in _vector_peaks(pdf):
        if peak > highest:
            highest, where = peak, _page_name(book, index)
        if peak > limit + 0.01:
            findings.append(_error(book, "ink", f"a colour filled or stroked on the page has {peak:.1f}% total ink, "
                                       f"over the {limit}% limit", index, INK_HINT))
    return findings, highest, where


def _vector_peaks(pdf: pikepdf.Pdf) -> Iterator[tuple[int, float]]:
    """(page index, highest total ink) of the CMYK colours (k and K) each page and its forms paint with."""
    for index, page in enumerate(pdf.pages):
        streams, seen, peak = [page], set(), None
        stack = [page.obj.get("/Resources")]
        while stack:
            resources = stack.pop()
            for xobject in ((resources.get("/XObject") or {}) if resources is not None else {}).values():
                if xobject.get("/Subtype") == pikepdf.Name.Form and xobject.objgen not in seen:
                    seen.add(xobject.objgen)
                    streams.append(xobject)
                    stack.append(xobject.get("/Resources"))
        for stream in streams:
            for operands, _ in pikepdf.parse_content_stream(stream, "k K"):
                ink = sum(float(v) for v in operands) * 100
                peak = ink if peak is None else max(peak, ink)
        if peak is not None:
            yield index, round(peak, 2)


def _share(share: float) -> str:
    return f"{share:.2%}" if share >= 0.0001 else "a few"


def _page_name(book: LaidOutBook | None, index: int) -> str:
    label = book.pages[index].label if book is not None and index < len(book.pages) else str(index + 1)
    return "the cover" if label.lower() == "cover" else f"p. {label}"


def inspect_pdf(path: Path, book: LaidOutBook, ink_limit: int | None, cache: Path | None = None
                ) -> tuple[list[Diagnostic], tuple[float, str | None] | None]:
    """All file checks; the highest total ink of CMYK images and where (None when ink is not checked).

    `cache`: the folder where the pages found clean of missing glyphs are remembered between builds.
    """
    store = RecordStore(cache) if cache is not None else None
    key = hash_of("glyph-check", code_digest())  # a changed check never trusts the old one's findings
    before = store.get(key) if store is not None else None
    checked = CheckedPages(before if isinstance(before, list) and all(isinstance(k, str) for k in before) else ())
    with pikepdf.open(path) as pdf:
        findings = check_fonts(pdf, book, checked) + check_boxes(pdf, book)
        highest = None
        if ink_limit is not None:
            ink, peak, where = check_ink(pdf, ink_limit, book)
            findings += ink
            highest = (peak, where)
    if store is not None and checked.now != checked.before:
        store.put(key, sorted(checked.now))
    return findings, highest
