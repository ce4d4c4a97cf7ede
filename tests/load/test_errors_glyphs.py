"""A character no font has: an error at the line and column where it was written, naming it and its code point."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import assert_rejected, edit, run_compile, write

HIEROGLYPH = "\U00013000"


def _system_has(char: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", f":charset={ord(char):x}", "file"], capture_output=True, text=True).stdout
    return bool(out.strip())


def test_a_character_no_font_has_is_an_error_at_its_line_and_column(small_book: Path) -> None:
    edit(small_book / "chapters" / "01.yaml", "      A paragraph of text.",
         f"      A paragraph of text.\n      Then a sign: {HIEROGLYPH} in the middle.")
    edit(small_book / "book.yaml", "author: Test Author", "author: Test Author\nstyle:\n  fallback: [bookpress]")
    result = run_compile(small_book)
    line = assert_rejected(result, "chapters/01.yaml:5:20:", "U+13000")
    assert HIEROGLYPH in line and "EGYPTIAN HIEROGLYPH A001" in line
    assert not list((small_book / "build").glob("*.pdf")) if (small_book / "build").exists() else True


@pytest.mark.skipif(_system_has(HIEROGLYPH), reason="a system font has the hieroglyph")
def test_with_the_default_fallback_too(small_book: Path) -> None:
    edit(small_book / "chapters" / "01.yaml", "    caption: A landscape.", f"    caption: A landscape {HIEROGLYPH}.")
    result = run_compile(small_book)
    assert_rejected(result, "chapters/01.yaml:6:26:", "U+13000")


def test_each_place_is_reported_once_and_only_printed_text_is_read(small_book: Path) -> None:
    write(small_book / "book.yaml", f"""
        title: Small {HIEROGLYPH} Book
        author: Test Author
        style:
          fallback: [manuscript, bookpress]
        words:
          contents: "Inhalt {HIEROGLYPH}"
        chapters:
          - chapters/01.yaml
    """)
    result = run_compile(small_book)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "U+13000" in line]
    assert [e.split(": error")[0] for e in errors] == ["book.yaml:1:14", "book.yaml:6:21"]


def test_a_character_a_bundled_fallback_has_is_fine(small_book: Path) -> None:
    edit(small_book / "chapters" / "01.yaml", "      A paragraph of text.", "      A paragraph in 東京 and 서울.")
    result = run_compile(small_book)
    assert result.exit_code == 0, result.output


def test_a_caption_the_photo_file_carries_is_checked_at_the_line_that_places_it(small_book: Path) -> None:
    from PIL import Image

    # XMP's dc:description (UTF-8; EXIF's ImageDescription is ASCII): the set's caption for this photo
    packet = ("<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
              "<rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:description><rdf:Alt>"
              f"<rdf:li xml:lang='x-default'>A harbour {HIEROGLYPH} at dawn</rdf:li></rdf:Alt></dc:description>"
              "</rdf:Description></rdf:RDF></x:xmpmeta>").encode()
    Image.new("RGB", (600, 400), (60, 100, 100)).save(small_book / "photos" / "set" / "01.jpg", xmp=packet)
    edit(small_book / "book.yaml", "author: Test Author", "author: Test Author\nstyle:\n  fallback: [bookpress]")
    result = run_compile(small_book)
    assert_rejected(result, "chapters/01.yaml:7:", "U+13000", "in the caption embedded in 01.jpg")
    assert sum("U+13000" in err for err in result.stderr.splitlines()) == 1, result.stderr
