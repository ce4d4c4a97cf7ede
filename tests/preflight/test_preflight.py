"""Preflight: `bookpress check`, the report after compile, and each check failing when it should."""

from __future__ import annotations

import io
import json

import pikepdf
import pytest
from conftest import edit, print_manuscript
from PIL import Image
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from bookpress.cli import app
from bookpress.preflight.pdf_checks import check_boxes, check_fonts, check_ink

runner = CliRunner()


def report_of(root) -> dict:
    return json.loads((root / "build" / "print-test.preflight.json").read_text())


def test_check_strict_reports_a_small_photo_on_a_full_page(tmp_path):
    root = print_manuscript(tmp_path / "book", "generic")
    relaxed = runner.invoke(app, ["check", str(root)])
    assert relaxed.exit_code == 0, relaxed.output  # warnings alone do not fail a plain check
    strict = runner.invoke(app, ["check", str(root), "--strict"])
    assert strict.exit_code == 1
    assert "Image resolution" in strict.output and "small.jpg" in strict.output
    findings = report_of(root)["findings"]
    small, = [f for f in findings if "small.jpg" in f["message"]]
    assert small["check"] == "resolution" and small["severity"] == "warning"
    assert small["where"].startswith("chapters/one.yaml:")
    assert 55 < float(small["message"].split(" at ")[1].split()[0]) < 80  # 300 px across the ~4.5 in type area
    assert not (root / "build" / "print-test.pdf").exists()  # check writes no PDF


def test_check_strict_passes_a_clean_book(tmp_path):
    root = print_manuscript(tmp_path / "book", "generic", extra="print: {min_ppi: 150}\n")
    chapter = root / "chapters" / "one.yaml"
    text = chapter.read_text()
    chapter.write_text(text[:text.index("  - page: photo-caption\n    slots: {photo: {photo: photos/small.jpg")])
    result = runner.invoke(app, ["check", str(root), "--strict"])
    assert result.exit_code == 0, result.output
    report = report_of(root)
    assert report["summary"] == {"errors": 0, "warnings": 0}
    assert {c["check"]: c["status"] for c in report["checks"]} == {
        "fonts": "ok", "resolution": "ok", "safe-area": "ok", "gutter": "ok", "page-count": "ok", "boxes": "ok",
        "repeat": "ok", "subject": "ok", "reversed": "ok", "isbn": "ok",
        "ink": "skipped"}


def test_compile_writes_the_report_beside_the_pdf(tmp_path):
    root = print_manuscript(tmp_path / "book", "ingramspark", extra="print: {min_ppi: 50}\n")
    result = runner.invoke(app, ["compile", str(root)])
    report = json.loads((root / "build" / "print-test.preflight.json").read_text())
    assert report["pdf"].endswith("print-test.not-ready.pdf") and report["printer"] == "ingramspark"  # it failed
    assert report["pdfx"] == "x1a"
    ink = next(c for c in report["checks"] if c["check"] == "ink")
    assert ink["status"] == "ok" and "limit 240%" in ink["measured"]
    assert result.exit_code == 1  # 12 pages: IngramSpark needs 18
    assert any(f["check"] == "page-count" and f["severity"] == "error" for f in report["findings"])


def test_text_near_the_edges_and_in_the_gutter_is_reported(tmp_path):
    margins = "format: {trim: a5, margins: {inside: 1mm, outside: 1.5mm, top: 9mm, bottom: 9mm}}\n"
    root = print_manuscript(tmp_path / "book", "generic", extra=margins)
    (root / "book.yaml").write_text((root / "book.yaml").read_text().replace("format: {trim: a5}\n", ""))
    runner.invoke(app, ["check", str(root)])
    findings = report_of(root)["findings"]
    checks = {(f["check"], f["severity"]) for f in findings}
    assert ("safe-area", "warning") in checks
    assert ("gutter", "warning") in checks
    assert any(f["check"] == "gutter" and f["page"] == "1" for f in findings)  # the chapter's first page
    photo = [f for f in findings if f["check"] == "gutter" and "dark.jpg" in f["message"]]
    assert photo and photo[0]["where"].startswith("chapters/one.yaml:")


def pdf_with_text(path, font: str | None = None) -> None:
    c = canvas.Canvas(str(path), pagesize=(200, 200))
    c.setFont(font or "Helvetica", 12)
    c.drawString(20, 100, "Hello")
    c.save()


def test_an_unembedded_font_is_an_error(tmp_path):
    pdf_with_text(tmp_path / "a.pdf")
    with pikepdf.open(tmp_path / "a.pdf") as pdf:
        findings = check_fonts(pdf)
    assert findings and findings[0].severity.value == "error" and "Helvetica" in findings[0].message


def test_embedded_fonts_pass(printed):
    with pikepdf.open(printed("generic").pdf) as pdf:
        assert check_fonts(pdf) == []


def test_a_missing_or_wrong_box_is_an_error(printed, tmp_path):
    result = printed("generic")
    with pikepdf.open(result.pdf) as pdf:
        assert check_boxes(pdf, result.book) == []
        del pdf.pages[1].obj.TrimBox
        trim = [float(v) for v in pdf.pages[2].obj.TrimBox]
        pdf.pages[2].obj.BleedBox = pikepdf.Array(trim)  # no bleed left
        findings = check_boxes(pdf, result.book)
    assert [f.page.index for f in findings] == [1, 2]
    assert [f.page.label for f in findings] == [result.book.pages[1].label, result.book.pages[2].label]
    assert "missing" in findings[0].message and "bleed" in findings[1].message


