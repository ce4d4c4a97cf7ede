"""The memory-flat renderer: photos embedded from the prepared files, at print resolution, pages intact."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import photo, write
from PIL import Image

from bookpress.images.prepare import ImageJob, prepare
from bookpress.load.probe import probe
from bookpress.options import Request
from bookpress.pipeline import compile_book
from bookpress.render.embed import embed_images, jpeg_head
from bookpress.render.standins import STAND_IN_PREFIX


def photo_book(root: Path, chapter: str, book_extra: str = "") -> Path:
    write(root / "book.yaml", f"title: Streamed\nauthor: A. Author\nchapters: [chapters/one.yaml]\n{book_extra}")
    write(root / "chapters" / "one.yaml", chapter)
    return root


def full_page(photo_path: str, fit: str = "fit") -> str:
    return f"  - page: photo-caption\n    slots: {{photo: {{photo: {photo_path}, fit: {fit}, caption: A photo.}}}}\n"


def pdfimages(pdf: Path) -> list[dict[str, str]]:
    """`pdfimages -list` as rows of {column: value}: what a person checks a print PDF with."""
    lines = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()
    header = lines[0].split()
    return [dict(zip(header, line.split())) for line in lines[2:]]


def scan_data(jpeg: bytes) -> bytes:
    """The compressed pixels of a JPEG, from its first scan on (what a re-encoding would change)."""
    return jpeg[jpeg_head(io.BytesIO(jpeg))[1]:]


def image_objects(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    return [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]


def test_photos_print_at_300_ppi_and_small_ones_are_not_upsampled(tmp_path):
    photo(tmp_path / "book" / "photos" / "big.jpg", (4000, 3000))
    photo(tmp_path / "book" / "photos" / "small.jpg", (600, 400), (150, 60, 20))
    root = photo_book(tmp_path / "book", "title: Sizes\nblocks:\n" + full_page("photos/big.jpg")
                      + full_page("photos/small.jpg"))
    out = tmp_path / "sizes.pdf"
    compile_book(root, Request(jobs=1, output=out))
    rows = pdfimages(out)
    assert len(rows) == 2
    big, small = sorted(rows, key=lambda row: -int(row["width"]))
    assert 298 <= int(big["x-ppi"]) <= 302 and 298 <= int(big["y-ppi"]) <= 302
    assert int(big["width"]) < 4000  # resampled down to what the page needs
    assert (int(small["width"]), int(small["height"])) == (600, 400)  # its own pixels, never more
    assert int(small["x-ppi"]) < 150


def test_prepared_jpegs_are_embedded_untouched_and_once_however_often_placed(tmp_path):
    photo(tmp_path / "book" / "photos" / "a.jpg", (2400, 1600))
    photo(tmp_path / "book" / "photos" / "b.jpg", (2400, 1600), (120, 30, 60))
    chapter = "title: Twice\nblocks:\n" + full_page("photos/a.jpg") + full_page("photos/b.jpg") + full_page("photos/a.jpg")
    root = photo_book(tmp_path / "book", chapter)
    out = tmp_path / "twice.pdf"
    compile_book(root, Request(jobs=1, output=out))
    prepared = {scan_data(path.read_bytes()) for path in (root / "build" / ".cache" / "images").glob("*.jpg")}
    with pikepdf.open(out) as pdf:
        images = image_objects(pdf)
        assert len(images) == 2  # a.jpg placed twice at one size: one object
        for image in images:
            assert image.Filter == pikepdf.Array([pikepdf.Name.DCTDecode])
            embedded = image.read_raw_bytes()
            assert scan_data(embedded) in prepared  # not decoded and re-encoded on the way in
            assert b"ICC_PROFILE" not in embedded[:100_000]  # metadata left out: the PDF says the colours
        used = [name for page in pdf.pages for name in page.Resources.get("/XObject", {}).keys()]
        assert len(used) == 3


def test_renderer_never_hands_pixels_to_reportlab_and_leaves_no_stand_ins(tmp_path, monkeypatch, make_book):
    from reportlab.pdfgen.canvas import Canvas

    def refuse(*args, **kwargs):
        raise AssertionError("reportlab would keep this image in memory until save")

    monkeypatch.setattr(Canvas, "drawImage", refuse)
    out = tmp_path / "book.pdf"
    result = compile_book(make_book(), Request(jobs=1, output=out))
    with pikepdf.open(out) as pdf:
        for page in pdf.pages:
            xobjects = page.Resources.get("/XObject", {})
            assert all(xobject.Subtype == "/Image" for xobject in xobjects.values())
        assert len(image_objects(pdf)) == 4
        assert len(pdf.pages) == len(result.book.pages)
    assert not list(out.parent.glob("*.drawn")) and not list(out.parent.glob("*.images"))


def test_streamed_book_keeps_boxes_fonts_outline_and_labels(tmp_path, make_book):
    out = tmp_path / "book.pdf"
    result = compile_book(make_book(), Request(jobs=2, output=out))
    with pikepdf.open(out) as pdf:
        for page in pdf.pages:
            assert "/TrimBox" in page.obj and "/BleedBox" in page.obj
        fonts = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"]
        assert fonts and all("/FontFile2" in font for font in fonts)
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert "First Light" in titles and "Second Chapter" in titles
        assert "/PageLabels" in pdf.Root
    document = pdfium.PdfDocument(out)
    labels = [document.get_page_label(i) for i in range(len(document))]
    assert labels == [page.label for page in result.book.pages]


def test_lossless_photo_keeps_its_colour_on_the_page(tmp_path):
    root = tmp_path / "book"
    (root / "photos").mkdir(parents=True)
    Image.new("RGB", (900, 600), (200, 40, 90)).save(root / "photos" / "flat.png")
    photo_book(root, "title: Flat\nblocks:\n" + full_page("photos/flat.png"))
    out = tmp_path / "flat.pdf"
    compile_book(root, Request(jobs=1, output=out))
    with pikepdf.open(out) as pdf:
        (image,) = image_objects(pdf)
        assert image.Filter in (pikepdf.Name.FlateDecode, pikepdf.Array([pikepdf.Name.FlateDecode]))
        page_index = next(i for i, page in enumerate(pdf.pages) if "/XObject" in page.Resources)
    page = pdfium.PdfDocument(out)[page_index]
    bitmap = page.render(scale=0.5).to_pil().convert("RGB")
    counts = [(n, colour) for n, colour in bitmap.getcolors(1 << 20) if colour != (255, 255, 255)]
    share, colour = max(counts)
    assert share > bitmap.width * bitmap.height / 5  # the photo, not a line of text
    assert all(abs(a - b) <= 3 for a, b in zip(colour, (200, 40, 90)))


def test_a_jpeg_already_at_size_is_used_as_it_is(tmp_path):
    source = photo(tmp_path / "exact.jpg", (800, 600), quality=95)
    info = probe(source)
    at_size = prepare(ImageJob(info, (0, 0, 800, 600), (800, 600), "rgb"), tmp_path / "cache")
    assert scan_data(at_size.read_bytes()) == scan_data(source.read_bytes())  # no second generation
    with Image.open(at_size) as im:
        assert im.info.get("icc_profile")  # tagged sRGB like every prepared RGB image
    smaller = prepare(ImageJob(info, (0, 0, 800, 600), (400, 300), "rgb"), tmp_path / "cache")
    with Image.open(smaller) as im:
        assert im.size == (400, 300)


def test_camera_metadata_does_not_reach_the_pdf(tmp_path):
    root = tmp_path / "book"
    exif = Image.Exif()
    exif[0x010F], exif[0x8825] = "CameraMaker", {2: (48.0, 51.0, 24.0)}  # Make, GPS latitude
    photo(root / "photos" / "cam.jpg", (1600, 1200), exif=exif.tobytes(), comment=b"secret note")
    photo_book(root, "title: Meta\nblocks:\n" + full_page("photos/cam.jpg"))
    out = tmp_path / "meta.pdf"
    compile_book(root, Request(jobs=1, output=out))
    data = out.read_bytes()
    assert b"CameraMaker" not in data and b"secret note" not in data


@pytest.mark.parametrize("mode, colour_space, decode", [
    ("RGB", "/DeviceRGB", None), ("L", "/DeviceGray", None), ("CMYK", "/DeviceCMYK", [1, 0, 1, 0, 1, 0, 1, 0]),
])
def test_stand_ins_become_image_objects_like_reportlabs(tmp_path, mode, colour_space, decode):
    from reportlab.pdfgen.canvas import Canvas

    jpeg = tmp_path / "p.jpg"
    Image.new(mode, (40, 30), {"RGB": (10, 200, 30), "L": 90, "CMYK": (0, 200, 200, 10)}[mode]).save(jpeg, quality=95)
    png = tmp_path / "p.png"
    Image.new("RGB", (20, 10), (1, 2, 3)).save(png)
    canvas = Canvas(str(tmp_path / "drawn.pdf"))
    for number in (0, 1):
        canvas.beginForm(f"{STAND_IN_PREFIX}{number}", 0, 0, 1, 1)
        canvas.endForm()
        canvas.doForm(f"{STAND_IN_PREFIX}{number}")
        canvas.showPage()
    canvas.save()
    embed_images(tmp_path / "drawn.pdf", [jpeg, png], tmp_path / "out.pdf")
    with pikepdf.open(tmp_path / "out.pdf") as pdf:
        image, lossless = (next(iter(page.Resources.XObject.values())) for page in pdf.pages)
        assert (image.Width, image.Height, image.ColorSpace) == (40, 30, colour_space)
        assert scan_data(image.read_raw_bytes()) == scan_data(jpeg.read_bytes())
        assert (list(image.Decode) if "/Decode" in image else None) == decode
        pixels = pikepdf.PdfImage(lossless).as_pil_image()
        assert pixels.size == (20, 10) and pixels.getpixel((5, 5)) == (1, 2, 3)
