"""The press profile deflated once and kept between runs: used only while it inflates to the profile's bytes."""

from __future__ import annotations

import pickle
import shutil
import zlib
from pathlib import Path

import pytest

from bookpress.images.colour import CMYK_PROFILE
from bookpress.press import pdfx


@pytest.fixture
def profile(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pdfx._deflated.cache_clear()
    yield Path(shutil.copy(CMYK_PROFILE, tmp_path / "press.icc"))
    pdfx._deflated.cache_clear()


def _deflated(path: Path) -> bytes:
    pdfx._deflated.cache_clear()  # a new run: only the user's cache is left
    info = path.stat()
    return pdfx._deflated(str(path), info.st_size, info.st_mtime_ns)


def test_the_kept_deflated_profile_is_read_back_and_inflates_to_the_profile(profile: Path, tmp_path: Path) -> None:
    first = _deflated(profile)
    assert len(list((tmp_path / "cache" / "bookpress" / "profiles").glob("press-*.pickle"))) == 1
    assert zlib.decompress(_deflated(profile)) == profile.read_bytes() == zlib.decompress(first)


def test_a_kept_file_that_does_not_inflate_to_the_profile_is_made_again(profile: Path, tmp_path: Path) -> None:
    _deflated(profile)
    (kept,) = (tmp_path / "cache" / "bookpress" / "profiles").glob("press-*.pickle")

    kept.write_bytes(pickle.dumps(zlib.compress(b"another profile altogether")))  # sound, and wrong
    assert zlib.decompress(_deflated(profile)) == profile.read_bytes()
    kept.write_bytes(pickle.dumps(b"not deflate data"))
    assert zlib.decompress(_deflated(profile)) == profile.read_bytes()
    kept.write_bytes(b"\x80\x05truncated")
    assert zlib.decompress(_deflated(profile)) == profile.read_bytes()
    assert zlib.decompress(pickle.loads(kept.read_bytes())) == profile.read_bytes()  # written again, sound

