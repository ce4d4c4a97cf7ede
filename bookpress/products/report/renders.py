"""Proof pages (PDF) -> thumbnail and page-view images, and which pages changed since the last proof.

Pages are rendered with pypdfium2. Changes are found by comparing each new page
view with the previous proof's view of the same page (Pillow ImageChops), so
renders must come from the unmarked pages: the PROOF mark's date would otherwise
change every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pypdfium2 as pdfium
from PIL import Image, ImageChops

THUMB_HEIGHT = 200  # pixels; a contact sheet of a 300-page book stays light
VIEW_WIDTH = 900  # pixels for the full page view (~ 100 dpi on a letter page)
VIEW_QUALITY = 82
NOISE_LEVEL = 40  # a pixel differs when a channel moves more than this (JPEG views carry small noise)
MIN_CHANGED_PIXELS = 6


@dataclass(frozen=True)
class Region:
    """A changed area as fractions of the page (0..1), for highlighting."""

    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class PageImages:
    index: int
    thumb: str  # paths relative to the report folder
    view: str
    thumb_size: tuple[int, int]
    view_size: tuple[int, int]


def image_names(index: int) -> tuple[str, str]:
    return f"thumbs/p{index + 1:04d}.png", f"pages/p{index + 1:04d}.jpg"


def render_pages(pdf: Path, folder: Path, progress: Optional[Callable[[int, int], None]] = None) -> list[PageImages]:
    """Write a PNG thumbnail and a JPEG page view of every page of `pdf` into `folder`."""
    (folder / "thumbs").mkdir(parents=True, exist_ok=True)
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    document = pdfium.PdfDocument(str(pdf))
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            width, _ = page.get_size()
            view = page.render(scale=VIEW_WIDTH / width).to_pil().convert("RGB")
            page.close()
            thumb = view.resize((max(1, round(view.width * THUMB_HEIGHT / view.height)), THUMB_HEIGHT),
                                Image.Resampling.LANCZOS)
            thumb_name, view_name = image_names(index)
            thumb.save(folder / thumb_name, "PNG", optimize=True)
            view.save(folder / view_name, "JPEG", quality=VIEW_QUALITY)
            images.append(PageImages(index, thumb_name, view_name, thumb.size, view.size))
            if progress:
                progress(index + 1, len(document))
        return images
    finally:
        document.close()


def changed_region(new: Path, old: Path) -> Optional[Region]:
    """Where page view `new` differs from `old`; the whole page when the sizes differ; None if alike."""
    with Image.open(new) as a, Image.open(old) as b:
        if a.size != b.size:
            return Region(0.0, 0.0, 1.0, 1.0)
        diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
        # The largest channel difference per pixel, thresholded to ignore re-encoding noise.
        mask = diff.point(lambda v: 255 if v > NOISE_LEVEL else 0).convert("L").point(lambda v: 255 if v else 0)
        if mask.histogram()[255] < MIN_CHANGED_PIXELS:
            return None
        left, top, right, bottom = mask.getbbox()
        width, height = a.size
        return Region(left / width, top / height, (right - left) / width, (bottom - top) / height)
