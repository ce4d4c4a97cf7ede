"""`bookpress cover`: the wrap's size from the final page count, spine text threshold, barcode area, photo."""

from __future__ import annotations

from dataclasses import replace

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import image_placements, print_manuscript, word_boxes
from typer.testing import CliRunner

from bookpress.cli import app
from bookpress.load.printers import INCH, PRESETS
from bookpress.preflight import CHECKS
from bookpress.products.cover import build_cover

TOL = 0.05


def boxes(path) -> tuple[list[float], list[float], list[float]]:
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        return tuple([float(v) for v in page.obj[k]] for k in ("/MediaBox", "/BleedBox", "/TrimBox"))


def on_sheet(geometry, rect) -> tuple[float, float, float, float]:
    """A rect of the wrap (trim coordinates, y down) as (x0, y0, x1, y1) in the PDF's points (y up, bleed included)."""
    b, height = geometry.bleed, geometry.height
    return rect.x + b, height - (rect.bottom + b), rect.right + b, height - (rect.y + b)


def text_in(path, rect) -> str:
    """Text inside a rect given as (x0, y0, x1, y1) in PDF points."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0]
        return page.get_textpage().get_text_bounded(*rect).strip()
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def kdp_book(tmp_path_factory):
    return print_manuscript(tmp_path_factory.mktemp("cover") / "book", "kdp")  # its image cache serves every test


def test_kdp_cover_width_follows_the_formula_for_the_final_page_count(kdp_book, tmp_path):
    from bookpress.options import Request
    from bookpress.pipeline import compile_book

    pages = len(compile_book(kdp_book, Request(jobs=1, output=tmp_path / "b.pdf")).book.pages)
    result = build_cover(kdp_book)
    media, bleed, trim = boxes(result.pdf)
    spine = pages * 0.002252
    assert result.pages == pages
    assert media[2] / INCH == pytest.approx(0.125 + 6 + spine + 6 + 0.125, abs=0.001)
    assert media[3] / INCH == pytest.approx(9 + 0.25, abs=0.001)
    assert bleed == pytest.approx(media)
    assert trim == pytest.approx([9, 9, media[2] - 9, media[3] - 9], abs=TOL)
    assert result.spine_in == pytest.approx(spine)


@pytest.mark.parametrize("paper, caliper", [("cream", 0.0025), ("coated", 0.002347)])
def test_kdp_spine_depends_on_the_paper(tmp_path, paper, caliper):
    root = print_manuscript(tmp_path / "book", "kdp", extra=f"paper: {paper}\n")
    result = build_cover(root)
    assert result.spine_in == pytest.approx(result.pages * caliper)


def test_lulu_spine_is_pages_over_444_plus_006(tmp_path):
    result = build_cover(print_manuscript(tmp_path / "book", "lulu"))
    assert result.spine_in == pytest.approx(result.pages / 444 + 0.06)
    media, _, _ = boxes(result.pdf)
    assert media[2] / INCH == pytest.approx(2 * 0.125 + 2 * 6 + result.pages / 444 + 0.06, abs=0.001)


def test_a_manuscript_caliper_overrides_the_approximate_one(tmp_path):
    plain = build_cover(print_manuscript(tmp_path / "a", "generic"))
    assert any("approximate" in note.message for note in plain.notes)
    given = build_cover(print_manuscript(tmp_path / "b", "generic", extra="print: {caliper: 0.004}\n"))
    assert given.spine_in == pytest.approx(given.pages * 0.004)
    assert not any("approximate" in note.message for note in given.notes)


def test_no_spine_text_below_the_threshold(kdp_book):
    result = build_cover(kdp_book)
    assert result.pages < 79 and not result.spine_text
    x0, _, x1, _ = on_sheet(result.geometry, result.geometry.spine_rect())
    assert text_in(result.pdf, (x0, 0, x1, result.geometry.height)) == ""
    assert any("no text on the spine" in note.message for note in result.notes)


def test_spine_text_from_the_threshold_keeps_a_sixteenth_from_each_fold(tmp_path, monkeypatch):
    kdp = PRESETS["kdp"]
    monkeypatch.setitem(PRESETS, "kdp", replace(kdp, spine=replace(kdp.spine, text_min_pages=10)))
    # Just wide enough for 6 pt type between the two 1/16 in clearances (0.23 in for its 12 pages).
    root = print_manuscript(tmp_path / "book", "kdp", extra="print: {caliper: 0.0188}\n")
    result = build_cover(root)
    assert 0.2 < result.spine_in < 0.25 and result.spine_text
    x0, _, x1, _ = on_sheet(result.geometry, result.geometry.spine_rect())
    text = text_in(result.pdf, (x0 - 0.5, 0, x1 + 0.5, result.geometry.height))
    assert "Print Test" in text.replace("\r", "").replace("\n", "")
    spine = [box for box in word_boxes(result.pdf)[0] if box[0] > x0 - 5 and box[2] < x1 + 5]
    assert spine, "pdftotext found no words on the spine"
    nearest = min(min(left - x0, x1 - right) for left, _, right, _, _ in spine)
    assert nearest >= 0.0625 * INCH - 0.01, f"spine text {nearest / INCH:.4f} in from a fold"


def test_no_spine_text_where_the_spine_is_too_narrow_for_it(kdp_book, monkeypatch):
    """Past the page threshold but 0.05 in wide: 6 pt type would come nearer a fold than 1/16 in."""
    kdp = PRESETS["kdp"]
    monkeypatch.setitem(PRESETS, "kdp", replace(kdp, spine=replace(kdp.spine, text_min_pages=10)))
    result = build_cover(kdp_book)
    assert result.spine_in < 0.2 and not result.spine_text
    x0, _, x1, _ = on_sheet(result.geometry, result.geometry.spine_rect())
    assert text_in(result.pdf, (x0, 0, x1, result.geometry.height)) == ""
    assert any("no room" in note.message and "0.0625 in from each fold" in note.message for note in result.notes)


def test_barcode_area_is_kept_clear_and_the_back_text_is_there(kdp_book):
    result = build_cover(kdp_book)
    bar = result.barcode
    back = result.geometry.back()
    # KDP: 2 x 1.2 in, 0.25 in from the spine fold and from the bottom trim, moved in to KDP's safety
    # (0.375 in) so that the digits under the bars keep the rule all cover text keeps.
    assert (bar.width / INCH, bar.height / INCH) == pytest.approx((2.0, 1.2))
    assert (back.right - bar.right) / INCH == pytest.approx(0.375)
    assert (back.bottom - bar.bottom) / INCH == pytest.approx(0.375)
    x0, y0, x1, y1 = on_sheet(result.geometry, bar)
    assert text_in(result.pdf, (x0, y0, x1, y1)) == ""
    pdf = pdfium.PdfDocument(str(result.pdf))
    image = pdf[0].render(scale=36 / 72).to_pil().convert("RGB")
    pdf.close()
    s, height = 36 / 72, result.geometry.height
    region = image.crop((int(x0 * s) + 1, int((height - y1) * s) + 1, int(x1 * s) - 1, int((height - y0) * s) - 1))
    assert min(min(band) for band in region.getextrema()) >= 250  # bare paper
    assert "printers" in text_in(result.pdf, on_sheet(result.geometry, back))


def test_front_photo_runs_into_the_bleed_above_the_title_panel(kdp_book):
    result = build_cover(kdp_book)
    front = on_sheet(result.geometry, result.geometry.front())
    with pikepdf.open(result.pdf) as pdf:
        (image, rect), = image_placements(pdf, pdf.pages[0])
    media_w, media_h = result.geometry.width, result.geometry.height
    assert rect[0] == pytest.approx(front[0], abs=TOL)  # from the spine fold ...
    assert rect[2] >= media_w - TOL and rect[3] >= media_h - TOL  # ... to the bleed at the head and the outer edge
    # ... down to the panel of paper that carries the title: the photo has no type over it.
    panel = (front[0], 0, media_w, rect[1] - TOL)
    assert 0.25 * media_h < rect[1] < 0.4 * media_h
    assert text_in(result.pdf, panel).replace("\r\n", " ").startswith("Print Test")
    assert text_in(result.pdf, (front[0], rect[1] + TOL, media_w, media_h)) == ""


def test_ingramspark_cover_is_x1a_with_cmyk_photo(tmp_path):
    result = build_cover(print_manuscript(tmp_path / "book", "ingramspark"))
    with pikepdf.open(result.pdf) as pdf:
        (image, _), = image_placements(pdf, pdf.pages[0])
        assert image.ColorSpace == pikepdf.Name.DeviceCMYK
        assert str(pdf.docinfo.GTS_PDFXConformance) == "PDF/X-1a:2001"
        assert len(pdf.Root.OutputIntents) == 1


def test_cover_command(kdp_book, tmp_path):
    out = tmp_path / "cover.pdf"
    result = CliRunner().invoke(app, ["cover", str(kdp_book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "spine" in result.output


def test_cover_photo_missing_is_a_manuscript_error(tmp_path):
    root = print_manuscript(tmp_path / "book", "kdp")
    (root / "book.yaml").write_text((root / "book.yaml").read_text().replace("photos/big.jpg", "photos/nope.jpg"))
    result = CliRunner().invoke(app, ["cover", str(root)])
    assert result.exit_code == 1
    assert "book.yaml:6" in result.output and "nope.jpg" in result.output and "Traceback" not in result.output


def test_the_cover_is_preflighted_like_the_interior_with_its_own_report(tmp_path):
    import json

    root = print_manuscript(tmp_path / "book", "ingramspark")
    book_yaml = root / "book.yaml"
    book_yaml.write_text(book_yaml.read_text().replace("cover: {photo: photos/big.jpg", "cover: {photo: photos/small.jpg"))
    result = build_cover(root)
    report = result.preflight
    assert report is not None and report.pages == 1
    measured = dict(report.measured)
    # the 300 x 200 px front photo over a 6.25 x 9.25 in panel: far under 300 ppi, and said so
    assert report.status("resolution") == "warning" and "small.jpg" in report.findings[0].message
    assert measured["ink"].startswith("highest ") and "(limit 240%)" in measured["ink"]
    assert float(measured["ink"].split()[1].rstrip("%")) <= 240.0
    assert report.status("fonts") == "ok" and report.status("boxes") == "ok" and report.status("safe-area") == "ok"
    assert all(measured.get(check) for check in CHECKS), measured  # every row says what it measured, or why not
    written = json.loads(result.pdf.with_name(result.pdf.stem + ".preflight.json").read_text())
    assert written["pages"] == 1 and written["pdf"] == str(result.pdf)
    assert {c["check"]: c["status"] for c in written["checks"]}["resolution"] == "warning"


def test_cover_text_nearer_a_fold_than_allowed_is_reported(kdp_book):
    """The cover's text check can fail: a blurb line moved onto the spine fold, a spine line near a fold."""
    from dataclasses import replace as moved

    from bookpress.book import PlacedText
    from bookpress.options import Request
    from bookpress.pipeline import load_and_lay_out
    from bookpress.preflight.cover_checks import check_cover_text
    from bookpress.products.cover import barcode_area, cover_geometry, lay_out_cover

    manuscript, options, book = load_and_lay_out(kdp_book, Request(jobs=1))
    geometry = cover_geometry(manuscript, options.preset, len(book.pages))
    wrap = lay_out_cover(manuscript, options, geometry, barcode_area(geometry, options.preset), False).book
    folds = (geometry.spine_rect().x, geometry.spine_rect().right)
    measured: dict[str, str] = {}
    assert check_cover_text(wrap, options.preset.safety, folds, measured) == []
    page = wrap.pages[0]
    line = next(i for i in page.items if isinstance(i, PlacedText) and i.role == "cover" and i.x < folds[0])
    near = moved(line, x=folds[0] - line.width - 10)  # 10 pt from the spine fold
    spine = moved(line, x=folds[0] + 2, baseline=100.0, role="spine", angle=90.0)  # 2 pt from the left fold
    wrap = moved(wrap, pages=(moved(page, items=page.items + (near, spine)),))
    findings = check_cover_text(wrap, options.preset.safety, folds, measured)
    messages = " | ".join(f.message for f in findings)
    assert "(cover) is 0.1389 in from the spine fold, nearer than 0.375 in" in messages
    assert "(spine) runs past the right fold" in messages  # a blurb-sized line does not fit a 0.05 in spine
    assert measured["safe-area"].startswith("tightest: spine")
