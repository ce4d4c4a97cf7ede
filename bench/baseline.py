"""A plan (placed photos + text) -> a PDF made the plainest fast way: the "practical limit".

This is what issue 5 measures bookpress against: reportlab + Pillow with no
framework around them. Every photo is draft-decoded by libjpeg at a reduced DCT
scale, cropped, resampled with Lanczos to the same pixel size bookpress prepares
(300 ppi at its placed size, never up), turned upright and encoded as JPEG q90 in
a 2-process pool; then reportlab flows the text through plain frames (platypus,
the same TrueType body font, no hyphenation) and draws the photos at their
placed rectangles, the prepared JPEGs handed over by path (no re-encoding).

Usage: python bench/baseline.py PLAN.json OUT.pdf
"""

from __future__ import annotations

import json
import sys
import tempfile
from multiprocessing import Pool
from pathlib import Path

from PIL import Image
from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph

rl_config.useA85 = 0  # pure-Python ASCII85 would dominate the run (see ARCHITECTURE.md)


def prepare(task: tuple[str, list[float], list[int], str]) -> str:
    source, box, size, out = task
    with Image.open(source) as im:
        orientation = im.getexif().get(0x0112, 1)
        stored = _stored_box(box, orientation, im.size)
        width, height = (size[1], size[0]) if orientation >= 5 else (size[0], size[1])
        scale = min((stored[2] - stored[0]) / width, (stored[3] - stored[1]) / height)
        full_width = im.width
        im.draft("RGB", (int(im.width / scale), int(im.height / scale)))
        factor = full_width / im.width
        stored = tuple(v / factor for v in stored)
        im = im.resize((width, height), Image.Resampling.LANCZOS, box=stored, reducing_gap=3.0)
        if orientation == 6:
            im = im.transpose(Image.Transpose.ROTATE_270)
        im.save(out, "JPEG", quality=90, optimize=True)
    return out


def _stored_box(box: list[float], orientation: int, size: tuple[int, int]) -> tuple[float, ...]:
    left, top, right, bottom = box
    w, h = size
    if orientation == 6:  # the only rotation the workload uses
        return (top, h - right, bottom, h - left)
    return (left, top, right, bottom)


def main(plan_path: str, out: str) -> None:
    plan = json.loads(Path(plan_path).read_text())
    with tempfile.TemporaryDirectory(prefix="baseline-") as folder:
        tasks = [(img["source"], img["box"], img["size"], f"{folder}/{n}.jpg")
                 for n, img in enumerate(img for page in plan["pages"] for img in page)]
        with Pool(2) as pool:
            files = pool.map(prepare, tasks, chunksize=1)
        _draw(plan, files, out)


def _draw(plan: dict, files: list[str], out: str) -> None:
    pdfmetrics.registerFont(TTFont("Body", plan["font"]))
    width, height = plan["page_size"]
    canvas = Canvas(out, pagesize=(width, height), invariant=1, pageCompression=1)
    style = ParagraphStyle("body", fontName="Body", fontSize=10.5, leading=14, alignment=4)
    story = [Paragraph(text, style) for text in plan["paragraphs"]]
    while story:
        Frame(56, 62, width - 112, height - 124, showBoundary=0).addFromList(story, canvas)
        canvas.showPage()
    images = iter(files)
    for page in plan["pages"]:
        for img in page:
            x, y, w, h = img["rect"]
            canvas.drawImage(next(images), x, height - y - h, w, h)
        canvas.showPage()
    canvas.save()


if __name__ == "__main__":
    main(*sys.argv[1:3])
