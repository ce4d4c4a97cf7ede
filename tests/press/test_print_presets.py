"""Printer presets on real output: page = trim + bleed as each printer says, full bleed, image resolution."""

from __future__ import annotations

import json

import pikepdf
import pytest
from conftest import image_placements, lay_out, print_manuscript
from typer.testing import CliRunner

from bookpress.cli import app
from bookpress.load.printers import INCH, MM, PRESETS

PRESET_NAMES = ["generic", "kdp", "ingramspark", "lulu", "blurb"]
TRIMS_PT = {"generic": (148 * MM, 210 * MM), "kdp": (6 * INCH, 9 * INCH), "ingramspark": (6 * INCH, 9 * INCH),
            "lulu": (6 * INCH, 9 * INCH), "blurb": (8 * INCH, 10 * INCH)}
BLEED_PT = {"generic": 3 * MM, "kdp": 0.125 * INCH, "ingramspark": 0.125 * INCH, "lulu": 0.125 * INCH,
            "blurb": 0.125 * INCH}
TOL = 0.05


def box(page: pikepdf.Page, name: str) -> list[float]:
    return [float(v) for v in page.obj[name]]


@pytest.mark.parametrize("printer", PRESET_NAMES)
def test_every_page_is_trim_plus_the_printers_bleed(printed, printer):
    result = printed(printer)
    width, height = TRIMS_PT[printer]
    bleed = BLEED_PT[printer]
    with pikepdf.open(result.pdf) as pdf:
        for index, page in enumerate(pdf.pages):
            media, bleed_box, trim = box(page, "/MediaBox"), box(page, "/BleedBox"), box(page, "/TrimBox")
            inside_bleed = 0.0 if printer == "kdp" else bleed  # KDP: top, bottom and outside only
            assert media[2] - media[0] == pytest.approx(width + bleed + inside_bleed, abs=TOL), index
            assert media[3] - media[1] == pytest.approx(height + 2 * bleed, abs=TOL), index
            assert bleed_box == pytest.approx(media, abs=TOL)
            assert trim[2] - trim[0] == pytest.approx(width, abs=TOL)
            assert trim[3] - trim[1] == pytest.approx(height, abs=TOL)
            recto = index % 2 == 0
            left_bleed = trim[0] - media[0]
            assert left_bleed == pytest.approx(inside_bleed if recto else bleed, abs=TOL), index


def test_kdp_page_size_is_the_documented_formula(printed):
    with pikepdf.open(printed("kdp").pdf) as pdf:
        media = box(pdf.pages[0], "/MediaBox")
    assert (media[2] / INCH, media[3] / INCH) == pytest.approx((6 + 0.125, 9 + 0.25), abs=0.001)


@pytest.mark.parametrize("printer", PRESET_NAMES)
def test_full_bleed_photo_reaches_the_bleed_box_edges(printed, printer):
    result = printed(printer)
    page_index = next(p.index for p in result.book.pages if p.kind == "full-bleed")
    with pikepdf.open(result.pdf) as pdf:
        page = pdf.pages[page_index]
        (image, rect), = image_placements(pdf, page)
        bleed = box(page, "/BleedBox")
    assert rect[0] <= bleed[0] + TOL and rect[1] <= bleed[1] + TOL
    assert rect[2] >= bleed[2] - TOL and rect[3] >= bleed[3] - TOL


@pytest.mark.parametrize("printer", PRESET_NAMES)
def test_oversized_photo_is_embedded_at_about_300_ppi(printed, printer):
    result = printed(printer)
    page_index = next(p.index for p in result.book.pages if p.kind == "full-bleed")
    with pikepdf.open(result.pdf) as pdf:
        (image, rect), = image_placements(pdf, pdf.pages[page_index])
        ppi_x = int(image.Width) / ((rect[2] - rect[0]) / INCH)
        ppi_y = int(image.Height) / ((rect[3] - rect[1]) / INCH)
    # 3000 x 4000 px on a page of at most 8.25 x 10.25 in is well over 300 ppi before resampling.
    assert min(ppi_x, ppi_y) == pytest.approx(300, abs=4)


def test_x1a_preset_images_are_cmyk_and_others_keep_rgb(printed):
    for printer, space in (("ingramspark", "/DeviceCMYK"), ("kdp", "/DeviceRGB"), ("generic", "/ICCBased")):
        with pikepdf.open(printed(printer).pdf) as pdf:
            page = next(p for p in pdf.pages if image_placements(pdf, p))
            image, _ = image_placements(pdf, page)[0]
            found = image.ColorSpace[0] if isinstance(image.ColorSpace, pikepdf.Array) else image.ColorSpace
            assert str(found) == space, printer


def test_a_trim_the_printer_does_not_offer_is_an_error_on_its_line(tmp_path):
    root = print_manuscript(tmp_path / "book", "kdp", trim="a5")
    result = CliRunner().invoke(app, ["check", str(root), "--quiet"])
    assert result.exit_code == 1
    assert "book.yaml:4:" in result.output and "does not print the trim 'a5'" in result.output
    assert "6x9in" in result.output  # the hint lists what KDP offers
    assert "Traceback" not in result.output


def test_kdp_refuses_crop_marks(tmp_path):
    root = print_manuscript(tmp_path / "book", "kdp", extra="print: {marks: true}\n")
    result = CliRunner().invoke(app, ["compile", str(root), "--quiet"])
    assert result.exit_code == 1
    assert "does not accept crop marks" in result.output
    assert not (root / "build" / "print-test.pdf").exists()


