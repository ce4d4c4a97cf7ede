"""Broken YAML -> exit 1 and a message at the file, line and column, with what to do; never a traceback or a hang."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import SMALL_CHAPTER, assert_rejected, edit
from conftest import run_compile as compile_


def test_a_syntax_error_names_its_line_and_column(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "caption: A landscape.", "caption: [A landscape.")
    line = assert_rejected(compile_(small_book), "chapters/01.yaml:7:", "invalid YAML")
    assert "check indentation, colons and quotes" in line
    assert not (small_book / "build").exists()


def test_a_syntax_error_in_book_yaml(small_book: Path) -> None:
    edit(small_book / "book.yaml", "author: Test Author", "author: Test: Author")
    assert_rejected(compile_(small_book), "book.yaml:2:13:", "mapping values are not allowed")


def test_a_tab_in_the_indentation_is_explained(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "\n    caption: A landscape.", "\n\tcaption: A landscape.")
    line = assert_rejected(compile_(small_book), "chapters/01.yaml:6:1:")
    assert "indent with spaces" in line


def test_a_file_that_is_not_utf8(small_book: Path) -> None:
    text = SMALL_CHAPTER.replace("A paragraph of text.", "Un café au lait.")
    (small_book / "chapters/01.yaml").write_bytes(text.encode("latin-1"))
    line = assert_rejected(compile_(small_book), "chapters/01.yaml:4:", "not UTF-8")
    assert "save it as UTF-8" in line


def test_a_utf8_byte_order_mark_is_fine(small_book: Path) -> None:
    path = small_book / "chapters/01.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert compile_(small_book).exit_code == 0
    from bookpress.load.manuscript import load_manuscript

    assert load_manuscript(small_book).chapters[0].title == "One"  # the mark is not part of the first key


def test_an_empty_chapter_file(small_book: Path) -> None:
    (small_book / "chapters/01.yaml").write_text("")
    assert_rejected(compile_(small_book), "chapters/01.yaml:1:1:", "the file is empty")


def test_a_book_yaml_with_only_a_comment(small_book: Path) -> None:
    (small_book / "book.yaml").write_text("  \n# nothing yet\n")
    assert_rejected(compile_(small_book), "book.yaml:1:1:", "the file is empty")


def test_an_alias_bomb_stops_quickly_with_a_message(small_book: Path) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for name, previous in zip("bcdefghi", "abcdefgh"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    (small_book / "chapters/01.yaml").write_text("title: Bomb\n" + "\n".join(lines) + "\n")
    # CPU seconds of this process, not wall time: unguarded, the 9**9 nodes would take minutes of CPU,
    # while a loaded machine can stretch the guarded run's wall time past any fixed bound.
    start = time.process_time()
    result = compile_(small_book)
    assert time.process_time() - start < 10
    assert_rejected(result, "chapters/01.yaml:", "expands to more than", "aliases")


def test_a_recursive_alias_is_refused(small_book: Path) -> None:
    (small_book / "chapters/01.yaml").write_text("title: Loop\nblocks: &loop [*loop]\n")
    assert_rejected(compile_(small_book), "chapters/01.yaml:2:", "nests more than")


def test_a_python_tag_is_never_executed(small_book: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    edit(small_book / "book.yaml", "author: Test Author",
         f"author: !!python/object/apply:os.system ['touch {marker}']")
    line = assert_rejected(compile_(small_book), "book.yaml:2:9:", "unsupported YAML tag !!python/object/apply")
    assert "remove the tag" in line
    assert not marker.exists()


def test_a_custom_tag_on_a_text_is_refused(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "caption: A landscape.", "caption: !shout A landscape.")
    assert_rejected(compile_(small_book), "chapters/01.yaml:6:14:", "unsupported YAML tag !shout")


def test_a_key_given_twice(small_book: Path) -> None:
    edit(small_book / "book.yaml", "author: Test Author", "author: Test Author\nauthor: Someone Else")
    assert_rejected(compile_(small_book), "book.yaml:3:1:", "key 'author' is given twice", "keep one")


def test_an_invisible_control_character_is_located(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "A paragraph of text.", "A paragraph\x07 of text.")
    line = assert_rejected(compile_(small_book), "chapters/01.yaml:4:18:", "control character (U+0007)")
    assert "invisible" in line


def test_two_documents_in_one_file(small_book: Path) -> None:
    path = small_book / "chapters/01.yaml"
    path.write_text(path.read_text() + "---\ntitle: Two\n")
    assert_rejected(compile_(small_book), "chapters/01.yaml:13:", "more than one YAML document")


def test_deep_brackets_do_not_crash(small_book: Path) -> None:
    (small_book / "chapters/01.yaml").write_text("title: Deep\nblocks: " + "[" * 3000 + "]" * 3000 + "\n")
    assert_rejected(compile_(small_book), "chapters/01.yaml", "nests more than")
