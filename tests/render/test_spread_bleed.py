"""A picture across a spread's fold runs on into each half's inner bleed: rendered, the bleed shows the picture."""

from __future__ import annotations

import subprocess

from conftest import lay_out, write
from PIL import Image

from bookpress.options import Request
from bookpress.pipeline import compile_book

RED, BLUE = (200, 30, 30), (30, 60, 200)


def spread_book(root, printer: str):
    (root / "photos").mkdir(parents=True)
    im = Image.new("RGB", (3000, 1000), RED)
    im.paste(BLUE, (1500, 0, 3000, 1000))  # red on the verso's side of the fold, blue on the recto's
    im.save(root / "photos" / "pano.png")
    write(root / "chapters" / "one.yaml", """
        title: Across
        blocks:
          - text: Words before the spread.
          - spread: panorama
            slots: {photo: {photo: photos/pano.png, focus: [0.5, 0.5]}}  # centred: the colours meet at the fold
    """)
    write(root / "book.yaml", f"title: P\nauthor: A\nprinter: {printer}\nformat: {{trim: 6x9in}}\n"
                              "chapters: [chapters/one.yaml]\n")
    return root


def render(pdf, index: int, out):
    """One page at 72 dpi through Ghostscript's own renderer, its whole MediaBox (trim + bleed)."""
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=png16m", "-r72", f"-dFirstPage={index + 1}",
                    f"-dLastPage={index + 1}", f"-sOutputFile={out}", str(pdf)], check=True)
    return Image.open(out).convert("RGB")


def near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def test_the_inner_bleed_continues_the_picture(tmp_path):
    root = spread_book(tmp_path / "book", "generic")
    book = lay_out(root)
    verso = next(p.index for p in book.pages if p.kind == "spread")
    out = tmp_path / "book.pdf"
    compile_book(root, Request(jobs=1, output=out))
    bleed = round(book.geometry.bleed)  # points = pixels at 72 dpi
    left = render(out, verso, tmp_path / "verso.png")
    right = render(out, verso + 1, tmp_path / "recto.png")
    y = left.height // 3
    # the verso runs on past the fold with the recto's side of the picture, and the reverse
    for x in range(left.width - bleed + 2, left.width):
        assert near(left.getpixel((x, y)), BLUE), (x, left.getpixel((x, y)))
    assert near(left.getpixel((left.width - bleed - 4, y)), RED)  # inside the trim: its own half
    for x in range(0, bleed - 2):
        assert near(right.getpixel((x, y)), RED), (x, right.getpixel((x, y)))
    assert near(right.getpixel((bleed + 4, y)), BLUE)


def test_no_inner_bleed_where_the_printer_binds_without_it(tmp_path):
    book = lay_out(spread_book(tmp_path / "book", "kdp"))
    verso = next(p for p in book.pages if p.kind == "spread")
    (part,) = [i for i in verso.items if hasattr(i, "crop")]
    assert abs(part.rect.right - book.geometry.trim.width) < 0.01  # ends at the fold: KDP has no inner bleed
