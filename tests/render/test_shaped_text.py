"""Shaped text in the PDF: drawn at the advances layout measured, extracted as the characters it was shaped from."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import lay_out, run_compile, write

KERNED = ("AVATAR Tolstoy wrote To Volga; WAVE after WAVE, the office staff’s affluent fjord "
          "effigies — Yvonne, Tatiana and Vova — saw the USSR and the CPSU in 1957.")


@pytest.fixture(scope="module")
def kerned_book(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("kerned") / "book"
    write(root / "book.yaml", """
        title: Kerning
        front_matter: []
        back_matter: []
        style:
          body: {font: EB Garamond, size: 12pt}
        chapters: [chapters/01.yaml]
    """)
    write(root / "chapters" / "01.yaml", f"""
        title: Kerned
        blocks:
          - text: |
              {KERNED}

              {KERNED}
    """)
    result = run_compile(root, "-o", root / "out.pdf")
    assert result.exit_code == 0, result.output
    return root, root / "out.pdf"


def _bbox_words(pdf: Path) -> list[tuple[str, float]]:
    """(word, width) as poppler measures it in the drawn PDF: from the glyphs' own positions and widths."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pattern = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>')
    return [(html.unescape(text), float(x1) - float(x0)) for x0, x1, text in pattern.findall(out)]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_width_layout_measured_is_the_width_drawn(kerned_book) -> None:
    root, pdf = kerned_book
    book = lay_out(root)
    measured = [(f.text, f.width) for page in book.pages for item in page.items
                if getattr(item, "role", "") == "body" for f in item.fragments]
    drawn = dict(_bbox_words(pdf))
    compared = 0
    for text, width in measured:
        if " " not in text and text in drawn:
            assert drawn[text] == pytest.approx(width, abs=0.02), text
            compared += 1
    assert compared >= 15
    assert any(f.glyphs for page in book.pages for item in page.items for f in getattr(item, "fragments", ()))


def test_kerned_words_are_narrower_than_their_letters(kerned_book) -> None:
    root, _ = kerned_book
    book = lay_out(root)
    fragment = next(f for page in book.pages for item in page.items for f in getattr(item, "fragments", ())
                    if f.text == "AVATAR")
    from bookpress.fonts.shaping import shape

    letters = sum(shape(fragment.font, c).advance for c in fragment.text) * fragment.size
    assert fragment.width < letters - 1.0  # A-V, V-A, A-T, T-A are all kerned in EB Garamond


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_ligatures_and_small_capitals_extract_as_the_text(kerned_book) -> None:
    _, pdf = kerned_book
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for word in ("office", "affluent", "fjord", "effigies", "USSR", "CPSU", "1957"):
        assert word in text
    assert not re.search("[\ue000-\uf8ff\U000f0000-\U000ffffd]", text)  # no private-use codes leak out


def test_acronyms_are_set_in_small_capitals(kerned_book) -> None:
    root, _ = kerned_book
    book = lay_out(root)
    fragments = [f for page in book.pages for item in page.items for f in getattr(item, "fragments", ())]
    ussr = next(f for f in fragments if f.text == "USSR")
    wave = next(f for f in fragments if f.text == "WAVE")
    assert ussr.size == wave.size and ussr.tracking > 0
    from bookpress.fonts.shaping import shape

    assert [g.gid for g in ussr.glyphs] != [g.gid for g in shape(ussr.font, "USSR").glyphs]  # not the capitals


def test_every_drawn_code_has_its_glyph_in_the_embedded_font(kerned_book) -> None:
    from bookpress.preflight.glyph_check import missing_glyphs

    _, pdf = kerned_book
    with pikepdf.open(pdf) as document:
        assert list(missing_glyphs(document)) == []


