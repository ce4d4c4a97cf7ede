"""Proof pages (PDF) -> thumbnail and page-view images, the soft proof's layers, and what changed since the last proof.

Pages are rendered with pypdfium2. Changes are found by comparing each new page
view with the previous proof's view of the same page (Pillow ImageChops), so
renders must come from the unmarked pages: the PROOF mark's date would otherwise
change every page. A page with photos also gets its layers, each the size of the
page view: the photos in plain screen colours, a total-ink heat map, and the
gamut warning (transparent but for the colours the press cannot print).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageOps

from ...book import LaidOutBook, Page, PlacedImage
from ...geometry import Rect
from ...images.softproof import GAMUT_COLOUR, Simulation, heat_map

THUMB_HEIGHT = 300  # CSS pixels: a page's layout reads at a glance; a 300-page book's sheet stays light
THUMB_DENSITY = 2  # rendered at twice that, so that thumbnails stay sharp on high-density screens and zoomed in
VIEW_WIDTH = 1000  # pixels for the full page view (~ 115 dpi on a letter page)
VIEW_QUALITY = 84
LAYER_QUALITY = 93
NOISE_LEVEL = 40  # a pixel differs when a channel moves more than this (JPEG views carry small noise)
MIN_CHANGED_PIXELS = 6
INK_BACKGROUND = 0.35  # the page around the heat map, faded to grey so that only the photos speak


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
    thumb_size: tuple[int, int]  # CSS pixels
    view_size: tuple[int, int]
    layers: tuple[tuple[str, str], ...] = ()  # (kind, path): "screen", "ink", "gamut"


def image_names(index: int) -> tuple[str, str]:
    return f"thumbs/p{index + 1:04d}.jpg", f"pages/p{index + 1:04d}.jpg"


def render_pages(pdf: Path, folder: Path, progress: Optional[Callable[[int, int], None]] = None) -> list[PageImages]:
    """Write a JPEG thumbnail and a JPEG page view of every page of `pdf` into `folder`."""
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
            shown = (max(1, round(view.width * THUMB_HEIGHT / view.height)), THUMB_HEIGHT)
            thumb = view.resize((shown[0] * THUMB_DENSITY, shown[1] * THUMB_DENSITY), Image.Resampling.LANCZOS)
            thumb_name, view_name = image_names(index)
            thumb.save(folder / thumb_name, "JPEG", quality=VIEW_QUALITY)
            view.save(folder / view_name, "JPEG", quality=VIEW_QUALITY)
            images.append(PageImages(index, thumb_name, view_name, shown, view.size))
            if progress:
                progress(index + 1, len(document))
        return images
    finally:
        document.close()


def render_layers(book: LaidOutBook, images: list[PageImages], simulation: Simulation,
                  folder: Path) -> list[PageImages]:
    """The soft proof's layers of every page with photos, written beside its view; the images with them named."""
    for kind in ("screen", "ink", "gamut"):
        (folder / kind).mkdir(parents=True, exist_ok=True)
    done = []
    for page, shown in zip(book.pages, images):
        photos = [item for item in page.items if isinstance(item, PlacedImage) and item in simulation.photos]
        done.append(_page_layers(book, page, shown, photos, simulation, folder) if photos else shown)
    return done


def _page_layers(book: LaidOutBook, page: Page, shown: PageImages, photos: list[PlacedImage],
                 simulation: Simulation, folder: Path) -> PageImages:
    with Image.open(folder / shown.view) as opened:
        view = opened.convert("RGB")
    scale = view.width / book.geometry.bleed_rect(page.side).width
    screen = view.copy()
    ink = Image.blend(ImageOps.grayscale(view).convert("RGB"), Image.new("RGB", view.size, "white"), INK_BACKGROUND)
    gamut = Image.new("L", view.size, 0)
    for item in photos:
        x, y, width, height = _pixels(book, page, item.rect, scale)
        proof = simulation.photos[item]
        screen.paste(_scaled(simulation.screen[item], (width, height)), (x, y))  # paste clips at the edges
        ink.paste(heat_map(proof.ink, simulation.ink_limit).resize((width, height), Image.Resampling.BILINEAR),
                  (x, y))
        with Image.open(proof.gamut) as mask:
            gamut.paste(mask.convert("L").resize((width, height), Image.Resampling.BILINEAR), (x, y))
    name = f"p{page.index + 1:04d}"
    # Encoded again from the view: a higher quality keeps the page's type as crisp as in the view itself.
    screen.save(folder / "screen" / f"{name}.jpg", "JPEG", quality=LAYER_QUALITY)
    ink.save(folder / "ink" / f"{name}.jpg", "JPEG", quality=VIEW_QUALITY)
    _warning(gamut).save(folder / "gamut" / f"{name}.png", "PNG", transparency=0)
    layers = (("screen", f"screen/{name}.jpg"), ("ink", f"ink/{name}.jpg"), ("gamut", f"gamut/{name}.png"))
    return PageImages(shown.index, shown.thumb, shown.view, shown.thumb_size, shown.view_size, layers)


def _scaled(path: Path, size: tuple[int, int]) -> Image.Image:
    with Image.open(path) as image:
        image.draft("RGB", size)  # a JPEG decodes straight at a fraction of its size: most of the work saved
        return image.convert("RGB").resize(size, Image.Resampling.LANCZOS)


def _warning(mask: Image.Image) -> Image.Image:
    """A gamut mask -> a two-colour PNG image: clear, and the warning colour where the mask is set."""
    warning = Image.new("P", mask.size, 0)
    warning.putpalette([0, 0, 0, *GAMUT_COLOUR])
    warning.paste(1, mask=mask.point(lambda v: 255 if v > 127 else 0))
    return warning


def _pixels(book: LaidOutBook, page: Page, rect: Rect, scale: float) -> tuple[int, int, int, int]:
    """A rectangle of the page (points from the trim's top-left) in the view's pixels (the view shows the bleed)."""
    left, top, _, _ = book.geometry.bleed_sides(page.side)
    x0, y0 = round((rect.x + left) * scale), round((rect.y + top) * scale)
    return x0, y0, max(1, round(rect.width * scale)), max(1, round(rect.height * scale))


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
