"""Text from the manuscript reaches the terminal escaped: no control character moves the cursor or hides a line."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import assert_rejected, edit, photo, run_compile

from bookpress.diagnostics import Diagnostic, Severity, printable


def test_an_escape_sequence_in_a_path_is_shown_escaped(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "  - photo: photos/a.jpg", '  - photo: "photos/\\e[8mhidden\\a.jpg"')
    result = run_compile(small_book)
    line = assert_rejected(result, "chapters/01.yaml:5:12:", "not found")
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "photos/\\x1b[8mhidden\\x07.jpg" in line


def test_a_control_character_in_a_file_name_is_shown_escaped(small_book: Path) -> None:
    photo(small_book / "photos/set/\x1b]0;owned\x07.jpg", (600, 400))
    (small_book / "photos/set/\x1b]0;owned\x07.jpg").write_bytes(b"not an image")
    result = run_compile(small_book)
    assert "\x1b" not in result.stderr
    assert_rejected(result, "chapters/01.yaml:7:15:", "photos/set/\\x1b]0;owned\\x07.jpg")


def test_bidirectional_overrides_and_newlines_are_shown_escaped() -> None:
    diagnostic = Diagnostic(Severity.ERROR, "caption 'abc\u202eexe.gpj' is\nbad", "chapters/\t1.yaml", 3, 4,
                            hint="fix it")
    assert diagnostic.format() == "chapters/\\t1.yaml:3:4: error: caption 'abc\\u202eexe.gpj' is\\nbad (fix it)"
    assert printable("Ünïcödé – “quoted” ☃") == "Ünïcödé – “quoted” ☃"  # printable text is left alone


def test_it_compiles_where_hashlib_has_no_file_digest(small_book: Path, monkeypatch) -> None:
    """Python 3.10 has no hashlib.file_digest (3.11+): pyproject promises 3.10."""
    monkeypatch.delattr(hashlib, "file_digest", raising=False)
    result = run_compile(small_book, "--no-cache")
    assert result.exit_code == 0, result.output
    assert (small_book / "build/small-book.pdf").read_bytes().startswith(b"%PDF-")
