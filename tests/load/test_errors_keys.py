"""Unknown keys, wrong types and bad values at every level -> exit 1 at the file:line, naming what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_rejected, edit, write
from conftest import run_compile as compile_

# (file, text to replace, replacement, where the error is, the unknown key, the suggestion)
TYPOS = [
    ("book.yaml", "author: Test Author", "auhtor: Test Author", "book.yaml:2:1:", "auhtor", "author"),
    ("book.yaml", "author: Test Author", "author: A\nformat:\n  trim: a4\n  bleeed: 3mm",
     "book.yaml:5:3:", "bleeed", "bleed"),
    ("book.yaml", "author: Test Author", "author: A\nformat:\n  margins: {insde: 20mm}",
     "book.yaml:4:13:", "insde", "inside"),
    ("book.yaml", "author: Test Author", "author: A\nstyle:\n  runing_heads: false",
     "book.yaml:4:3:", "runing_heads", "running_heads"),
    ("book.yaml", "author: Test Author", "author: A\nstyle:\n  body: {fnt: Lato}", "book.yaml:4:10:", "fnt", "font"),
    ("book.yaml", "author: Test Author", "author: A\nprint:\n  mraks: true", "book.yaml:4:3:", "mraks", "marks"),
    ("chapters/01.yaml", "title: One", "title: One\nsubtitel: Two", "chapters/01.yaml:2:1:", "subtitel",
     "subtitle"),
    ("chapters/01.yaml", "title: One", "title: One\nopener: {photo: photos/a.jpg, captoin: x}",
     "chapters/01.yaml:2:31:", "captoin", "caption"),
    ("chapters/01.yaml", "  - text: |\n", "  - text: x\n    tetx: y\n  - text: |\n", "chapters/01.yaml:4:5:",
     "tetx", "text"),
    ("chapters/01.yaml", "  - text: |\n", "  - heading: H\n    tco: false\n  - text: |\n", "chapters/01.yaml:4:5:",
     "tco", "toc"),
    ("chapters/01.yaml", "  - text: |\n", "  - quote: {txt: Q, source: S}\n  - text: |\n", "chapters/01.yaml:3:13:",
     "txt", "text"),
    ("chapters/01.yaml", "    caption: A landscape.", "    captoin: A landscape.", "chapters/01.yaml:6:5:",
     "captoin", "caption"),
    ("chapters/01.yaml", "  - photoset: photos/set", "  - photoset: photos/set\n    layuot: auto",
     "chapters/01.yaml:8:5:", "layuot", "layout"),
    ("chapters/01.yaml", "    slots:", "    solts: {}\n    slots:", "chapters/01.yaml:9:5:", "solts", "slots"),
    ("chapters/01.yaml", "top: {photo: photos/a.jpg, caption: Top.}", "top: {photo: photos/a.jpg, captoin: Top.}",
     "chapters/01.yaml:10:34:", "captoin", "caption"),
    ("chapters/01.yaml", "  - text: |\n", "  - spread: panorama\n    slost: {}\n  - text: |\n",
     "chapters/01.yaml:4:5:", "slost", "slots"),
    ("chapters/01.yaml", "  - text: |\n", "  - pagebreak: recto\n    sied: left\n  - text: |\n",
     "chapters/01.yaml:4:5:", "sied", None),
]


@pytest.mark.parametrize("file, old, new, where, key, suggestion", TYPOS,
                         ids=[f"{t[0]}:{t[4]}" for t in TYPOS])
def test_an_unknown_key_is_named_with_a_suggestion(small_book: Path, file, old, new, where, key, suggestion) -> None:
    edit(small_book / file, old, new)
    line = assert_rejected(compile_(small_book), where, f"unknown key '{key}'")
    assert (f"did you mean '{suggestion}'?" if suggestion else "known keys here:") in line


def test_an_unknown_key_in_photoset_yaml(small_book: Path) -> None:
    write(small_book / "photos/set/photoset.yaml", """
        title: A set
        photos:
          - file: 00.jpg
            captoin: First.
          - flie: 01.jpg
    """)
    result = compile_(small_book)
    assert_rejected(result, "photos/set/photoset.yaml:4:5:", "unknown key 'captoin'", "did you mean 'caption'?")
    assert_rejected(result, "photos/set/photoset.yaml:5:5:", "unknown key 'flie'", "did you mean 'file'?")
    assert "missing key 'file'" not in result.stderr  # the typo already says it
    assert "holds no images" not in result.stderr  # the folder's images are still there


@pytest.mark.parametrize("old, new, where, words", [
    ("author: Test Author", "author: [Test, Author]", "book.yaml:2:9:", ("'author': expected text, got a list",)),
    ("author: Test Author", "author: A\nstyle: {running_heads: maybe}", "book.yaml:3:24:",
     ("'style.running_heads': expected true or false, got 'maybe'",)),
    ("author: Test Author", "author: A\nprint: {ppi: lots}", "book.yaml:3:14:",
     ("'print.ppi': expected a whole number",)),
    ("author: Test Author", "author: A\nprint: {ppi: 10}", "book.yaml:3:14:", ("'print.ppi' must be at least 72",)),
    ("author: Test Author", "author: A\nstyle: {folio: bottom-outsid}", "book.yaml:3:16:",
     ("expected 'bottom-outside', 'bottom-center', 'top-outside' or 'none'", "did you mean 'bottom-outside'?")),
    ("author: Test Author", "author: A\nformat:", "book.yaml:3:1:", ("'format': expected a mapping", "got nothing")),
    ("  - chapters/01.yaml", "    chapters/01.yaml", "book.yaml:4:5:", ("'chapters': expected a list",)),
    ("author: Test Author", "author: A\nfront_matter: [title, tco]", "book.yaml:3:23:", ("did you mean 'toc'?",)),
])
def test_a_wrong_type_in_book_yaml_names_what_was_expected(small_book: Path, old, new, where, words) -> None:
    edit(small_book / "book.yaml", old, new)
    assert_rejected(compile_(small_book), where, *words)


@pytest.mark.parametrize("old, new, where, words", [
    ("    caption: A landscape.", "    caption: {a: 1}", "chapters/01.yaml:6:14:",
     ("'caption': expected text, got a mapping", "in quotes")),
    ("    caption: A landscape.", "    focus: 0.5", "chapters/01.yaml:6:12:", ("expected a list of 2 numbers",)),
    ("    caption: A landscape.", "    focus: [1.5, -0.2]", "chapters/01.yaml:6:12:", ("between 0 and 1",)),
    ("    caption: A landscape.", "    fit: stretch", "chapters/01.yaml:6:10:", ("expected 'fill' or 'fit'",)),
    ("    slots:\n      top: {photo: photos/a.jpg, caption: Top.}\n      bottom: {photo: photos/b.jpg, caption: "
     "Bottom.}", "    slots: [top, bottom]", "chapters/01.yaml:9:12:", ("'slots': expected a mapping",)),
    ("  - photo: photos/a.jpg", "  - photo:", "chapters/01.yaml:5:5:", ("'photo': expected text, got nothing",)),
    ("title: One", "title: yes", "chapters/01.yaml:1:8:", ("expected text, got true", "put the text in quotes")),
    ("title: One", "title: '   '", "chapters/01.yaml:1:8:", ("'title' must not be empty",)),
    ("title: One", "title: " + "Long " * 40, "chapters/01.yaml:1:8:", ("'title' is too long",)),
    ("  - text: |\n", "  - heading: ''\n  - text: |\n", "chapters/01.yaml:3:14:", ("'heading' must not be empty",)),
    ("  - text: |\n", "  - quote: [a, b]\n  - text: |\n", "chapters/01.yaml:3:12:",
     ("'quote': expected text or a mapping", "got a list of 2")),
])
def test_a_wrong_value_in_a_chapter_names_what_was_expected(small_book: Path, old, new, where, words) -> None:
    edit(small_book / "chapters/01.yaml", old, new)
    assert_rejected(compile_(small_book), where, *words)


def test_a_missing_title(small_book: Path) -> None:
    edit(small_book / "book.yaml", "title: Small Book\n", "")
    assert_rejected(compile_(small_book), "book.yaml:1:1:", "missing key 'title'", "add 'title:'")


def test_missing_chapters(small_book: Path) -> None:
    (small_book / "book.yaml").write_text("title: No Chapters\n")
    assert_rejected(compile_(small_book), "book.yaml:1:1:", "missing key 'chapters'")


def test_an_empty_chapter_list(small_book: Path) -> None:
    (small_book / "book.yaml").write_text("title: No Chapters\nchapters: []\n")
    assert_rejected(compile_(small_book), "book.yaml:2:11:", "'chapters' needs at least one entry")


def test_a_chapter_without_a_title(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "title: One\n", "")
    assert_rejected(compile_(small_book), "chapters/01.yaml:1:1:", "missing key 'title'")


def test_an_unknown_block_kind(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "  - text: |\n", "  - txet: hello\n  - text: |\n")
    assert_rejected(compile_(small_book), "chapters/01.yaml:3:5:", "unknown block kind 'txet'", "did you mean 'text'?")


def test_a_block_that_is_not_a_mapping(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "  - text: |\n", "  - just a sentence\n  - text: |\n")
    assert_rejected(compile_(small_book), "chapters/01.yaml:3:5:", "a block must be a mapping", "text, heading")


def test_two_kinds_in_one_block(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "  - text: |\n", "  - heading: H\n    photo: photos/a.jpg\n  - text: |\n")
    assert_rejected(compile_(small_book), "chapters/01.yaml:3:5:", "both 'photo' and 'heading'", "split it")


def test_a_bare_pagebreak_is_a_plain_break(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "  - text: |\n", "  - pagebreak:\n  - text: |\n")
    assert compile_(small_book).exit_code == 0
    from bookpress.load.manuscript import load_manuscript
    from bookpress.model import BreakBlock

    first = load_manuscript(small_book).chapters[0].blocks[0]
    assert isinstance(first, BreakBlock) and first.side == "any"


def test_numbers_written_as_text_are_text(small_book: Path) -> None:
    from bookpress.load.manuscript import load_manuscript

    edit(small_book / "book.yaml", "title: Small Book", "title: 1984\nisbn: 9780306406157")
    manuscript = load_manuscript(small_book)
    assert (manuscript.meta.title, manuscript.meta.isbn) == ("1984", "9780306406157")


@pytest.mark.parametrize("extra, where, words", [
    ("printer: kdpp", "book.yaml:3:10:", ("unknown printer preset 'kdpp'", "did you mean 'kdp'?")),
    ("isbn: 978-3-16-148410-1", "book.yaml:3:7:", ("ISBN '978-3-16-148410-1' is not valid", "13 digits")),
    ("format: {bleed: 12 parsecs}", "book.yaml:3:17:", ("'format.bleed'", "12mm, 0.5in or 10pt")),
    ("format: {trim: huge}", "book.yaml:3:16:", ("expected a trim size", "210x280mm")),
    ("format: {trim: 20x20mm}", "book.yaml:3:16:", ("each side of the trim must be between 50mm and 1200mm",)),
    ("format: {margins: {top: -5mm}}", "book.yaml:3:25:", ("'format.margins.top' must be between",)),
    ("format: {bleed: .nan}", "book.yaml:3:17:", ("'format.bleed' must be between 0mm and 25.4mm, got nan",)),
    ("style: {body: {size: 0pt}}", "book.yaml:3:22:", ("'style.body.size' must be between 2pt and 300pt",)),
    ("style: {body: {font: Comic Sans}}", "book.yaml:3:22:", ("font family 'Comic Sans' is not available",
                                                               "fonts/ folder")),
    ("language: klingon", "book.yaml:3:11:", ("'klingon' is not a language code", "en-GB")),
    ("dedication: " + "For you. " * 100, "book.yaml:3:13:", ("'dedication' is too long",)),
])
def test_a_bad_setting_in_book_yaml(small_book: Path, extra, where, words) -> None:
    edit(small_book / "book.yaml", "author: Test Author", f"author: Test Author\n{extra}")
    assert_rejected(compile_(small_book), where, *words)
