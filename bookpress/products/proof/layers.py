"""Soft-proofed proof PDF + the photos' gamut and ink maps -> two optional layers a reviewer switches on and off.

"Gamut warning" paints the pixels the press cannot print; "Total ink" shows each photo as
a heat map of the ink it will lay down, against the printer's limit. They are PDF optional
content groups (the viewer's Layers panel), hidden when the proof opens unless asked for,
and drawn only over photos: the page itself is never covered. The maps go in as they are
(a one-bit stencil for the warning, a JPEG for the heat map), so adding them costs little.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from PIL import Image
from reportlab.pdfgen import canvas as rl_canvas

from ...book import LaidOutBook, PlacedImage
from ...fonts.catalog import load_fonts
from ...images.softproof import GAMUT_COLOUR, Simulation, heat_colour, heat_map
from ...model import Manuscript
from .marks import MARK_SIZE, PageFrame

LAYERS = (("gamut", "Gamut warning"), ("ink", "Total ink"))
LEGEND_SHARES = (0.0, 0.4, 0.7, 0.9, 1.0, 1.1)  # of the ink limit: the heat map's legend
HEAT_QUALITY = 80


def add_layers(pdf: pikepdf.Pdf, manuscript: Manuscript, book: LaidOutBook, frames: list[PageFrame],
               simulation: Simulation, shown: frozenset[str] = frozenset()) -> None:
    """Add the gamut and ink layers to every page with photos of the open `pdf`; `shown` are on when it opens."""
    groups = {kind: pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=title))
              for kind, title in LAYERS}
    images: dict[tuple[str, Path], pikepdf.Object] = {}  # a photo placed twice is stored once
    with pikepdf.open(io.BytesIO(_legends(manuscript, book, frames, simulation))) as legends:
        for index, (page, frame) in enumerate(zip(pdf.pages, frames)):
            photos = [item for item in book.pages[index].items
                      if isinstance(item, PlacedImage) and item in simulation.photos]
            if not photos:
                continue
            gamut = [_image(pdf, images, "gamut", simulation, item) for item in photos]
            ink = [_image(pdf, images, "ink", simulation, item) for item in photos]
            legend = pdf.copy_foreign(legends.pages[index].as_form_xobject())
            _marked(pdf, page, "gamut", groups["gamut"], _layer(pdf, frame, photos, gamut, GAMUT_COLOUR))
            _marked(pdf, page, "ink", groups["ink"], _layer(pdf, frame, photos, ink, None, legend))
    hidden = [groups[kind] for kind, _ in LAYERS if kind not in shown]
    pdf.Root.OCProperties = pikepdf.Dictionary(
        OCGs=pikepdf.Array(groups.values()),
        D=pikepdf.Dictionary(Name="Soft proof", Order=pikepdf.Array(groups.values()),
                             ON=pikepdf.Array([g for g in groups.values() if g not in hidden]),
                             OFF=pikepdf.Array(hidden)))


def _image(pdf: pikepdf.Pdf, images: dict, kind: str, simulation: Simulation, item: PlacedImage) -> pikepdf.Object:
    proof = simulation.photos[item]
    key = (kind, proof.gamut if kind == "gamut" else proof.ink)
    if key not in images:
        images[key] = _stencil(pdf, proof.gamut) if kind == "gamut" else _jpeg(pdf, heat_map(proof.ink,
                                                                                         simulation.ink_limit))
    return images[key]


def _stencil(pdf: pikepdf.Pdf, mask_path: Path) -> pikepdf.Object:
    """A one-bit image mask: where it is set, the page is painted in the current fill colour."""
    with Image.open(mask_path) as mask:
        bits = mask.convert("L").point(lambda v: 255 if v > 127 else 0).convert("1")
    # Pillow's "1" stores 1 for white; Decode [1 0] paints those (a set mask bit) and leaves 0 alone.
    return pdf.make_stream(bits.tobytes(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                           Width=bits.width, Height=bits.height, ImageMask=True, BitsPerComponent=1,
                           Decode=pikepdf.Array([1, 0]))


def _jpeg(pdf: pikepdf.Pdf, image: Image.Image) -> pikepdf.Object:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=HEAT_QUALITY)
    return pdf.make_stream(out.getvalue(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                           Width=image.width, Height=image.height, ColorSpace=pikepdf.Name.DeviceRGB,
                           BitsPerComponent=8, Filter=pikepdf.Name.DCTDecode)


def _layer(pdf: pikepdf.Pdf, frame: PageFrame, photos: list[PlacedImage], images: list[pikepdf.Object],
           fill: tuple[int, int, int] | None, legend: pikepdf.Object | None = None) -> pikepdf.Object:
    """One layer of one page as a form: each map over its photo, kept to the page's bleed (a bleeding photo's
    map ends where the page does), and the legend."""
    bleed = frame.bleed
    colour = f"{fill[0] / 255:.3f} {fill[1] / 255:.3f} {fill[2] / 255:.3f} rg " if fill else ""
    commands = [f"q {bleed.x:.3f} {bleed.y:.3f} {bleed.width:.3f} {bleed.height:.3f} re W n"]
    names = {}
    for number, (item, image) in enumerate(zip(photos, images)):
        rect = frame.place(item.rect)
        names[f"/Map{number}"] = image
        commands.append(f"q {colour}{rect.width:.3f} 0 0 {rect.height:.3f} {rect.x:.3f} {rect.y:.3f} cm "
                        f"/Map{number} Do Q")
    commands.append("Q")
    if legend is not None:
        names["/Legend"] = legend
        commands.append("q /Legend Do Q")
    return pdf.make_stream("\n".join(commands).encode(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                           BBox=pikepdf.Array([0, 0, frame.width, frame.height]),
                           Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(names)))


def _marked(pdf: pikepdf.Pdf, page: pikepdf.Page, kind: str, group: pikepdf.Object, form: pikepdf.Object) -> None:
    """The layer's form drawn on the page inside marked content that belongs to its optional content group."""
    name = page.add_resource(form, pikepdf.Name.XObject, prefix=f"Soft{kind}")
    resources = page.obj.Resources
    if "/Properties" not in resources:
        resources.Properties = pikepdf.Dictionary()
    resources.Properties[f"/Layer{kind}"] = group
    page.contents_add(pdf.make_stream(f"/OC /Layer{kind} BDC q {name} Do Q EMC".encode()), prepend=False)


