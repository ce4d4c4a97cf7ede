"""The font service: shaping (kerning, ligatures, small capitals), faces per family, per-character fallback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bookpress.fonts import load_fonts
from bookpress.fonts.catalog import FontBook
from bookpress.fonts.shaping import shape

FONTS_DIR = Path(__file__).parents[2] / "fonts"


@pytest.fixture(scope="module")
def fonts() -> FontBook:
    return load_fonts([], order=("manuscript", "bookpress"))  # no system fonts: the same on every machine


@pytest.mark.parametrize("family", ["EB Garamond", "Gentium Book Plus", "Lato"])
@pytest.mark.parametrize("pair", ["AV", "To"])
def test_kerning_changes_the_advance_of_a_pair(fonts: FontBook, family: str, pair: str) -> None:
    font = fonts.face(family)
    kerned = shape(font, pair).advance
    unkerned = shape(font, pair, ("-kern",)).advance
    alone = sum(shape(font, letter).advance for letter in pair)
    assert unkerned == pytest.approx(alone)  # without kerning, the pair is its letters side by side
    assert kerned < unkerned - 0.01  # the font pulls the V under the A, the o under the T
    assert fonts.width(pair, font, 10) == pytest.approx(kerned * 10)


def test_standard_ligatures_are_on_and_read_as_their_letters(fonts: FontBook) -> None:
    font = fonts.face("Gentium Book Plus")
    plain = shape(font, "office", ("-liga",))
    ligated = shape(font, "office")
    assert len(ligated.glyphs) < len(plain.glyphs)  # "ffi" is one glyph
    assert "".join(g.text for g in ligated.glyphs) == "office"


def test_small_capitals_come_from_the_font_or_the_familys_small_caps_face(fonts: FontBook) -> None:
    gentium = fonts.face("Gentium Book Plus")
    assert fonts.small_caps("Gentium Book Plus", "regular", gentium) == (gentium, ("c2sc",))
    capitals, small = shape(gentium, "USSR"), shape(gentium, "USSR", ("c2sc",))
    assert [g.gid for g in small.glyphs] != [g.gid for g in capitals.glyphs] and small.advance < capitals.advance
    assert fonts.small_caps("Lato", "regular", fonts.face("Lato")) is None  # Lato has none: left in capitals


def test_old_style_figures_where_the_font_has_them(fonts: FontBook) -> None:
    garamond = fonts.face("EB Garamond")
    oldstyle, lining = shape(garamond, "1957", ("onum",)), shape(garamond, "1957", ("lnum",))
    assert [g.gid for g in oldstyle.glyphs] != [g.gid for g in lining.glyphs]


def test_a_face_the_family_lacks_is_never_taken_from_another_family(fonts: FontBook) -> None:
    assert not fonts.has_face("EB Garamond", "bold")
    assert fonts.family_of(fonts.face("EB Garamond", "bold")) == "EB Garamond"  # its regular, not Charis SIL
    for style in ("regular", "italic", "bold", "bolditalic"):
        assert fonts.has_face("Gentium Book Plus", style)  # the default body family has them all
        assert fonts.family_of(fonts.face("Gentium Book Plus", style)) == "Gentium Book Plus"


@pytest.mark.parametrize("text", ["東京", "新宿", "서울역", "ひらがな"])
def test_fallback_picks_a_font_for_cjk_and_hangul(fonts: FontBook, text: str) -> None:
    body = fonts.face("Gentium Book Plus")
    runs = fonts.runs(f"in {text}, und", body)
    assert [t for _, t in runs] == ["in ", text, ", und"]
    font = runs[1][0]
    assert fonts.family_of(font) == "Droid Sans Fallback" and runs[0][0] == runs[2][0] == body
    assert all(g.gid for g in shape(font, text).glyphs)  # drawn, not boxes


def test_a_character_the_font_has_stays_in_it(fonts: FontBook) -> None:
    body = fonts.face("Gentium Book Plus")
    assert fonts.runs("Москва", body) == [(body, "Москва")]  # Cyrillic: Gentium has it


def test_no_font_has_it_is_none_never_a_box(fonts: FontBook) -> None:
    body = fonts.face("Gentium Book Plus")
    assert fonts.runs("a\U00013000b", body) == [(body, "a"), (None, "\U00013000"), (body, "b")]


def test_the_manuscripts_fonts_come_before_bookpresss_own(tmp_path: Path) -> None:
    own = tmp_path / "fonts"
    own.mkdir()
    shutil.copy(FONTS_DIR / "CharisSIL-Regular.ttf", own)
    fonts = load_fonts([own], order=("manuscript", "bookpress"))
    lato = fonts.face("Lato")
    # Lato lacks U+0514 (Cyrillic Lha); the manuscript's Charis SIL, first in the order, has it, and so does Gentium.
    assert fonts.family_of(fonts.font_for("\u0514", lato)) == "Charis SIL"
    reordered = load_fonts([own], order=("Gentium Book Plus", "manuscript"))
    assert reordered.family_of(reordered.font_for("\u0514", reordered.face("Lato"))) == "Gentium Book Plus"


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig is not installed")
def test_system_fonts_are_asked_last_and_only_with_truetype_outlines() -> None:
    from bookpress.fonts import system

    hebrew = system.faces_with("ש")
    if not hebrew:
        pytest.skip("no system font has Hebrew")
    assert all(system.embeddable(face.path, face.index) for face in hebrew)
    fonts = load_fonts([])
    found = fonts.font_for("ש", fonts.face("Gentium Book Plus"))
    assert found is not None and fonts.origin_of(found) == "system"


def test_a_second_file_with_a_bundled_fonts_name_is_drawn_from_itself(tmp_path: Path) -> None:
    """A manuscript's own copy of a bundled face (one PostScript name, two files) is embedded from its own file,
    under a name of its own, and the bundled one from the bundled file."""
    from reportlab.pdfbase import pdfmetrics

    from bookpress.fonts.catalog import _register

    bundled = _register(FONTS_DIR / "Lato-Light.ttf")
    own = tmp_path / "Lato-Light.ttf"
    own.write_bytes((FONTS_DIR / "Lato-Light.ttf").read_bytes() + b"\0" * 8)  # another file, the same tables
    copy = _register(own)
    assert copy.fontName != bundled.fontName
    assert pdfmetrics.getFont(copy.fontName).face.filename == str(own)
    assert pdfmetrics.getFont(bundled.fontName).face.filename == str(FONTS_DIR / "Lato-Light.ttf")
    assert copy.face.name != bundled.face.name  # the PDF's BaseFont names tell the two subsets apart
