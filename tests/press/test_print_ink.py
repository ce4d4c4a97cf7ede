"""X-1a separations as a RIP sees them (Ghostscript to a CMYK raster): black text, hues, re-separated CMYK.

The total ink at the pixel and the colours against the sources: test_print_audit_ink.py and _colour.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from bookpress.preflight.pdf_checks import area_over, total_ink

GS = shutil.which("gs") or "gs"  # apt package ghostscript, installed by .ci/run: its absence is a failure
JPEG_SLACK = 3.0  # percent: DCT ringing at the edges of solid areas


def rip(pdf: Path, out: Path, first: int, last: int, dpi: int = 40) -> list[Image.Image]:
    """Pages rendered by Ghostscript to 8-bit CMYK TIFFs (tiff32nc): ink amounts as the press would lay them."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([GS, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiff32nc", f"-r{dpi}",
                    f"-dFirstPage={first}", f"-dLastPage={last}", f"-sOutputFile={out}/p%03d.tif", str(pdf)],
                   check=True, capture_output=True, timeout=120)
    pages = [Image.open(path) for path in sorted(out.glob("p*.tif"))]
    assert pages and all(page.mode == "CMYK" for page in pages)
    return pages


def photo_pages(result) -> list[int]:
    return [p.index + 1 for p in result.book.pages if any(type(i).__name__ == "PlacedImage" for i in p.items)]


def test_unconverted_rich_black_would_exceed_the_limit(tmp_path):
    """The measurement can fail: a 400% patch drawn straight in CMYK is caught."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "rich.pdf"
    c = canvas.Canvas(str(path), pagesize=(72, 72))
    c.setFillColorCMYK(1, 1, 1, 1)
    c.rect(0, 0, 72, 36, stroke=0, fill=1)
    c.save()
    page, = rip(path, tmp_path / "r", 1, 1)
    assert total_ink(page) > 390
    assert area_over(page, 243) == pytest.approx(0.5, abs=0.05)


def test_text_is_black_ink_only(printed, tmp_path):
    result = printed("ingramspark")
    text_page = next(p.index + 1 for p in result.book.pages if p.kind == "chapter-start")
    page, = rip(result.pdf, tmp_path, text_page, text_page, dpi=100)
    c, m, y, k = page.split()
    assert k.getextrema()[1] >= 250  # solid 100K glyph stems
    assert c.getextrema()[1] == m.getextrema()[1] == y.getextrema()[1] == 0


def test_colours_survive_the_conversion(printed, tmp_path):
    """The X-1a output separates the RGB originals as a printer would: the same hues, nothing lost or inverted."""
    result = printed("ingramspark")
    index = next(p.index for p in result.book.pages if p.kind != "full-bleed" and photo_pages_on(p))
    page, = rip(result.pdf, tmp_path, index + 1, index + 1)
    cmyk = page  # CMYK ink amounts: Ghostscript's own CMYK to RGB is too crude to judge hues by
    with pikepdf.open(result.pdf) as pdf:
        trim = [float(v) for v in pdf.pages[index].obj.TrimBox]
    placed = next(i for i in result.book.pages[index].items if type(i).__name__ == "PlacedImage")
    scale = 40 / 72
    bleed_left = trim[0]
    x0 = (placed.rect.x + bleed_left) * scale
    y0 = (placed.rect.y + (float(cmyk.height / scale) - trim[3])) * scale
    w, h = placed.rect.width * scale, placed.rect.height * scale
    # The dark photo: top row black | deep blue | dark brown | red; sample the middle of each quarter,
    # mapped through the crop that fitted the photo to its frame.
    left, top, right, bottom = placed.crop
    source_w = placed.photo.image.width

    def at(px: float, py: float) -> tuple[int, int, int]:
        return cmyk.getpixel((int(x0 + (px - left) / (right - left) * w), int(y0 + (py - top) / (bottom - top) * h)))

    samples = [at(source_w * (q + 0.5) / 4, placed.photo.image.height * 0.25) for q in range(4)]
    black, blue, brown, red = samples  # (C, M, Y, K), 0..255 each
    assert black[3] >= 240 and sum(black) >= 2.0 * 255  # a rich black, not a washed-out grey
    assert blue[0] > blue[2] + 100 and blue[1] > blue[2] + 100 and blue[3] < 150  # cyan + magenta
    assert brown[1] > brown[0] + 100 and brown[2] > brown[0] + 100 and brown[3] > 150  # dark and warm
    assert red[1] > 200 and red[2] > 150 and red[0] < 30  # magenta + yellow, no cyan


def photo_pages_on(page) -> bool:
    return any(type(i).__name__ == "PlacedImage" and i.photo.image.path.name == "dark.jpg" for i in page.items)


def test_ink_sum_helper_adds_the_four_channels():
    im = Image.merge("CMYK", [Image.new("L", (2, 1), v) for v in (255, 128, 0, 255)])
    assert total_ink(im) == pytest.approx((255 + 128 + 255) / 2.55, abs=0.01)


def test_an_untagged_cmyk_photo_is_separated_again_for_a_240_percent_press(tmp_path):
    """Untagged CMYK is read as ISO Coated v2 (up to 300%); IngramSpark's press gets it within 240%."""
    from conftest import print_manuscript

    from bookpress.options import Request
    from bookpress.pipeline import compile_book

    root = print_manuscript(tmp_path / "book", "ingramspark")
    heavy = Image.new("CMYK", (1600, 1200), (255, 255, 255, 0))  # 300% C+M+Y: more than the press takes
    heavy.paste((0, 0, 0, 255), (0, 0, 800, 1200))
    heavy.save(root / "photos" / "dark.jpg", quality=95)  # replaces the RGB dark photo, untagged
    result = compile_book(root, Request(jobs=1, output=tmp_path / "out.pdf"))
    assert result.preflight.status("ink") == "ok", dict(result.preflight.measured)["ink"]