def _legends(manuscript: Manuscript, book: LaidOutBook, frames: list[PageFrame], simulation: Simulation) -> bytes:
    """What the heat map's colours mean, at the foot of each page (a PDF of one page a book page)."""
    font = load_fonts(list(manuscript.font_folders)).face("Lato", "bold")
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, invariant=1, pageCompression=1)
    for frame in frames:
        c.setPageSize((frame.width, frame.height))
        _legend(c, frame, font, simulation.ink_limit)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _legend(c: rl_canvas.Canvas, frame: PageFrame, font: str, limit: int) -> None:
    size, swatch = MARK_SIZE, MARK_SIZE * 1.4
    entries = [(heat_colour(share), f"{share * limit:.0f}%" + (" limit" if share == 1.0 else "")) for share in
               LEGEND_SHARES]
    label = "total ink:"
    width = c.stringWidth(label, font, size) + size + sum(
        swatch + size * 0.4 + c.stringWidth(text, font, size) + size * 1.1 for _, text in entries)
    x, y = frame.trim.x + size, frame.trim.y + size
    c.setFillColorRGB(1, 1, 1, alpha=0.9)
    c.rect(x - 3, y - 3, width + 6, swatch + 6, stroke=0, fill=1)
    c.setFont(font, size)
    c.setFillColorRGB(0.1, 0.1, 0.1)
    c.drawString(x, y + swatch * 0.25, label)
    x += c.stringWidth(label, font, size) + size
    for colour, text in entries:
        c.setFillColorRGB(*(v / 255 for v in colour))
        c.rect(x, y, swatch, swatch, stroke=0, fill=1)
        x += swatch + size * 0.4
        c.setFillColorRGB(0.1, 0.1, 0.1)
        c.drawString(x, y + swatch * 0.25, text)
        x += c.stringWidth(text, font, size) + size * 1.1
