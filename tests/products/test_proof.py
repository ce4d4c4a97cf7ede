"""`bookpress proof`: the reviewer's PDF as a reviewer and a printer would check it.

Same pages and labels as the print PDF, a PROOF mark with the date and build
identity on every page, RGB images at 150 ppi, guides where asked, spreads as bound.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import image_placements, lay_out, pdf_texts
from typer.testing import CliRunner

from bookpress import __version__
from bookpress.cli import app
from bookpress.load.manuscript import load_manuscript
from bookpress.load.printers import PRESETS
from bookpress.load.sources import manuscript_hash
from bookpress.products.proof.marks import SLUG

EPOCH = 1_780_000_000  # 2026-05-28 20:26:40 UTC
STAMP = datetime.fromtimestamp(EPOCH, tz=timezone.utc).strftime("%Y-%m-%d %H:%M")


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def proofed(sample_book: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    result = run("proof", str(sample_book), "-j", "2", "--no-report")
    assert result.exit_code == 0, result.output
    return sample_book / "build" / "sample-book-proof.pdf"


def render(path: Path, index: int, scale: float = 1.0):
    document = pdfium.PdfDocument(str(path))
    try:
        return document[index].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def test_proof_has_the_same_pages_and_labels_as_the_print_pdf(sample_book: Path, proofed: Path) -> None:
    assert run("compile", str(sample_book), "-j", "2", "-q").exit_code == 0
    with pikepdf.open(sample_book / "build" / "sample-book.pdf") as print_pdf, pikepdf.open(proofed) as proof:
        assert len(proof.pages) == len(print_pdf.pages) > 8
        assert [p.label for p in proof.pages] == [p.label for p in print_pdf.pages]
        assert [p.trimbox for p in proof.pages] == [p.trimbox for p in print_pdf.pages]


def test_every_page_carries_the_proof_mark_with_date_and_build_identity(sample_book: Path, proofed: Path) -> None:
    build = manuscript_hash(load_manuscript(sample_book))[:12]
    texts = pdf_texts(proofed)
    with pikepdf.open(proofed) as pdf:
        labels = [p.label for p in pdf.pages]
    for sheet, (label, text) in enumerate(zip(labels, texts), 1):
        assert "PROOF" in text
        assert STAMP in text
        assert f"build {build}" in text
        assert f"bookpress {__version__}" in text
        assert f"sheet {sheet}, p. {label}" in text  # as prepress and the reader both name the page


def test_build_identity_follows_the_manuscript_content(sample_book: Path) -> None:
    before = manuscript_hash(load_manuscript(sample_book))
    assert manuscript_hash(load_manuscript(sample_book)) == before  # stable
    (sample_book / "build" / "stray.txt").write_text("build output does not count")
    assert manuscript_hash(load_manuscript(sample_book)) == before
    chapter = sample_book / "chapters" / "01-first-light.yaml"
    chapter.write_text(chapter.read_text().replace("First light", "First lights"))
    assert manuscript_hash(load_manuscript(sample_book)) != before


def test_images_are_rgb_at_150_ppi(proofed: Path) -> None:
    count = 0
    with pikepdf.open(proofed) as pdf:
        for page in pdf.pages:
            for image, (x0, y0, x1, y1) in image_placements(pdf, page):
                count += 1
                width, height = x1 - x0, y1 - y0
                assert image.ColorSpace == "/DeviceRGB"
                assert int(image.Width) / (width / 72) == pytest.approx(150, abs=1.5)
                assert int(image.Height) / (height / 72) == pytest.approx(150, abs=1.5)
    assert count >= 8


def test_guides_mark_trim_bleed_and_safe_area(sample_book: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    plain, guided = sample_book / "plain.pdf", sample_book / "guided.pdf"
    assert run("proof", str(sample_book), "-o", str(plain), "--no-report", "-q").exit_code == 0
    assert run("proof", str(sample_book), "-o", str(guided), "--guides", "--no-report", "-q").exit_code == 0
    preset, scale = PRESETS["generic"], 3.0  # the sample's printer
    bleed, safety = preset.bleed, preset.safety
    index = 1  # page ii, the blank back of the half-title: nothing but the guides on white
    plain_page, guided_page = render(plain, index, scale), render(guided, index, scale)
    y = guided_page.height // 2
    trim_x, safe_x = round(bleed * scale), round((bleed + safety) * scale)
    around_trim = [guided_page.getpixel((trim_x + dx, y)) for dx in range(-2, 3)]
    assert any(r > 150 and g < 110 and b > 110 for r, g, b in around_trim), "magenta trim line"
    # The dashed, anti-aliased cyan line: look along a short stretch of it for blue clearly above red.
    stretch = [guided_page.getpixel((safe_x + dx, y + dy)) for dx in range(-2, 3) for dy in range(-12, 12)]
    assert any(b - r > 60 for r, g, b in stretch), "cyan safe-area line"
    media_edge = [guided_page.getpixel((dx, y + dy)) for dx in range(0, 3) for dy in range(-12, 12)]
    assert any(r > 180 and g < 120 and b < 120 for r, g, b in media_edge), "red bleed line at the media edge"
    assert all(plain_page.getpixel((trim_x + dx, y)) == (255, 255, 255) for dx in range(-2, 3))
    # The type area: inside the margins (page ii is a verso, so its left margin is the outside one).
    outside = lay_out(sample_book).geometry.margins.outside
    type_x = round((bleed + outside) * scale)
    stretch = [guided_page.getpixel((type_x + dx, y + dy)) for dx in range(-2, 3) for dy in range(-12, 12)]
    assert any(g - r > 60 and g - b > 40 for r, g, b in stretch), "green type-area line"
    assert all(plain_page.getpixel((type_x + dx, y)) == (255, 255, 255) for dx in range(-2, 3))
    legend = pdf_texts(guided)[index]
    assert all(name in legend for name in ("trim", "bleed", "safe area", "type area"))


def test_spreads_show_facing_pages_as_bound(sample_book: Path, proofed: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    spreads = sample_book / "spreads.pdf"
    assert run("proof", str(sample_book), "-o", str(spreads), "--spreads", "--no-report", "-q").exit_code == 0
    with pikepdf.open(proofed) as single, pikepdf.open(spreads) as sheets:
        labels = [p.label for p in single.pages]
        trim = single.pages[0].trimbox
        trim_width, trim_height = float(trim[2] - trim[0]), float(trim[3] - trim[1])
        assert len(sheets.pages) == 1 + math.ceil((len(labels) - 1) / 2)
        expected = [labels[0]] + ["–".join(labels[i:i + 2]) for i in range(1, len(labels), 2)]
        assert [p.label for p in sheets.pages] == expected
        for sheet in sheets.pages:
            assert float(sheet.mediabox[2]) == pytest.approx(2 * trim_width, abs=0.01)
            assert float(sheet.mediabox[3]) == pytest.approx(trim_height + SLUG, abs=0.01)  # + the mark's slug
        with sheets.open_outline() as outline:
            titles = {item.title: item for item in outline.root}
            chapter_sheet = sheets.pages.index(titles["First light"].destination[0])
        assert "1" in sheets.pages[chapter_sheet].label.split("–")
    first = render(spreads, 0, 0.5)
    left, right = first.getpixel((first.width // 4, first.height // 2)), first.getpixel((first.width * 3 // 4, 10))
    assert left == left[:1] * 3 and 225 < left[0] < 245, "the empty half beside page 1 is tinted"
    assert right[0] > 245, "page 1 (the half-title) sits on the right"
    texts = pdf_texts(spreads)
    assert "PROOF" in texts[0] and "sheet 1, p. i" in texts[0]
    assert "sheets 2–3, pp. ii–iii" in texts[1]


def test_a_broken_manuscript_reports_and_keeps_the_last_proof(sample_book: Path, proofed: Path) -> None:
    before = proofed.read_bytes()
    chapter = sample_book / "chapters" / "02-the-hills.yaml"
    chapter.write_text(chapter.read_text().replace("photos/panorama.jpg", "photos/panorma.jpg"))
    result = run("proof", str(sample_book), "--no-report")
    assert result.exit_code == 1
    assert "chapters/02-the-hills.yaml:" in result.output and "panorma.jpg" in result.output
    assert proofed.read_bytes() == before


@pytest.mark.parametrize("intent", ["relative", "perceptual"])
def test_the_soft_proof_separates_with_the_manuscripts_intent(sample_book: Path, monkeypatch, intent) -> None:
    """print.intent decides how the print build separates; the soft proof simulates that same separation."""
    from bookpress.products.proof import build

    seen = []
    simulate = build.simulate_book
    monkeypatch.setattr(build, "simulate_book", lambda *a, **k: seen.append(a[-1] if len(a) > 8 else k.get("intent"))
                        or simulate(*a, **k))
    book_yaml = sample_book / "book.yaml"
    book_yaml.write_text(book_yaml.read_text().replace("  marks: false", f"  marks: false\n  intent: {intent}"))
    assert run("proof", str(sample_book), "-o", str(sample_book / "p.pdf"), "--no-report", "-q").exit_code == 0
    assert seen == [intent]
