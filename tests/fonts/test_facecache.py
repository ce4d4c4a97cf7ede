"""Parsed font tables kept between runs: the same face as a parse, and never trusted when they do not fit."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFontFace

from bookpress.fonts import facecache

FONTS_DIR = Path(__file__).parents[2] / "fonts"


@pytest.fixture
def kept_home(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "bookpress" / "fonts"


def _face(path: Path) -> TTFontFace:
    stat = path.stat()
    return facecache.parsed_face(path, 0, stat.st_size, stat.st_mtime_ns)


def _state(face: TTFontFace) -> dict:
    return {key: value for key, value in face.__dict__.items() if key != "_pdfScale"}


@pytest.mark.parametrize("name", ["GentiumBookPlus-Regular.ttf", "Lato-Italic.ttf", "EBGaramond12-AllSC.ttf"])
def test_a_kept_face_is_the_face_a_parse_gives(kept_home: Path, tmp_path: Path, name: str) -> None:
    font = shutil.copy(FONTS_DIR / name, tmp_path / name)
    parsed = TTFontFace(str(font))
    first = _face(Path(font))  # parses and keeps
    assert len(list(kept_home.glob("*.pickle"))) == 1
    again = _face(Path(font))  # read back
    assert again is not first
    assert _state(again) == _state(parsed) == _state(first)
    assert type(again.name) is type(parsed.name) and again.name.ustr == parsed.name.ustr
    for units in (0, 1, 517, 2048):  # the unit scale is made again, not kept
        assert again._pdfScale(units) == pytest.approx(parsed._pdfScale(units))
    assert again.makeSubset([65, 66, 0x20]) == parsed.makeSubset([65, 66, 0x20])


def test_a_damaged_kept_file_is_parsed_again_and_replaced(kept_home: Path, tmp_path: Path) -> None:
    font = Path(shutil.copy(FONTS_DIR / "Lato-Regular.ttf", tmp_path / "Lato-Regular.ttf"))
    truth = _state(TTFontFace(str(font)))
    _face(font)
    (kept,) = kept_home.glob("*.pickle")
    raw = bytearray(kept.read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # one flipped byte inside the kept tables: still unpickles, digest differs
    kept.write_bytes(bytes(raw))
    assert _state(_face(font)) == truth
    assert kept.read_bytes() != bytes(raw)  # written again, sound
    kept.write_bytes(b"not a pickle at all")
    assert _state(_face(font)) == truth


def test_a_font_replaced_at_the_same_size_and_time_is_not_taken_for_the_kept_one(kept_home: Path,
                                                                                   tmp_path: Path) -> None:
    font = Path(shutil.copy(FONTS_DIR / "Lato-Regular.ttf", tmp_path / "Face.ttf"))
    stat = font.stat()
    _face(font)
    other = (FONTS_DIR / "Lato-Italic.ttf").read_bytes()
    font.write_bytes(other[:stat.st_size].ljust(stat.st_size, b"\0"))  # another font's tables, same size
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    restored = facecache.parsed_face(font, 0, stat.st_size, stat.st_mtime_ns)
    assert restored.name.ustr == "Lato-Italic"
    assert _state(restored) == _state(TTFontFace(str(font)))


def test_a_kept_file_that_names_code_is_refused(kept_home: Path, tmp_path: Path) -> None:
    font = Path(shutil.copy(FONTS_DIR / "Lato-Regular.ttf", tmp_path / "Lato-Regular.ttf"))
    _face(font)
    (kept,) = kept_home.glob("*.pickle")
    font_digest, _, payload = pickle.loads(kept.read_bytes())
    hostile = pickle.dumps(({"charToGlyph": {}, "charWidths": {}, "unitsPerEm": 1000, "x": os.getcwd}, {}))
    kept.write_bytes(pickle.dumps((font_digest, facecache._digest(hostile), hostile)))
    face = _face(font)
    assert "x" not in face.__dict__ and face.name.ustr == "Lato-Regular"


def test_with_no_home_to_keep_in_the_font_is_parsed(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: (_ for _ in ()).throw(RuntimeError("no home"))))
    assert _face(FONTS_DIR / "Lato-Regular.ttf").name.ustr == "Lato-Regular"
