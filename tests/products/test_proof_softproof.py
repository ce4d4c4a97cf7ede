"""The proof as a colour proof: photos soft-proofed for the printer, gamut and ink layers, marks kept off the photos."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import pdf_texts, run_cli
from PIL import Image, ImageChops, ImageStat

from bookpress.book import PlacedImage
from bookpress.images.softproof import GAMUT_COLOUR
from bookpress.options import Request
from bookpress.pipeline import load_and_lay_out
from bookpress.products.proof.marks import SLUG, draw_overlay, page_frames

EPOCH = "1780000000"


@pytest.fixture
def proofs(sample_book: Path, monkeypatch, tmp_path: Path) -> dict[str, Path]:
    """The sample proofed three ways: soft proof (default), with the gamut layer shown, and in screen colours."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    made = {}
    for name, flags in (("soft", ()), ("gamut", ("--gamut",)), ("plain", ("--no-soft-proof",))):
        made[name] = tmp_path / f"{name}.pdf"
        result = run_cli("proof", sample_book, "-o", made[name], "--no-report", "-q", "-j", "2", *flags)
        assert result.exit_code == 0, result.output
    return made


def photo_page(sample_book: Path) -> int:
    """The page whose photo has the most colours the press cannot print (the sample's noon photo)."""
    book = lay_out(sample_book)
    return next(page.index for page in book.pages for item in page.items
                if isinstance(item, PlacedImage) and item.photo.image.path.name == "02-noon.jpg")


def lay_out(root: Path):
    return load_and_lay_out(root, Request(jobs=1))[2]


def render(path: Path, index: int, scale: float = 1.0, transparent: bool = False) -> Image.Image:
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[index]
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 0) if transparent else (255, 255, 255, 255))
        return bitmap.to_pil().convert("RGBA" if transparent else "RGB")
    finally:
        document.close()


def green(im: Image.Image) -> int:
    distance = ImageChops.difference(im.convert("RGB"), Image.new("RGB", im.size, GAMUT_COLOUR)).convert("L")
    return distance.point(lambda v: 255 if v < 30 else 0).histogram()[255]


def test_photos_are_shown_as_the_press_will_print_them(sample_book: Path, proofs: dict[str, Path]) -> None:
    index = photo_page(sample_book)
    soft, plain = render(proofs["soft"], index), render(proofs["plain"], index)
    # Saturated colours lose chroma on paper: the soft proof's photo is measurably less colourful.
    chroma = [sum(ImageStat.Stat(im.convert("HSV").getchannel("S")).mean) for im in (soft, plain)]
    assert chroma[0] < chroma[1] - 5
    assert "soft proof: ISO Coated v2 300%" in pdf_texts(proofs["soft"])[index]
    assert "soft proof" not in pdf_texts(proofs["plain"])[index]


def test_gamut_and_ink_are_layers_a_viewer_switches(sample_book: Path, proofs: dict[str, Path]) -> None:
    index = photo_page(sample_book)
    for name, shown in (("soft", set()), ("gamut", {"Gamut warning"})):
        with pikepdf.open(proofs[name]) as pdf:
            properties = pdf.Root.OCProperties
            assert {str(g.Name) for g in properties.OCGs} == {"Gamut warning", "Total ink"}
            assert {str(g.Name) for g in properties.D.ON} == shown
            assert {str(g.Name) for g in properties.D.OFF} == {"Gamut warning", "Total ink"} - shown
            content = pdf.pages[index].Contents
            streams = content if isinstance(content, pikepdf.Array) else [content]
            text = b"".join(s.read_bytes() for s in streams)
            assert b"/OC /Layergamut BDC" in text and b"/OC /Layerink BDC" in text
    # Hidden, the warning is nowhere on the page; shown, it covers the colours the press cannot print.
    assert green(render(proofs["soft"], index)) == 0
    assert green(render(proofs["gamut"], index)) > 500
    with pikepdf.open(proofs["plain"]) as pdf:
        assert "/OCProperties" not in pdf.Root  # no soft proof, no layers


def test_the_marks_stay_off_the_photos(sample_book: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    manuscript, options, book = load_and_lay_out(sample_book, Request(jobs=1))
    options = options.for_proof()
    frames = page_frames(options, book)
    overlay = sample_book / "overlay.pdf"
    overlay.write_bytes(draw_overlay(manuscript, book, frames, options.identity(manuscript), guides=False))
    checked = 0
    for page, frame in zip(book.pages, frames):
        marks = render(overlay, page.index, transparent=True).getchannel("A")
        assert marks.crop((0, 0, marks.width, round(SLUG))).getextrema()[1] == 255, "the mark line is in the slug"
        for item in page.items:
            if isinstance(item, PlacedImage):
                rect = frame.place(item.rect)  # PDF space: y up from the media's foot
                # A pixel in from the photo's edge: the edge itself is shared by antialiasing.
                box = (max(0, round(rect.x) + 1), max(0, round(frame.height - rect.y - rect.height) + 1),
                       min(marks.width, round(rect.right) - 1), min(marks.height, round(frame.height - rect.y) - 1))
                assert marks.crop(box).getextrema()[1] == 0, f"nothing of the marks over the photo on {page.label}"
                checked += 1
    assert checked >= 8
    # Where there is no photo, the faint PROOF watermark is there.
    text_page = next(p for p in book.pages if p.kind == "toc")
    faint = render(overlay, text_page.index, transparent=True).getchannel("A")
    assert 0 < faint.crop((0, round(SLUG) + 4, faint.width, faint.height)).getextrema()[1] < 40


def test_proof_pages_carry_the_slug_above_the_print_pdfs_boxes(sample_book: Path, proofs: dict[str, Path]) -> None:
    assert run_cli("compile", sample_book, "-q", "-j", "2").exit_code == 0
    with pikepdf.open(sample_book / "build" / "sample-book.pdf") as printed, pikepdf.open(proofs["soft"]) as proof:
        for print_page, proof_page in zip(printed.pages, proof.pages):
            assert list(proof_page.trimbox) == list(print_page.trimbox)
            assert list(proof_page.bleedbox) == list(print_page.bleedbox)
            media, bleed = [float(v) for v in proof_page.mediabox], [float(v) for v in print_page.bleedbox]
            assert media[:3] == pytest.approx(bleed[:3]) and media[3] == pytest.approx(bleed[3] + SLUG)


def test_an_editions_proof_simulates_that_printers_press(sample_book: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    book_yaml = sample_book / "book.yaml"
    book_yaml.write_text(book_yaml.read_text() + "editions:\n  ingramspark: {printer: ingramspark}\n")
    result = run_cli("proof", sample_book, "--edition", "ingramspark", "--no-report", "-q", "-j", "2")
    assert result.exit_code == 0, result.output
    proof = sample_book / "build" / "sample-book-ingramspark-proof.pdf"
    assert "soft proof: bookpress CMYK 240%" in pdf_texts(proof)[0]


def test_the_spreads_view_keeps_the_layers_switchable(sample_book: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    index = photo_page(sample_book)
    sheet = (index + 1) // 2  # page 1 alone on the first sheet, then two pages a sheet
    for flags, shown in (((), False), (("--gamut",), True)):
        spreads = tmp_path / f"spreads-{shown}.pdf"
        result = run_cli("proof", sample_book, "--spreads", "-o", spreads, "--no-report", "-q", "-j", "2", *flags)
        assert result.exit_code == 0, result.output
        with pikepdf.open(spreads) as pdf:
            assert {str(g.Name) for g in pdf.Root.OCProperties.OCGs} == {"Gamut warning", "Total ink"}
        assert (green(render(spreads, sheet)) > 500) is shown
