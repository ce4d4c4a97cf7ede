"""Loading manuscripts that are right: trims, defaults, photo sets, slots."""

from __future__ import annotations

import pytest
from conftest import lay_out, photo, write

from bookpress.geometry import parse_length, parse_trim
from bookpress.layout import layout_book
from bookpress.load.manuscript import load_manuscript
from bookpress.load.printers import PRESETS
from bookpress.model import PhotoSetBlock, TemplatePageBlock

MM = 72 / 25.4


@pytest.mark.parametrize("text,width_mm,height_mm", [
    ("a4", 210, 297),
    ("a4-landscape", 297, 210),
    ("210x280mm", 210, 280),
    ("8x10in", 203.2, 254),
    ("8.5in x 11in", 215.9, 279.4),
    ("us-letter", 215.9, 279.4),
])
def test_trim_names_and_sizes(text, width_mm, height_mm):
    size = parse_trim(text)
    assert size.width == pytest.approx(width_mm * MM, abs=0.05)
    assert size.height == pytest.approx(height_mm * MM, abs=0.05)


def test_lengths():
    assert parse_length("1in") == 72
    assert parse_length("25.4mm") == pytest.approx(72)
    assert parse_length("50%", percent_of=300) == 150
    assert parse_length(12) == 12


def test_defaults_for_a_minimal_book(make_book):
    root = make_book()
    m = load_manuscript(root)
    assert m.format.trim == parse_trim("a4")
    assert m.format.bleed == pytest.approx(3 * MM)  # the generic printer
    assert m.style.body.font == "Gentium Book Plus" and m.style.body.size == 10.5
    assert m.front_matter == ("half-title", "title", "copyright", "dedication", "toc")
    assert [c.title for c in m.chapters] == ["First Light", "Second Chapter"]


def test_photoset_without_photoset_yaml_uses_file_name_order(tmp_path):
    root = tmp_path / "m"
    for name in ("img10.jpg", "img2.jpg", "img1.png"):
        photo(root / "photos" / "set" / name)
    write(root / "book.yaml", "title: Sets\nchapters: [c.yaml]\n")
    write(root / "c.yaml", "title: S\nblocks:\n  - photoset: photos/set\n")
    block = load_manuscript(root).chapters[0].blocks[0]
    assert isinstance(block, PhotoSetBlock)
    assert [p.image.path.name for p in block.photos] == ["img1.png", "img2.jpg", "img10.jpg"]


def test_photoset_yaml_orders_and_captions(tmp_path):
    root = tmp_path / "m"
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        photo(root / "photos" / "set" / name)
    write(root / "photos" / "set" / "photoset.yaml", """
        title: The set
        photos:
          - {file: c.jpg, caption: Third file first., credit: Someone}
          - {file: a.jpg, fit: fit}
    """)
    write(root / "book.yaml", "title: Sets\nchapters: [c.yaml]\n")
    write(root / "c.yaml", "title: S\nblocks:\n  - photoset: photos/set\n")
    block = load_manuscript(root).chapters[0].blocks[0]
    assert [p.image.path.name for p in block.photos] == ["c.jpg", "a.jpg", "b.jpg"]
    assert block.photos[0].caption == "Third file first." and block.photos[0].credit == "Someone"
    assert block.photos[1].fit == "fit"
    assert block.title == "The set"


def test_page_block_with_built_in_slot_names(tmp_path):
    root = tmp_path / "m"
    for n in range(1, 7):
        photo(root / "photos" / f"p{n}.jpg")
    slots = "\n".join(f"      p{n}: {{photo: photos/p{n}.jpg, caption: Photo {n}.}}" for n in range(1, 7))
    write(root / "book.yaml", "title: Grid\ntrim: a4\nchapters: [c.yaml]\n".replace("trim: a4\n", ""))
    write(root / "c.yaml", f"title: G\nblocks:\n  - page: grid-6\n    slots:\n{slots}\n")
    m = load_manuscript(root)
    block = m.chapters[0].blocks[0]
    assert isinstance(block, TemplatePageBlock) and len(block.slots) == 6
    book = layout_book(m, PRESETS[m.print.printer])
    grid = next(p for p in book.pages if p.kind == "photo")
    captions = [t.text for t in grid.items if getattr(t, "role", "") == "caption"]
    assert captions == [f"Photo {n}." for n in range(1, 7)]


@pytest.mark.parametrize("trim", ["a5", "8x10in", "a4-landscape", "12x12in"])
def test_other_trims_lay_out_inside_their_pages(make_book, trim):
    root = make_book(book_extra=f"format: {{trim: {trim}, margins: {{inside: 15mm, outside: 12mm, top: 12mm, bottom: 15mm}}}}\n")
    book = lay_out(root)
    size = parse_trim(trim)
    assert book.geometry.trim == size
    for page in book.pages:
        for item in page.items:
            rect = getattr(item, "rect", None)
            if rect is not None:
                assert book.geometry.bleed_rect(page.side).contains(rect)