def test_kdp_gutter_widens_when_the_page_count_crosses_a_band(tmp_path, monkeypatch):
    from dataclasses import replace


    # A band at 8 pages stands in for KDP's 150 so that a small book crosses it.
    kdp = replace(PRESETS["kdp"], inside_by_pages=((8, 0.375 * INCH), (828, 0.9 * INCH)))
    monkeypatch.setitem(PRESETS, "kdp", kdp)
    root = print_manuscript(tmp_path / "book", "kdp", extra="format: {trim: 6x9in, margins: {inside: 0.3in}}\n")
    (root / "book.yaml").write_text((root / "book.yaml").read_text().replace("format: {trim: 6x9in}\n", ""))
    book = lay_out(root)
    assert len(book.pages) > 8
    assert book.geometry.margins.inside == pytest.approx(0.9 * INCH)
    assert any("inside margin widened" in note.message for note in book.notes)
    for page in book.pages:
        for item in page.items:
            if getattr(item, "role", "") == "body":
                gap = item.x if page.side == "recto" else TRIMS_PT["kdp"][0] - (item.x + item.width)
                assert gap >= 0.9 * INCH - 0.5, (page.label, item.text)


def test_crop_marks_lie_outside_the_bleed_and_keep_the_boxes(tmp_path):
    from bookpress.options import Request
    from bookpress.pipeline import compile_book

    root = print_manuscript(tmp_path / "book", "generic", extra="print: {marks: true}\n")
    result = compile_book(root, Request(jobs=1))
    width, height = TRIMS_PT["generic"]
    with pikepdf.open(result.pdf) as pdf:
        page = pdf.pages[0]
        media, bleed, trim = box(page, "/MediaBox"), box(page, "/BleedBox"), box(page, "/TrimBox")
        marks = [operands for operands, op in pikepdf.parse_content_stream(page) if str(op) in ("m", "l")]
    assert trim[2] - trim[0] == pytest.approx(width, abs=TOL) and trim[3] - trim[1] == pytest.approx(height, abs=TOL)
    assert bleed[2] - bleed[0] == pytest.approx(width + 2 * BLEED_PT["generic"], abs=TOL)
    assert all(m - b >= 12 - TOL for m, b in zip((bleed[0], bleed[1]), (media[0], media[1])))
    points = [(float(x), float(y)) for x, y in marks]
    assert len(points) == 16  # two lines at each of four corners
    for x, y in points:
        outside = x < bleed[0] or x > bleed[2] or y < bleed[1] or y > bleed[3]
        assert outside, (x, y)
        assert media[0] <= x <= media[2] and media[1] <= y <= media[3]
    assert not result.preflight.failed()


def test_printer_on_the_command_line_overrides_book_yaml(tmp_path):
    root = print_manuscript(tmp_path / "book", "generic", trim="6x9in")
    result = CliRunner().invoke(app, ["compile", str(root), "--printer", "lulu", "-o", str(tmp_path / "o.pdf"),
                                      "--quiet"])
    with pikepdf.open(tmp_path / "o.not-ready.pdf") as pdf:
        media = box(pdf.pages[0], "/MediaBox")
    assert media[2] - media[0] == pytest.approx(6 * INCH + 0.25 * INCH, abs=TOL)
    assert result.exit_code == 1  # 12 pages: Lulu needs 32, and preflight says so
    assert "Page count" in result.output and "not ready for the printer" in result.output
    report = json.loads((tmp_path / "o.preflight.json").read_text())
    assert any("needs at least 32" in f["message"] for f in report["findings"] if f["check"] == "page-count")
    # the build is there to look at, beside (not over) where the good book goes
    assert (tmp_path / "o.not-ready.pdf").is_file() and not (tmp_path / "o.pdf").exists()
    assert "not ready for the printer" in result.output and "o.not-ready.pdf" in result.output


def test_a_build_that_fails_preflight_keeps_the_last_good_pdf(tmp_path):
    root = print_manuscript(tmp_path / "book", "generic", trim="6x9in")
    target = tmp_path / "o.pdf"
    first = CliRunner().invoke(app, ["compile", str(root), "-o", str(target), "--quiet"])
    assert first.exit_code == 0, first.output
    good = target.read_bytes()
    second = CliRunner().invoke(app, ["compile", str(root), "--printer", "lulu", "-o", str(target), "--quiet"])
    assert second.exit_code == 1
    assert target.read_bytes() == good
    assert (tmp_path / "o.not-ready.pdf").is_file()


def test_a_spread_reaches_lulu_as_two_single_pages(tmp_path):
    # Lulu takes single pages only, no spreads in the file: a panorama across the gutter is
    # written as its left and right pages, each trim plus bleed wide, the photo split between them.
    from bookpress.options import Request
    from bookpress.pipeline import compile_book

    root = print_manuscript(tmp_path / "book", "lulu")
    chapter = root / "chapters" / "one.yaml"
    chapter.write_text(chapter.read_text() + "  - spread: panorama\n    slots: {photo: {photo: photos/big.jpg}}\n")
    result = compile_book(root, Request(jobs=2))
    halves = [page.index for page in result.book.pages if page.kind == "spread"]
    assert len(halves) == 2 and halves[1] == halves[0] + 1 and halves[0] % 2 == 1  # verso, then recto
    width, _ = TRIMS_PT["lulu"]
    with pikepdf.open(result.pdf) as pdf:
        for index in halves:
            media = box(pdf.pages[index], "/MediaBox")
            assert media[2] - media[0] == pytest.approx(width + 2 * BLEED_PT["lulu"], abs=TOL)
            assert len(image_placements(pdf, pdf.pages[index])) == 1
