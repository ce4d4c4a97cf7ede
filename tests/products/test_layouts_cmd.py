"""`bookpress layouts`: the templates with their slots, and a specimen sheet with every frame outlined and labelled."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import pdf_texts
from typer.testing import CliRunner

from bookpress.cli import app
from bookpress.geometry import parse_trim
from bookpress.load.printers import MM, PRESETS
from bookpress.load.templates import load_templates

BUILT_IN = {"chapter-opener": ["photo", "title"], "text": ["body"], "full-bleed": ["photo"],
            "photo-caption": ["photo"], "two-up": ["top", "bottom"], "side-by-side": ["left", "right"],
            "grid-4": ["p1", "p2", "p3", "p4"], "grid-6": ["p1", "p2", "p3", "p4", "p5", "p6"],
            "panorama": ["photo"]}


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def table_rows(output: str) -> dict[str, list[str]]:
    """template name -> its cells (pages, suits, slots, description), each joined across wrapped lines."""
    rows: dict[str, list[str]] = {}
    current = None
    for line in output.splitlines():
        cells = line.split("│")
        if len(cells) != 7:
            continue
        current = cells[1].strip() or current
        row = rows.setdefault(current, ["", "", "", ""])
        for column, cell in enumerate(cells[2:6]):
            row[column] = f"{row[column]} {cell.strip()}".strip()
    return rows


def test_layouts_lists_every_built_in_template_with_its_slots(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no manuscript here: the built-ins only
    result = run("layouts")
    assert result.exit_code == 0
    rows = table_rows(result.output)
    for name, slots in BUILT_IN.items():
        assert name in rows, name
        for slot in slots:
            assert f"{slot} (" in rows[name][2], (name, slot)
    assert rows["panorama"][0] == "2" and rows["two-up"][1] == "landscape ×2"


def test_specimen_sheet_has_a_labelled_page_per_template(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    sheet = tmp_path / "specimens.pdf"
    result = run("layouts", "--sheet", str(sheet))
    assert result.exit_code == 0 and f"wrote {sheet}" in result.output
    templates = load_templates()
    names = templates.names()
    with pikepdf.open(sheet) as pdf:
        assert len(pdf.pages) == len(names)
        with pdf.open_outline() as outline:
            assert [item.title for item in outline.root] == names
        a4, bleed = parse_trim("a4"), PRESETS["generic"].bleed
        for name, page in zip(names, pdf.pages):
            width = a4.width * templates.get(name).pages + 2 * bleed
            assert float(page.mediabox[2]) == pytest.approx(width, abs=0.01), name
            assert float(page.mediabox[3]) == pytest.approx(a4.height + 2 * bleed, abs=0.01)
    for name, text in zip(names, pdf_texts(sheet)):
        assert f"{name}: {templates.get(name).description}" in text
        for frame in templates.get(name).frames:
            assert frame.name in text and frame.kind in text, (name, frame.name)
        assert " mm" in text


def test_specimen_frames_are_outlined_where_layout_places_them(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    sheet = tmp_path / "specimens.pdf"
    assert run("layouts", "--sheet", str(sheet), "-q").exit_code == 0
    index = load_templates().names().index("two-up")
    document = pdfium.PdfDocument(str(sheet))
    image = document[index].render(scale=2).to_pil().convert("RGB")
    document.close()
    # two-up's top frame starts at the live area's left edge (bleed + 20 mm inside margin on a recto)
    # and its top (bleed + 16 mm top margin): the frame's blue outline is there.
    x = round((PRESETS["generic"].bleed + 20 * MM) * 2)
    y = round((PRESETS["generic"].bleed + 16 * MM + 60 * MM) * 2)
    stroke = [image.getpixel((x + dx, y)) for dx in range(-2, 3)]
    assert any(b > 150 and r < 120 for r, g, b in stroke), stroke
    outside = image.getpixel((x - 12, y))
    assert outside == (255, 255, 255)


def test_a_manuscripts_own_template_is_listed_and_a_broken_one_reported(sample_book: Path) -> None:
    layouts = sample_book / "layouts"
    layouts.mkdir()
    (layouts / "trio.yaml").write_text(
        "name: trio\ndescription: Three in a row.\npages: 1\nsuits: [portrait, portrait, portrait]\nframes:\n"
        "  a: {kind: photo, box: [0, 0, 32%, 60%]}\n  b: {kind: photo, box: [34%, 0, 32%, 60%]}\n"
        "  c: {kind: photo, box: [68%, 0, 32%, 60%]}\n")
    result = run("layouts", str(sample_book))
    assert result.exit_code == 0
    assert "trio" in result.output and "portrait ×3" in result.output and "a (photo)" in result.output
    (layouts / "broken.yaml").write_text("name: broken\nframes:\n  a: {kind: foto, box: [0, 0, 1, 1]}\n")
    result = run("layouts", str(sample_book))
    assert result.exit_code == 1
    assert "layouts/broken.yaml:3" in result.output
