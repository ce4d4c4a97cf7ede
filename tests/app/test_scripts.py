"""Books in many scripts, compiled and read back as a reader would: the text layer, the fonts, the order on the line."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import lay_out, photo, run_cli, run_compile, write

PLACES = ["Москва", "東京", "新宿", "서울", "서울역"]
POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                             reason="poppler-utils is not installed")


@pytest.fixture(scope="module")
def german_book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("german") / "book"
    photo(root / "photos" / "bahnhof.jpg", (1500, 1000))
    photo(root / "photos" / "strasse.jpg", (1500, 1000), (150, 80, 30))
    write(root / "book.yaml", """
        title: Reisen nach Osten
        author: Erika Muster
        publisher: Verlag am See
        language: de
        year: 2026
        chapters: [chapters/01.yaml]
    """)
    write(root / "chapters" / "01.yaml", """
        title: Von Москва nach 東京
        blocks:
          - text: |
              Die Reise begann in Москва, führte über Sibirien nach 東京 und endete in 서울. Vom Bahnhof
              서울역 fuhren wir weiter; in 新宿 hatten wir zuvor einen ganzen Tag verbracht.
          - heading: Ein Abschnitt über 新宿
          - photo: photos/bahnhof.jpg
            caption: Der Bahnhof 서울역 am Abend.
            credit: Kim Min-jun
          - photo: photos/strasse.jpg
            caption: Straßen in Москва und 東京.
            credit: Иван Петров
    """)
    result = run_compile(root, "-o", root / "book.pdf")
    assert result.exit_code == 0, result.output
    return root


def _run(*command: object) -> str:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, check=True).stdout


@POPPLER
def test_every_place_name_is_in_the_text_layer_in_text_and_captions(german_book: Path) -> None:
    text = _run("pdftotext", german_book / "book.pdf", "-")
    for place in PLACES:
        assert place in text, place
    assert "Der Bahnhof 서울역 am Abend." in text and "Straßen in Москва und 東京." in text  # the captions
    assert re.search(r"Иван Петров \d", text)  # and the credits, with the photo's page


@POPPLER
def test_every_font_is_embedded_and_the_cjk_ones_are_among_them(german_book: Path) -> None:
    rows = _run("pdffonts", german_book / "book.pdf").splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), rows  # embedded, subset, unicode
    assert any("DroidSansFallback" in row for row in rows)


@POPPLER
def test_the_furniture_is_german(german_book: Path) -> None:
    text = _run("pdftotext", german_book / "book.pdf", "-")
    assert "Inhalt" in text and "Bildnachweis" in text and "KAPITEL 1" in text
    for english in ("Contents", "Photo credits", "Photo:", "CHAPTER", "Colophon"):
        assert english not in text, english


def test_the_cjk_heading_and_contents_keep_their_characters(german_book: Path) -> None:
    book = lay_out(german_book)
    headings = [spaced(item) for page in book.pages for item in page.items if getattr(item, "role", "") == "section"]
    contents = [spaced(item) for page in book.pages if page.kind == "toc" for item in page.items
                if getattr(item, "role", "") == "toc"]
    assert headings == ["Ein Abschnitt über 新宿"]
    assert "Von Москва nach 東京" in contents and "Ein Abschnitt über 新宿" in contents


def spaced(item) -> str:
    """A line's text with a space wherever its fragments leave a gap (as a text extractor reads it)."""
    text, end = "", None
    for fragment in sorted(item.fragments, key=lambda f: f.x):
        if end is not None and fragment.x - end > 0.5:
            text += " "
        text += fragment.text
        end = fragment.x + fragment.width
    return text


def _system_font_for(char: str) -> bool:
    from bookpress.fonts import system

    return bool(system.faces_with(char))


@pytest.mark.skipif(not _system_font_for("ש") or not _system_font_for("ب"), reason="no system font for Hebrew and Arabic")
def test_right_to_left_words_run_right_to_left_with_joined_letters(make_book) -> None:
    root = make_book(chapters={"chapters/one.yaml": """
        title: Scripts
        blocks:
          - text: "Shalom is שלום עולם and peace is السلام عليكم in Arabic."
    """})
    book = lay_out(root)
    line = next(item for page in book.pages for item in page.items if getattr(item, "role", "") == "body")
    x = {word: f.x + f.text.index(word) for f in line.fragments for word in f.text.split() if word}
    assert x["עולם"] < x["שלום"]  # the first Hebrew word is read first, so it stands on the right
    assert x["عليكم"] < x["السلام"]
    assert x["Shalom"] < min(x["עולם"], x["שלום"]) < x["and"]  # the English around them runs left to right
    from bookpress.fonts.shaping import shape

    salam = next(f for f in line.fragments if f.text == "السلام")
    isolated = [shape(salam.font, letter).glyphs[0].gid for letter in "السلام"]
    assert [g.gid for g in salam.glyphs] != isolated[::-1]  # joined forms, not the letters one by one


@pytest.mark.skipif(not _system_font_for("ب"), reason="no system font for Arabic")
def test_a_letter_spaced_label_does_not_pull_joined_arabic_letters_apart(make_book) -> None:
    # The chapter label is letter-spaced; Arabic letters join, and spacing them would break every join.
    root = make_book(book_extra='words: {chapter: "الفصل {number} · CHAPTER"}\n')
    label = next(item for page in lay_out(root).pages for item in page.items
                 if getattr(item, "role", "") == "chapter-label")
    arabic = next(f for f in label.fragments if "الفصل" in f.text)
    latin = next(f for f in label.fragments if "CHAPTER" in f.text)
    assert arabic.tracking == 0 and latin.tracking > 0, (arabic.tracking, latin.tracking)


def _capitals_only_font(path: Path) -> Path:
    """Lato cut down to A-Z and the space, renamed 'Capitals Only': a display face with no lower case."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(Path(__file__).parents[2] / "fonts" / "Lato-Regular.ttf"))
    options = subset.Options()
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="ABCDEFGHIJKLMNOPQRSTUVWXYZ ")
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Capitals Only"
        elif record.nameID == 6:
            record.string = "CapitalsOnly-Regular"
    path.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(path))
    return path


@POPPLER
def test_a_font_with_only_capitals_does_not_swallow_the_lower_case(make_book) -> None:
    root = make_book(chapters={"chapters/one.yaml": """
        title: Capitals
        blocks:
          - heading: Lower case survives
          - text: "Plain words."
    """}, book_extra="style:\n  heading: {font: Capitals Only}\n")
    _capitals_only_font(root / "fonts" / "CapitalsOnly-Regular.ttf")
    result = run_cli("compile", root, "--jobs", "1", "-o", root / "out.pdf")
    assert result.exit_code == 0, result.output
    assert "Lower case survives" in _run("pdftotext", root / "out.pdf", "-")
    assert "'Capitals Only' lacks 'o' 'w' 'e' 'r'" in result.stderr  # and the author is told where it went
