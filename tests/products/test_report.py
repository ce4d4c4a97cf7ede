"""The review report `bookpress proof` writes: thumbnails, findings tied to pages, changes since the last proof."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import lay_out
from PIL import Image
from typer.testing import CliRunner

from bookpress.cli import app


def proof(root: Path) -> str:
    result = CliRunner().invoke(app, ["proof", str(root), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def label_of_page_with(root: Path, words: str) -> str:
    book = lay_out(root)
    for page in book.pages:
        if any(words in getattr(item, "text", "") for item in page.items):
            return page.label
    raise AssertionError(f"no page shows {words!r}")


def shrink(photo: Path, width: int) -> None:
    with Image.open(photo) as im:
        small = im.resize((width, round(im.height * width / im.width)))
    small.save(photo, quality=85)


def test_report_folder_holds_a_thumbnail_and_a_view_of_every_page(sample_book: Path) -> None:
    output = proof(sample_book)
    folder = sample_book / "build" / "sample-book-review"
    assert f"review report: {folder / 'index.html'}" in output.replace("\n", "")
    manifest = json.loads((folder / "review.json").read_text())
    html = (folder / "index.html").read_text()
    thumbs = re.findall(r'<img src="(thumbs/[^"]+)" width="(\d+)" height="(\d+)"', html)
    assert len(thumbs) == len(manifest["pages"]) > 8
    for name, width, height in thumbs:
        # Shown 300 px high (a page's layout reads at a glance), stored at twice that for sharp screens.
        assert int(height) == 300 and 180 < int(width) < 300
        with Image.open(folder / name) as thumb:
            assert thumb.size == (2 * int(width), 2 * int(height))
    for sheet, label in enumerate(manifest["pages"], 1):
        assert f'id="page-{label}"' in html and f'href="#page-{label}"' in html
        assert f">sheet {sheet}, p. {label}<" in html  # each thumbnail says which page it is
    assert "first proof" in html
    assert 'href="../sample-book-proof.pdf"' in html


def test_preflight_findings_are_linked_to_their_pages(sample_book: Path) -> None:
    shrink(sample_book / "photos" / "lake.jpg", 500)
    proof(sample_book)
    html = (sample_book / "build" / "sample-book-review" / "index.html").read_text()
    label = label_of_page_with(sample_book, "A still lake below the hills")
    row = re.search(r'<tr><td class="where"><a class="goto" href="#page-(\w+)">sheet (\d+), p. (\w+)</a><br>'
                    r'<code>chapters/[^<]+</code></td><td class="sev warning">warning</td><td>lake\.jpg prints at '
                    r'\d+ ppi<div class="hint">[^<]+</div></td></tr>', html)
    assert row is not None, "a resolution warning row linking to a page, naming the manuscript line and what to do"
    assert row.group(1) == row.group(3) == label
    assert html.index(f'id="page-{label}" data-label="{label}" data-index="{int(row.group(2)) - 1}"')
    article = html[html.index(f'id="page-{label}"'):]
    assert "lake.jpg prints at" in article[:article.index("</article>")]


def test_pages_changed_since_the_previous_proof_are_listed_and_highlighted(sample_book: Path) -> None:
    proof(sample_book)
    chapter = sample_book / "chapters" / "01-first-light.yaml"
    chapter.write_text(chapter.read_text().replace("Write paragraphs as plain text", "Write paragraphs as simple text"))
    output = proof(sample_book)
    label = label_of_page_with(sample_book, "simple")
    assert f"changed since the last proof: {label}" in output.replace("\n", "")
    html = (sample_book / "build" / "sample-book-review" / "index.html").read_text()
    changed = re.findall(r'class="slot changed[^"]*" id="thumb-(\w+)"', html)
    assert changed == [label]
    assert f'<article class="page changed" id="page-{label}"' in html
    assert "1 of" in html and "pages changed" in html


def test_an_unchanged_manuscript_shows_no_changes(sample_book: Path) -> None:
    proof(sample_book)
    output = proof(sample_book)
    assert "changed since the last proof" not in output
    html = (sample_book / "build" / "sample-book-review" / "index.html").read_text()
    assert "no page changed" in html and "slot changed" not in html


def test_layout_notes_are_listed_with_the_line_they_come_from(sample_book: Path) -> None:
    chapter = sample_book / "chapters" / "02-the-hills.yaml"
    chapter.write_text(chapter.read_text() + "  - page: full-bleed\n"
                       "    slots: {photo: {photo: photos/lake.jpg, caption: A caption full-bleed cannot show.}}\n")
    line = len(chapter.read_text().splitlines()) - 1
    proof(sample_book)
    html = (sample_book / "build" / "sample-book-review" / "index.html").read_text()
    notes = html[html.index('id="kind-layout"'):]
    row = re.search(r'<tr><td class="where"><a class="goto" href="#page-(\w+)">sheet \d+, p. \w+</a><br>'
                    r'<code>([^<]*)</code></td><td class="sev note">note</td><td>([^<]*)<div', notes)
    assert row is not None
    assert "caption" in row.group(3) and not row.group(3).startswith("chapters/")
    assert row.group(2).startswith(f"chapters/02-the-hills.yaml:{line}")
    book = lay_out(sample_book)
    page = next(p for p in book.pages if p.label == row.group(1))
    assert page.kind == "full-bleed"  # the note names the page the full-bleed photo is on
