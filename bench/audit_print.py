#!/usr/bin/env python3
"""A prepress audit of bookpress's print output, measured with tools bookpress did not write.

For each variant (a printer preset, optionally with `print: {pdfx: ...}` or crop marks) the
manuscript is copied, compiled (`bookpress compile`) and its cover built (`bookpress cover`);
then, on the files only:

- total ink: Ghostscript renders every page to CMYK at the images' resolution (the manuscript's
  print.ppi) through the output intent; the highest C+M+Y+K of any pixel inside the BleedBox (crop
  marks are registration colour, outside it), and the pages over the limit + 1%;
- colour: for each placed photo, the render (CMYK read back through the output intent with
  LittleCMS) against the source photo cropped and resized to the same pixels (sRGB, or the
  photo's own profile), as mean CIEDE2000 (colour-science); the figure is the mean over photos;
- text: every word's box from `pdftotext -bbox` (poppler) against the trim, nearest distance
  against the preset's safety;
- images: DeviceGray images in PDF/X-4 (`pikepdf`), and the lowest effective ppi (`pdfimages -list`);
- metadata: XMP dc:description, DocumentID and InstanceID, the first /ID, the output intent's
  RegistryName (`pikepdf`).

Usage: python bench/audit_print.py [--manuscript DIR] [--out DIR] VARIANT ...
  VARIANT: generic, generic-x1a, ingramspark, kdp, lulu, blurb; add "+marks" for crop marks.
  (default: generic-x1a ingramspark generic). Needs gs, pdftotext and pdfimages on PATH.
Prints one block per variant and writes OUT/audit.json.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import yaml
from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent))
from colourmetry import delta_e, output_intent_profile, render_cmyk, to_lab, total_ink  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
BOOKPRESS = [sys.executable, "-m", "bookpress"]
INCH = 72.0
COMPARE_SIDE = 600  # pixels: both sides of a colour comparison are reduced to this (area average)


def prepare_variant(manuscript: Path, variant: str, out: Path) -> Path:
    """A copy of the manuscript with the variant's printer, PDF/X flavour and marks in book.yaml."""
    printer, _, flags = variant.partition("+")
    pdfx = None
    if printer.endswith("-x1a") or printer.endswith("-x4"):
        printer, pdfx = printer.rsplit("-", 1)
    root = out / "manuscript"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(manuscript, root, ignore=shutil.ignore_patterns("build"))
    book = yaml.safe_load((root / "book.yaml").read_text(encoding="utf-8"))
    book["printer"] = printer
    settings = book.setdefault("print", {}) or {}
    if pdfx:
        settings["pdfx"] = pdfx
    if "marks" in flags:
        settings["marks"] = True
    book["print"] = settings
    (root / "book.yaml").write_text(yaml.safe_dump(book, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def build(root: Path, out: Path) -> tuple[Path, Path]:
    interior, cover = out / "interior.pdf", out / "cover.pdf"
    for command in (["compile", str(root), "-o", str(interior), "--quiet"], ["cover", str(root), "-o", str(cover)]):
        done = subprocess.run(BOOKPRESS + command, capture_output=True, text=True)
        if done.returncode not in (0, 1):  # 1: preflight errors, the file is written beside (not-ready)
            raise SystemExit(f"bookpress {' '.join(command)} failed:\n{done.stderr}")
    not_ready = interior.with_name("interior.not-ready.pdf")
    return (interior if interior.exists() else not_ready), cover


def pdf_facts(pdf: Path) -> dict:
    import pikepdf

    facts: dict = {}
    with pikepdf.open(pdf) as document:
        facts["pdfx"] = str(document.docinfo.get("/GTS_PDFXVersion", "none"))
        facts["subject"] = str(document.docinfo.get("/Subject", ""))
        facts["id0"] = bytes(document.trailer.ID[0]).hex() if "/ID" in document.trailer else None
        intents = document.Root.get("/OutputIntents")
        facts["registry"] = str(intents[0].get("/RegistryName", "")) if intents else None
        facts["condition"] = str(intents[0].get("/OutputConditionIdentifier", "")) if intents else None
        xmp = document.Root.Metadata.read_bytes().decode("utf-8") if "/Metadata" in document.Root else ""
        facts["xmp_description"] = bool(re.search(r"<dc:description>", xmp))
        facts["document_id"] = _tag(xmp, "xmpMM:DocumentID")
        facts["instance_id"] = _tag(xmp, "xmpMM:InstanceID")
        grey = set()
        for index, page in enumerate(document.pages):
            for image in page.get_images().values():
                if image.get("/ColorSpace") == pikepdf.Name.DeviceGray:
                    grey.add(index + 1)
        facts["device_gray_pages"] = sorted(grey)
    return facts


def _tag(xmp: str, name: str) -> str | None:
    found = re.search(rf"<{name}>([^<]*)</{name}>", xmp)
    return found.group(1) if found else None


def lowest_ppi(pdf: Path) -> float | None:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    values = [min(float(row.split()[12]), float(row.split()[13])) for row in listing.splitlines()[2:] if row.split()]
    return min(values) if values else None


def text_distances(pdf: Path) -> list[tuple[int, float, str]]:
    """(page, nearest distance to the trim in points, word) for each page with text, by pdftotext -bbox."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        boxes = [([float(v) for v in page.obj.MediaBox], [float(v) for v in page.obj.TrimBox])
                 for page in document.pages]
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    result = []
    for number, page in enumerate(html.split("<page ")[1:]):
        media, trim = boxes[number]
        nearest, word = None, ""
        for match in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)',
                                 page):
            x0, y0, x1, y1 = (float(match.group(i)) for i in range(1, 5))
            # pdftotext measures from the media's top left; the trim box is in PDF space (y up)
            left, right = x0 - trim[0], trim[2] - x1
            top, bottom = y0 - (media[3] - trim[3]), (media[3] - trim[1]) - y1
            gap = min(left, right, top, bottom)
            if nearest is None or gap < nearest:
                nearest, word = gap, match.group(5)
        if nearest is not None:
            result.append((number + 1, nearest, word))
    return result


def placed_photos(root: Path, printer: str) -> list[tuple[int, object]]:
    """(page index, PlacedImage) for every photo the layout placed: which source, which crop, where."""
    sys.path.insert(0, str(REPO))
    from bookpress.book import PlacedImage
    from bookpress.options import Request
    from bookpress.pipeline import load_and_lay_out

    _, _, book = load_and_lay_out(root, Request(printer=printer, jobs=1))
    return [(page.index, item) for page in book.pages for item in page.items if isinstance(item, PlacedImage)]


def source_pixels(path: Path, crop: tuple[float, float, float, float], size: tuple[int, int]
                  ) -> tuple[Image.Image, bytes | None]:
    """The source photo, upright, cut to `crop` (upright pixels) and area-averaged to `size`; its ICC profile."""
    with Image.open(path) as im:
        profile = im.info.get("icc_profile")
        im = ImageOps.exif_transpose(im)
        im = im if im.mode in ("RGB", "L", "CMYK") else im.convert("RGB")
        return im.resize(size, Image.Resampling.BOX, box=crop), profile


def compare_placement(render: Image.Image, item, media: list[float], trim: list[float], dpi: float,
                      intent: Path) -> float:
    """Mean CIEDE2000 between a photo as rendered on its page and the source resized to the same pixels.

    The comparison keeps 2 pixels off each edge of the placement (anti-aliasing), and both sides
    are area-averaged to at most COMPARE_SIDE pixels so that a pixel's misregistration does not count.
    """
    scale = dpi / INCH
    origin_x, origin_y = trim[0], media[3] - trim[3]  # the trim's top left on the media, y down
    rect = item.rect
    box = (math.ceil((origin_x + rect.x) * scale) + 2, math.ceil((origin_y + rect.y) * scale) + 2,
           math.floor((origin_x + rect.right) * scale) - 2, math.floor((origin_y + rect.bottom) * scale) - 2)
    box = (max(box[0], 0), max(box[1], 0), min(box[2], render.width), min(box[3], render.height))
    crop = render.crop(box)
    factor = max(1, -(-max(crop.size) // COMPARE_SIDE))
    size = (max(1, crop.width // factor), max(1, crop.height // factor))
    printed = to_lab(crop.resize(size, Image.Resampling.BOX), intent)
    left, top, right, bottom = item.crop

    def across(px: float) -> float:
        return left + ((px / scale - origin_x - rect.x) / rect.width) * (right - left)

    def down(py: float) -> float:
        return top + ((py / scale - origin_y - rect.y) / rect.height) * (bottom - top)

    source, profile = source_pixels(item.photo.image.path, (across(box[0]), down(box[1]), across(box[2]),
                                                            down(box[3])), size)
    usable = profile if source.mode == "RGB" else None  # bookpress reads untagged grey as sRGB's neutral
    return float(delta_e(to_lab(source, usable), printed).mean())


def inside_bleed(render: Image.Image, bleed: list[float], media: list[float], dpi: float) -> Image.Image:
    """The part of a rendered page inside its BleedBox: what is printed and kept (crop marks lie outside,
    in registration colour, which is every ink at 100%)."""
    scale = dpi / INCH
    return render.crop((math.floor(bleed[0] * scale), math.floor((media[3] - bleed[3]) * scale),
                        math.ceil(bleed[2] * scale), math.ceil((media[3] - bleed[1]) * scale)))


def audit_pdf(pdf: Path, root: Path, printer: str, ppi: int, limit: int | None,
              work: Path, photos: bool = True) -> dict:
    import pikepdf

    work.mkdir(parents=True, exist_ok=True)
    facts = pdf_facts(pdf)
    intent = output_intent_profile(pdf, work / "intent.icc") if facts["pdfx"] != "none" else None
    with pikepdf.open(pdf) as document:
        boxes = [([float(v) for v in page.obj.MediaBox], [float(v) for v in page.obj.TrimBox])
                 for page in document.pages]
        bleeds = [[float(v) for v in page.obj.BleedBox] for page in document.pages]
    result = dict(facts)
    result["lowest_ppi"] = lowest_ppi(pdf)
    texts = text_distances(pdf)
    if texts:
        page, gap, word = min(texts, key=lambda row: row[1])
        result["nearest_text_in"] = round(gap / INCH, 3)
        result["nearest_text"] = f"p{page} '{word}'"
    if intent is None:
        return result
    pages = render_cmyk(pdf, work / "ink", ppi, intent_profile=intent)
    peaks = [float(total_ink(inside_bleed(Image.open(path), bleed, media, ppi)).max())
             for path, bleed, media in zip(pages, bleeds, (m for m, _ in boxes))]
    result["ink_max"] = round(max(peaks), 1)
    if limit is not None:
        result["ink_pages_over"] = [i + 1 for i, peak in enumerate(peaks) if peak > limit + 1]
    if not photos:
        return result
    errors = {}
    for index, item in placed_photos(root, printer):
        media, trim = boxes[index]
        with Image.open(pages[index]) as render:
            render.load()
            name = f"p{index + 1} {item.photo.image.path.name}"
            errors[name] = round(compare_placement(render, item, media, trim, ppi, intent), 2)
    result["delta_e_mean"] = round(float(np.mean(list(errors.values()))), 2) if errors else None
    result["delta_e"] = errors
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manuscript", type=Path, default=REPO / "manuscript")
    parser.add_argument("--out", type=Path, default=Path("/tmp/bookpress-audit"))
    parser.add_argument("variants", nargs="*", default=["generic-x1a", "ingramspark", "generic"])
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from bookpress.load.printers import PRESETS

    report = {}
    for variant in args.variants:
        out = args.out / variant
        out.mkdir(parents=True, exist_ok=True)
        root = prepare_variant(args.manuscript, variant, out)
        interior, cover = build(root, out)
        book = yaml.safe_load((root / "book.yaml").read_text(encoding="utf-8"))
        printer, ppi = book["printer"], int((book.get("print") or {}).get("ppi", 300))
        pdfx = (book.get("print") or {}).get("pdfx") or PRESETS[printer].pdfx
        limit = PRESETS[printer].ink_limit if pdfx == "x1a" else None
        entry = {"interior": audit_pdf(interior, root, printer, ppi, limit, out),
                 "cover": audit_pdf(cover, root, printer, ppi, limit, out / "cover", photos=False)}
        entry["safety_in"] = round(PRESETS[printer].safety / INCH, 3)
        entry["ink_limit"] = limit
        report[variant] = entry
        print(f"== {variant}: {json.dumps(entry, indent=1)}")
    (args.out / "audit.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