def test_an_image_over_the_ink_limit_is_an_error(tmp_path):
    im = Image.new("CMYK", (200, 200), (255, 255, 255, 255))
    data = io.BytesIO()
    im.save(data, "JPEG", quality=95)
    (tmp_path / "rich.jpg").write_bytes(data.getvalue())
    c = canvas.Canvas(str(tmp_path / "ink.pdf"), pagesize=(200, 200))
    c.drawImage(str(tmp_path / "rich.jpg"), 0, 0, 200, 200)
    c.save()
    with pikepdf.open(tmp_path / "ink.pdf") as pdf:
        findings, highest, where = check_ink(pdf, 240)
    assert highest > 390 and where == "p. 1"
    assert findings and findings[0].check == "ink" and "over the 240% limit" in findings[0].message


def test_a_manuscript_profile_that_is_not_cmyk_is_refused_on_its_line(tmp_path):
    root = print_manuscript(tmp_path / "book", "generic", extra="print: {profile: srgb.icc}\n")
    from bookpress.images.colour import SRGB_PROFILE

    (root / "srgb.icc").write_bytes(SRGB_PROFILE.read_bytes())
    result = runner.invoke(app, ["check", str(root)])
    assert result.exit_code == 1
    assert "book.yaml:7:" in result.output and "not a CMYK output" in result.output


def test_a_manuscript_cmyk_profile_becomes_the_output_intent(tmp_path):
    from bookpress.load.printers import ICC_DIR
    from bookpress.options import Request
    from bookpress.pipeline import compile_book

    root = print_manuscript(tmp_path / "book", "generic", extra="print: {profile: press.icc, pdfx: x1a}\n")
    (root / "press.icc").write_bytes((ICC_DIR / "bookpress-cmyk-240.icc").read_bytes())
    result = compile_book(root, Request(jobs=1))
    with pikepdf.open(result.pdf) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.OutputConditionIdentifier) == "Custom"
        assert str(intent.RegistryName) == "http://www.color.org"  # never empty
        assert "240%" in str(intent.Info)
        assert intent.DestOutputProfile.read_bytes() == (root / "press.icc").read_bytes()


@pytest.mark.parametrize("strict", [False, True])
def test_check_on_a_broken_manuscript_exits_1_without_traceback(tmp_path, strict):
    root = print_manuscript(tmp_path / "book", "generic")
    (root / "chapters" / "one.yaml").write_text("title: X\nblocks:\n  - photo: photos/missing.jpg\n")
    result = runner.invoke(app, ["check", str(root)] + (["--strict"] if strict else []))
    assert result.exit_code == 1
    assert "missing.jpg" in result.output and "Traceback" not in result.output


def test_compile_sums_up_warnings_in_one_line_and_check_shows_the_table(tmp_path):
    root = print_manuscript(tmp_path / "book", "generic")  # its small photo prints below 200 ppi: a warning
    compiled = runner.invoke(app, ["compile", str(root)])
    assert compiled.exit_code == 0, compiled.output
    assert "warning" in compiled.output and "'bookpress check' lists them" in compiled.output
    assert "Image resolution" not in compiled.output  # no table for warnings alone
    checked = runner.invoke(app, ["check", str(root)])
    assert "Image resolution" in checked.output and "small.jpg" in checked.output


def test_every_warning_says_what_to_change(tmp_path):
    """Resolution, text near the trim, text and photos in the gutter: each finding with a hint; running
    heads the top margin has no safe room for are left out, with a note that says what to widen."""
    from conftest import lay_out

    root = print_manuscript(tmp_path / "book", "ingramspark", extra="style: {folio: none}\n")
    edit(root / "book.yaml", "format: {trim: 6x9in}",
         "format: {trim: 6x9in, margins: {top: 14mm, inside: 9mm, outside: 10mm}}")
    result = runner.invoke(app, ["check", str(root), "-j", "1"])
    findings = report_of(root)["findings"]
    warnings = [f for f in findings if f["severity"] == "warning"]
    assert {f["check"] for f in warnings} >= {"resolution", "safe-area", "gutter"}, result.output
    assert all(f["hint"] for f in findings), [f["message"] for f in findings if not f["hint"]]
    near = next(f for f in warnings if f["check"] == "safe-area")
    assert "from the outside trim" in near["message"] and "format.margins.outside" in near["hint"]
    gutter = next(f for f in warnings if f["check"] == "gutter" and f["message"].startswith("text"))
    assert "format.margins.inside" in gutter["hint"]
    assert not any("(running-head)" in f["message"] for f in findings)  # none placed inside the safety
    note, = [n for n in lay_out(root).notes if n.check == "safe-area"]
    assert "no running heads" in note.message and note.hint == "widen format.margins.top"
    # The terminal table says it too, once for all the findings that share the advice.
    assert result.output.count("widen format.margins.outside") == 1


def test_a_fill_over_the_ink_limit_is_an_error_too(tmp_path):
    """Not only images: a rich black box drawn in CMYK (here in a form XObject) counts."""
    path = tmp_path / "fill.pdf"
    c = canvas.Canvas(str(path), pagesize=(200, 200))
    c.setFillColorCMYK(0.6, 0.4, 0.4, 1.0)  # 240%: within
    c.rect(0, 0, 100, 100, stroke=0, fill=1)
    c.beginForm("rich")
    c.setFillColorCMYK(1, 1, 1, 1)  # 400%
    c.rect(100, 100, 50, 50, stroke=0, fill=1)
    c.endForm()
    c.doForm("rich")
    c.save()
    with pikepdf.open(path) as pdf:
        findings, highest, where = check_ink(pdf, 240)
    assert highest == pytest.approx(400) and where == "p. 1"
    assert len(findings) == 1 and "400.0% total ink" in findings[0].message
