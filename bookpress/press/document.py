"""Rendered PDF -> print-ready PDF: page boxes, crop marks, PDF/X identification, document keys.

Runs on the finished file with pikepdf, so the renderer stays ignorant of print
production. The PDF/X variants live in pdfx.py, the crop marks in marks.py.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import pikepdf

from ..book import LaidOutBook
from ..load.digest import read_digest
from ..options import PressSettings
from .marks import add_crop_marks, registration_colour
from .pdfx import Identity, apply_pdfx


def page_boxes(book: LaidOutBook, index: int) -> dict[str, list[float]]:
    """MediaBox, BleedBox and TrimBox of a page in PDF user space (origin at the media's lower left)."""
    page = book.pages[index]
    left, top, right, bottom = book.geometry.bleed_sides(page.side)
    trim = book.geometry.trim
    media = [0.0, 0.0, trim.width + left + right, trim.height + top + bottom]
    trim_box = [left, bottom, left + trim.width, bottom + trim.height]
    return {"MediaBox": media, "BleedBox": list(media), "TrimBox": trim_box}


def press_pdf(book: LaidOutBook, path: Path, options: PressSettings = PressSettings(), content: bytes = b"") -> None:
    """Set the boxes of every page, the marks and the document-level keys, in place.

    `content`: what else the document's identity depends on, such as the keys of the photos that
    embed_images adds afterwards (the compile presses the small drawn file before they are ready).
    """
    with open(path, "rb") as drawn:  # streamed: a photo book's PDF can be larger than the memory we allow
        digest = read_digest(drawn, hashlib.md5)
    digest.update(content)
    # Two builds of the same pages that press differently (crop marks, another PDF/X flavour or
    # output intent) are different files: each gets its own identity.
    digest.update(repr((options.pdfx, options.marks, options.links, options.date,
                        options.condition.identifier if options.condition else None,
                        options.profile.name if options.profile else None)).encode())
    document_id = str(uuid.UUID(bytes=digest.digest()))
    pressed = path.with_name(path.name + ".pressed")
    # Opened lazily and saved beside it (not allow_overwriting_input, which reads the whole file
    # into memory): image data then streams from the input to the output.
    try:
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
            # The first /ID string is the document's permanent identifier (PDF 1.7, 14.4); qpdf keeps
            # an existing one, and reportlab's invariant mode writes the same one into every file.
            pdf.trailer.ID = pikepdf.Array([pikepdf.String(uuid.UUID(document_id).bytes)] * 2)
            subject = str(pdf.docinfo.get("/Subject", "")) or None
            who = Identity(book.meta.title, book.meta.author, document_id, subject)
            save_pressed(pdf, pressed, options, who)
        os.replace(pressed, path)
    finally:  # a signal or a failure half-way through the save: no stray file left beside the book
        pressed.unlink(missing_ok=True)


def set_boxes(page: pikepdf.Page, boxes: dict[str, list[float]]) -> None:
    for name, box in boxes.items():
        page.obj[pikepdf.Name("/" + name)] = pikepdf.Array([round(v, 4) for v in box])


def save_pressed(pdf: pikepdf.Pdf, path: Path, options: PressSettings, who: Identity) -> None:
    """Apply the PDF/X variant, then save in the version it allows (no object streams before 1.5)."""
    # Streams are written as they are: reportlab deflated its own, press deflates what it adds (pdfx.py).
    # qpdf's default would inflate and deflate every stream again: 0.3 s of a 400-page rebuild, for 0.05%.
    if not options.is_pdfx:
        pdf.save(path, deterministic_id=True, compress_streams=False)
        return
    version = apply_pdfx(pdf, options.pdfx, options.condition, options.profile, who)
    pdf.save(path, deterministic_id=True, force_version=version, compress_streams=False,
             object_stream_mode=pikepdf.ObjectStreamMode.disable)
