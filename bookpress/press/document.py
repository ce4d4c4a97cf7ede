"""Rendered PDF -> print-ready PDF: page boxes, crop marks, PDF/X identification, document keys.

Runs on the finished file with pikepdf, so the renderer stays ignorant of print
production. The PDF/X variants live in pdfx.py, the crop marks in marks.py.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import ImageCms

from ..book import LaidOutBook
from ..model import Manuscript
from ..load.printers import PRESETS, OutputCondition
from .marks import add_crop_marks, registration_colour
from ..images.colour import SRGB_PROFILE
from ..load.sources import pdf_date, source_date
from .pdfx import VARIANTS, Identity, apply_pdfx


@dataclass(frozen=True)
class PressOptions:
    pdfx: str = "none"  # "x4" | "x1a" | "none"
    condition: OutputCondition | None = None  # the output intent (pdfx only)
    profile: Path | None = None  # its ICC profile, embedded in the output intent
    marks: bool = False
    links: bool = True  # False: drop every annotation (PDF/X, and printers that refuse them)
    date: str | None = None  # CreationDate and ModDate, a PDF date string (sources.source_date)


def press_options(manuscript: Manuscript) -> PressOptions:
    """The print settings as press needs them; a manuscript's own profile must be a CMYK output profile."""
    settings = manuscript.print
    preset = PRESETS[settings.printer]
    condition, profile = preset.output, preset.profile_path
    if settings.profile is not None:
        condition, profile = custom_condition(settings.profile), settings.profile
    links = settings.pdfx == "none" and preset.annotations_allowed
    date = pdf_date(source_date(manuscript.root))
    return PressOptions(settings.pdfx, condition, profile, settings.marks, links, date)


def custom_condition(profile: Path) -> OutputCondition:
    """A manuscript's own press profile (checked at load: a CMYK output profile), named by its description."""
    try:
        description = ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(profile))).strip()
    except (OSError, ImageCms.PyCMSError):
        description = ""
    return OutputCondition(profile.name, "Custom", description or profile.stem, registry="")


def page_boxes(book: LaidOutBook, index: int) -> dict[str, list[float]]:
    """MediaBox, BleedBox and TrimBox of a page in PDF user space (origin at the media's lower left)."""
    page = book.pages[index]
    left, top, right, bottom = book.geometry.bleed_sides(page.side)
    trim = book.geometry.trim
    media = [0.0, 0.0, trim.width + left + right, trim.height + top + bottom]
    trim_box = [left, bottom, left + trim.width, bottom + trim.height]
    return {"MediaBox": media, "BleedBox": list(media), "TrimBox": trim_box}


def press_pdf(book: LaidOutBook, path: Path, options: PressOptions = PressOptions(), content: bytes = b"") -> None:
    """Set the boxes of every page, the marks and the document-level keys, in place.

    `content`: what else the document's identity depends on, such as the keys of the photos that
    embed_images adds afterwards (the compile presses the small drawn file before they are ready).
    """
    with open(path, "rb") as drawn:  # streamed: a photo book's PDF can be larger than the memory we allow
        digest = hashlib.file_digest(drawn, "md5")
    digest.update(content)
    document_id = str(uuid.UUID(bytes=digest.digest()))
    pressed = path.with_name(path.name + ".pressed")
    # Opened lazily and saved beside it (not allow_overwriting_input, which reads the whole file
    # into memory): image data then streams from the input to the output.
    with pikepdf.open(path) as pdf:
        registration = registration_colour(pdf) if options.marks else None
        for index, page in enumerate(pdf.pages):
            boxes = page_boxes(book, index)
            if registration is not None:
                boxes = add_crop_marks(pdf, page, boxes, registration)
            set_boxes(page, boxes)
            if not options.links and "/Annots" in page.obj:
                del page.obj.Annots
        pdf.Root.Lang = pikepdf.String(book.meta.language)
        pdf.Root.PageLayout = pikepdf.Name.TwoPageRight  # a book: page 1 alone, then spreads
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        if options.date:  # reportlab's invariant mode writes 2000-01-01; PDF/X's XMP copies Info's dates
            pdf.docinfo.CreationDate = pikepdf.String(options.date)
            pdf.docinfo.ModDate = pikepdf.String(options.date)
        save_pressed(pdf, pressed, options, Identity(book.meta.title, book.meta.author, document_id))
    os.replace(pressed, path)


def rgb_profile(options: PressOptions) -> Path | None:
    """The ICC profile RGB images added after press must carry (PDF/X-4 tags them with sRGB), or None."""
    pdfx = options.pdfx != "none" and options.condition is not None and options.profile is not None
    return SRGB_PROFILE if pdfx and VARIANTS[options.pdfx].xmp else None


def set_boxes(page: pikepdf.Page, boxes: dict[str, list[float]]) -> None:
    for name, box in boxes.items():
        page.obj[pikepdf.Name("/" + name)] = pikepdf.Array([round(v, 4) for v in box])


def save_pressed(pdf: pikepdf.Pdf, path: Path, options: PressOptions, who: Identity) -> None:
    """Apply the PDF/X variant, then save in the version it allows (no object streams before 1.5)."""
    if options.pdfx == "none" or options.condition is None or options.profile is None:
        pdf.save(path, deterministic_id=True)
        return
    version = apply_pdfx(pdf, options.pdfx, options.condition, options.profile, who)
    pdf.save(path, deterministic_id=True, force_version=version,
             object_stream_mode=pikepdf.ObjectStreamMode.disable)