def test_preflight_finds_a_character_drawn_without_its_glyph(tmp_path: Path) -> None:
    # A PDF drawn the old way: reportlab's own text drawing sets a character Lato lacks as Lato's empty "null" glyph.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from bookpress.preflight.pdf_checks import check_fonts

    pdfmetrics.registerFont(TTFont("LatoForTheBoxTest", str(Path(__file__).parents[2] / "fonts" / "Lato-Regular.ttf")))
    canvas = Canvas(str(tmp_path / "box.pdf"), initialFontName="LatoForTheBoxTest")
    canvas.setFont("LatoForTheBoxTest", 12)
    canvas.drawString(72, 720, "Tokyo 東京")
    canvas.save()
    with pikepdf.open(tmp_path / "box.pdf") as document:
        found = [d.message for d in check_fonts(document)]
    assert any("Lato-Regular" in m and "no glyph" in m for m in found), found


def test_the_content_stream_strings_are_read_with_their_escapes() -> None:
    from bookpress.preflight.glyph_check import _TOKENS, _unescaped

    stream = rb"BT /F1+0 10 Tf [(a\(b\)) -12 (\\\310\n)] TJ /F2+1 9.5 Tf (x) Tj ET"
    found = [(m.group(1), _unescaped(m.group(2)) if m.group(2) is not None else None) for m in _TOKENS.finditer(stream)]
    assert found == [(b"/F1+0", None), (None, b"a(b)"), (None, b"\\\xc8\n"), (b"/F2+1", None), (None, b"x")]


def test_text_that_looks_like_a_font_selection_is_read_as_the_string_it_is(tmp_path: Path) -> None:
    from bookpress.preflight.glyph_check import _drawn

    with pikepdf.new() as document:
        document.add_blank_page()
        page = document.pages[0]
        page.obj.Contents = document.make_stream(rb"BT /F1 10 Tf (see /F2 9 Tf here) Tj /F3 8 Tf (\)x) Tj ET")
        assert _drawn(page) == {"/F1": [b"see /F2 9 Tf here"], "/F3": [rb"\)x"]}


def test_the_codes_of_many_strings_are_read_as_each_string_alone() -> None:
    from bookpress.preflight.glyph_check import _codes

    assert _codes([rb"ab\(", rb"\351", b"c"], two_byte=False) == {ord("a"), ord("b"), ord("("), 0o351, ord("c")}
    # two-byte codes: a stray last byte of one string is dropped, and does not shift the next string's codes
    assert _codes([b"\x01\x02\x03", b"\x00\x41", rb"\\\)"], two_byte=True) == {0x0102, 0x0041, 0x5C29}


def test_a_string_that_is_never_closed_is_read_in_linear_time() -> None:
    import time

    from bookpress.preflight.glyph_check import _TOKENS

    start = time.process_time()
    assert _TOKENS.findall(b"/F1 10 Tf (" + b"a" * 200_000) == [(b"/F1", b"")]
    assert time.process_time() - start < 1.0  # a pattern that backtracks would take longer than the universe


def test_a_page_found_clean_is_not_read_again_until_what_it_draws_changes(kerned_book, tmp_path: Path) -> None:
    import re

    from bookpress.preflight.glyph_check import CheckedPages, missing_glyphs

    _, pdf = kerned_book
    first = CheckedPages()
    with pikepdf.open(pdf) as document:
        assert list(missing_glyphs(document, first)) == []
        pages = len(document.pages)
        again = CheckedPages(first.now)
        assert list(missing_glyphs(document, again)) == [] and again.skipped == pages
        # The same book with one string of a text page drawn in a code its font has no glyph for.
        string = re.compile(rb"\((?:[^\\)]|\\.)+\)")
        streams = [(index, stream) for index, page in enumerate(document.pages)
                   for stream in (page.obj.Contents if isinstance(page.obj.Contents, pikepdf.Array)
                                  else [page.obj.Contents])]
        changed, stream = next((index, stream) for index, stream in streams if string.search(stream.read_bytes()))
        stream.write(string.sub(lambda m: b"(\\377\\376)", stream.read_bytes(), count=1))
        document.save(tmp_path / "broken.pdf")
    with pikepdf.open(tmp_path / "broken.pdf") as document:
        later = CheckedPages(first.now)  # every page's hash from the clean build
        found = list(missing_glyphs(document, later))
        assert found and {index for index, *_ in found} == {changed}  # the changed page was read, and fails
        assert later.skipped == pages - 1  # and only it
