"""The compiled PDF checked as a printer and a reader would: boxes, labels, fonts, outline, links, pixels."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import photo, write
from PIL import Image, ImageChops

from bookpress.options import Request
from bookpress.pipeline import compile_book

MM = 72 / 25.4


def test_page_labels_match_printed_numbers(demo_pdf, demo_book):
    pdf = pdfium.PdfDocument(demo_pdf)
    assert len(pdf) == len(demo_book.pages)
    labels = [pdf.get_page_label(i) for i in range(len(pdf))]
    assert labels == [p.label for p in demo_book.pages]
    assert labels[0] == "i" and "1" in labels


def test_boxes_on_every_page(demo_pdf, demo_book):
    trim = demo_book.geometry.trim
    bleed = 3 * MM  # the generic printer preset
    with pikepdf.open(demo_pdf) as pdf:
        for page in pdf.pages:
            media = [float(v) for v in page.mediabox]
            trim_box = [float(v) for v in page.trimbox]
            bleed_box = [float(v) for v in page.obj.BleedBox]
            assert trim_box[2] - trim_box[0] == pytest.approx(trim.width, abs=0.01)
            assert trim_box[3] - trim_box[1] == pytest.approx(trim.height, abs=0.01)
            assert media[2] - media[0] == pytest.approx(trim.width + 2 * bleed, abs=0.01)
            assert trim_box[0] == pytest.approx(bleed, abs=0.01)
            assert bleed_box == media


def test_every_font_is_embedded_and_subset(demo_pdf):
    seen = 0
    with pikepdf.open(demo_pdf) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
                fonts = [obj] + list(obj.get("/DescendantFonts", []))
                for font in fonts:
                    if "/FontDescriptor" not in font:
                        continue
                    descriptor = font.FontDescriptor
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont
                    assert "+" in str(font.BaseFont), f"{font.BaseFont} is not subset"
                    seen += 1
                assert str(obj.get("/BaseFont")) not in ("/Helvetica", "/Times-Roman", "/Courier")
    assert seen >= 3


def test_outline_mirrors_the_contents(demo_pdf, demo_book):
    pdf = pdfium.PdfDocument(demo_pdf)
    toc = [(item.get_title(), item.get_dest().get_index(), item.level) for item in pdf.get_toc()]
    expected = [(e.title, e.page_index) for e in demo_book.outline]
    assert [(t, p) for t, p, _ in toc] == expected
    assert any(level == 1 for _, _, level in toc)


def test_contents_links_go_to_the_listed_pages(make_book, tmp_path):
    """PDF/X allows no annotations in the bleed box, so links are made when print.pdfx is none."""
    root = make_book(book_extra="print: {pdfx: none}\n")
    out = tmp_path / "linked.pdf"
    result = compile_book(root, Request(jobs=1, output=out))
    toc_page = next(p for p in result.book.pages if p.kind == "toc")
    with pikepdf.open(out) as pdf:
        annots = pdf.pages[toc_page.index].obj.Annots
        page_objs = [p.obj.objgen for p in pdf.pages]
        targets = []
        for annot in annots:
            dest = annot.get("/Dest") or annot.A.D
            if isinstance(dest, (pikepdf.Name, pikepdf.String)):
                dest = pdf.Root.Names.Dests if "/Names" in pdf.Root else pdf.Root.Dests[dest]
            targets.append(page_objs.index(dest[0].objgen))
    expected = [e.page_index for e in result.book.outline if result.book.pages[e.page_index].section != "front"]
    assert targets == expected


def test_metadata(demo_pdf):
    with pikepdf.open(demo_pdf) as pdf:
        assert str(pdf.docinfo["/Title"]) == "The USSR in the 1950s"
        assert "/Author" in pdf.docinfo
        assert str(pdf.Root.Lang) == "en"


def _render(pdf_path: Path, index: int, scale: float = 1.0) -> Image.Image:
    pdf = pdfium.PdfDocument(pdf_path)
    return pdf[index].render(scale=scale).to_pil().convert("RGB")


def _photo_page(root: Path, name: str) -> None:
    write(root / "book.yaml", "title: Pixels\nfront_matter: []\nback_matter: []\nprint: {pdfx: none}\n"
          "chapters: [c.yaml]\n")
    write(root / "c.yaml", f"title: P\nblocks:\n  - page: full-bleed\n    slots: {{photo: {{photo: {name}, fit: fit}}}}\n")


def _full_bleed_page(root: Path, out: Path) -> Image.Image:
    """Compile the one-photo book of _photo_page and render its full-bleed page at half size."""
    result = compile_book(root, Request(jobs=1, cache=False, output=out))
    page = next(p for p in result.book.pages if p.kind == "full-bleed")
    return _render(out, page.index, scale=0.5)


def _without_adobe_marker(jpeg: bytes) -> bytes:
    """The JPEG with its APP14 'Adobe' segment removed (what many non-Adobe tools write for CMYK)."""
    out, pos = bytearray(jpeg[:2]), 2
    while pos + 4 <= len(jpeg) and jpeg[pos] == 0xFF and jpeg[pos + 1] != 0xDA:  # up to the scan
        length = int.from_bytes(jpeg[pos + 2 : pos + 4], "big")
        if jpeg[pos + 1] != 0xEE:
            out += jpeg[pos : pos + 2 + length]
        pos += 2 + length
    return bytes(out + jpeg[pos:])


def test_exif_rotated_photo_is_placed_upright(tmp_path):
    # The upright picture is tall: red at the top, blue below. The file stores it turned 90° clockwise
    # (red on the right) with orientation 6 telling viewers to rotate it back.
    upright = Image.new("RGB", (600, 900), (0, 0, 255))
    upright.paste((255, 0, 0), (0, 0, 600, 300))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # a camera held upright writes it turned left
    exif = Image.Exif()
    exif[0x0112] = 6
    root = tmp_path / "m"
    (root / "photos").mkdir(parents=True)
    stored.save(root / "photos" / "turned.jpg", exif=exif.tobytes(), quality=95)
    _photo_page(root, "photos/turned.jpg")
    image = _full_bleed_page(root, tmp_path / "out.pdf")
    w, h = image.size
    top = image.getpixel((w // 2, int(h * 0.2)))
    bottom = image.getpixel((w // 2, int(h * 0.8)))
    assert top[0] > 180 and top[2] < 90, top  # red at the top
    assert bottom[2] > 180 and bottom[0] < 90, bottom  # blue at the bottom


@pytest.mark.parametrize("adobe", [False, True])
def test_cmyk_jpeg_keeps_its_colours(tmp_path, adobe):
    root = tmp_path / "m"
    (root / "photos").mkdir(parents=True)
    # pure yellow (C0 M0 Y100 K0) left, pure cyan (C100 M0 Y0 K0) right
    cmyk = Image.new("CMYK", (800, 600), (0, 0, 255, 0))
    cmyk.paste((255, 0, 0, 0), (400, 0, 800, 600))
    path = root / "photos" / "cmyk.jpg"
    if adobe:
        # Photoshop writes Adobe-marked CMYK JPEGs with inverted values; Pillow does the same on save.
        cmyk.save(path, quality=95)
    else:
        # Plain values and no Adobe marker: Pillow stores the inverse of what it is given, so the
        # inverted image is saved and the marker cut out.
        ImageChops.invert(cmyk).save(path, quality=95)
        path.write_bytes(_without_adobe_marker(path.read_bytes()))
        with Image.open(path) as check:
            assert check.mode == "CMYK" and "adobe" not in check.info
    _photo_page(root, "photos/cmyk.jpg")
    image = _full_bleed_page(root, tmp_path / "out.pdf")
    w, h = image.size
    yellow = image.getpixel((int(w * 0.3), h // 2))
    cyan = image.getpixel((int(w * 0.7), h // 2))
    assert yellow[0] > 200 and yellow[1] > 180 and yellow[2] < 100, yellow
    assert cyan[0] < 100 and cyan[1] > 120 and cyan[2] > 180, cyan


def test_caption_from_embedded_description(tmp_path):
    root = tmp_path / "m"
    exif = Image.Exif()
    exif[0x010E] = "Fishing boats drawn up on a pebble beach"
    photo(root / "photos" / "set" / "a.jpg", exif=exif.tobytes())
    photo(root / "photos" / "set" / "b.jpg", (800, 1200))
    write(root / "book.yaml", "title: Captions\nchapters: [c.yaml]\n")
    write(root / "c.yaml", "title: Set\nblocks:\n  - photoset: photos/set\n")
    out = tmp_path / "out.pdf"
    result = compile_book(root, Request(jobs=1, output=out))
    captions = " ".join(t.text for p in result.book.pages for t in p.items
                        if getattr(t, "role", None) == "caption")
    assert "Fishing boats drawn up on a pebble beach" in captions
    text = "".join(pdfium.PdfDocument(out)[i].get_textpage().get_text_range() for i in range(len(result.book.pages)))
    assert "Fishing boats drawn up" in text


def test_document_dates_say_when_the_manuscript_changed(make_book, tmp_path, monkeypatch):
    root = make_book()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    out = tmp_path / "dated.pdf"
    compile_book(root, Request(jobs=1, output=out))
    with pikepdf.open(out) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:20231114221320Z"
        assert str(pdf.docinfo["/ModDate"]) == "D:20231114221320Z"
        assert pdf.open_metadata()["xmp:CreateDate"].startswith("2023-11-14T22:13:20")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    import os

    os.utime(root / "book.yaml", (1710000000, 1710000000))  # 2024-03-09 16:00:00 UTC
    for path in root.rglob("*"):
        if path.is_file() and path != root / "book.yaml":
            os.utime(path, (1600000000, 1600000000))
    compile_book(root, Request(jobs=1, output=out))
    with pikepdf.open(out) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:20240309160000Z"


def test_the_contents_leader_dots_are_evenly_spaced_and_stop_before_the_page_number(demo_pdf, demo_book):
    toc = next(p for p in demo_book.pages if p.kind == "toc")
    pdf = pdfium.PdfDocument(demo_pdf)
    text = pdf[toc.index].get_textpage()
    chars = [(text.get_text_range(i, 1), text.get_charbox(i)) for i in range(text.count_chars())]
    lines: dict[float, list] = {}
    for char, (left, bottom, right, top) in chars:
        if char.strip():
            lines.setdefault(round(bottom), []).append((left, right, char))
    checked = 0
    for glyphs in lines.values():
        glyphs.sort()
        dots = [left for left, _, char in glyphs if char == "."]
        if len(dots) < 5:
            continue
        steps = [b - a for a, b in zip(dots, dots[1:])]
        assert max(steps) - min(steps) < 0.2, steps  # points: one pitch all along the leader
        number = [left for left, _, char in glyphs if char.isdigit() and left > dots[-1]]
        assert number and number[0] - dots[-1] > 3  # the number stands clear of the last dot
        checked += 1
    assert checked >= 5  # a line per chapter and section of the demo's contents
