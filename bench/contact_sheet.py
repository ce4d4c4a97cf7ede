"""PDF -> PNG contact sheets of its spreads (page 1 alone, then 2-3, 4-5, ... as the bound book opens).

    python bench/contact_sheet.py BOOK.pdf [-o SHEET.png] [--per-sheet 24] [--width 180]

Each spread is drawn at `--width` pixels a page with its page numbers beneath, so a
designer can judge the pacing of a whole book on a screen or two.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

GAP = 12
LABEL = 14


def render_pages(pdf: Path, width: int) -> list[Image.Image]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        pages = []
        for page in document:
            scale = width / page.get_width()
            pages.append(page.render(scale=scale).to_pil().convert("RGB"))
        return pages
    finally:
        document.close()


def spreads(pages: list[Image.Image]) -> list[tuple[int | None, int | None]]:
    pairs: list[tuple[int | None, int | None]] = [(None, 0)] if pages else []
    for left in range(1, len(pages), 2):
        pairs.append((left, left + 1 if left + 1 < len(pages) else None))
    return pairs


def sheet(pages: list[Image.Image], pairs: list[tuple[int | None, int | None]], columns: int) -> Image.Image:
    pw, ph = pages[0].size
    cell_w, cell_h = 2 * pw + GAP, ph + LABEL + GAP
    rows = (len(pairs) + columns - 1) // columns
    out = Image.new("RGB", (columns * cell_w + GAP, rows * cell_h + GAP), (128, 128, 128))
    draw = ImageDraw.Draw(out)
    for n, (left, right) in enumerate(pairs):
        x0, y0 = GAP + (n % columns) * cell_w, GAP + (n // columns) * cell_h
        for i, index in enumerate((left, right)):
            if index is None:
                continue
            out.paste(pages[index].resize((pw, ph)), (x0 + i * pw, y0))
        label = "  ".join(str(i + 1) for i in (left, right) if i is not None)
        draw.text((x0 + 2, y0 + ph + 1), label, fill=(255, 255, 255))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--per-sheet", type=int, default=24, help="spreads on one sheet")
    parser.add_argument("--columns", type=int, default=4)
    parser.add_argument("--width", type=int, default=180, help="pixels a page")
    args = parser.parse_args()
    pages = render_pages(args.pdf, args.width)
    pairs = spreads(pages)
    base = args.output or args.pdf.with_suffix(".png")
    for number, start in enumerate(range(0, len(pairs), args.per_sheet), 1):
        out = base if len(pairs) <= args.per_sheet else base.with_name(f"{base.stem}-{number}{base.suffix}")
        sheet(pages, pairs[start:start + args.per_sheet], args.columns).save(out)
        print(out)


if __name__ == "__main__":
    main()
