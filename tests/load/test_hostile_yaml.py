"""YAML that the parser's own constructors choke on -> a located error, with the other problems of the run."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_rejected, edit
from conftest import run_compile as compile_


@pytest.mark.parametrize("value", ["!!timestamp not-a-date", "!!bool maybe", "!!bool ''", "!!int ''",
                                   "!!float ''", "!!int 0x", "!!float ."])
def test_a_scalar_that_does_not_fit_its_tag_is_located_and_the_rest_still_reported(small_book: Path, value) -> None:
    edit(small_book / "chapters/01.yaml", "    caption: A landscape.", f"    caption: {value}")
    edit(small_book / "book.yaml", "author: Test Author", "author: Test Author\nprinter: kdpp")
    result = compile_(small_book)
    line = assert_rejected(result, "chapters/01.yaml:6:14:", "does not match its tag")
    assert value.split()[0] in line
    assert_rejected(result, "book.yaml:3:10:", "unknown printer preset 'kdpp'")  # the other file is still checked


@pytest.mark.parametrize("depth", [100, 2000, 5000])
def test_deep_flow_nesting_is_reported_where_it_goes_too_deep(small_book: Path, depth: int) -> None:
    (small_book / "chapters/01.yaml").write_text("title: Deep\nblocks: " + "[" * depth + "]" * depth + "\n")
    # 'blocks: ' is 8 characters; the 65th bracket opens the 65th level (the document's mapping is the first)
    assert_rejected(compile_(small_book), "chapters/01.yaml:2:72:", "nests more than 64 levels deep", "brackets")


def test_deep_unclosed_nesting_is_located_too(small_book: Path) -> None:
    (small_book / "chapters/01.yaml").write_text("title: Deep\nblocks: " + "{a: " * 3000 + "\n")
    assert_rejected(compile_(small_book), "chapters/01.yaml:2:", "nests more than 64 levels deep")


def test_deep_block_nesting_is_located(small_book: Path) -> None:
    text = "title: Deep\nblocks:\n" + "".join(" " * i + "- \n" for i in range(120))
    (small_book / "chapters/01.yaml").write_text(text)
    assert_rejected(compile_(small_book), "chapters/01.yaml:66:", "nests more than 64 levels deep")


@pytest.mark.parametrize("old, new, where", [
    ("    caption: A landscape.", "    caption: [1, 2]", "chapters/01.yaml:6:14:"),
    ("    caption: A landscape.", "    fit: sideways", "chapters/01.yaml:6:10:"),
    ("    caption: A landscape.", "    focus: [0.5]", "chapters/01.yaml:6:5:"),
    ("    caption: A landscape.", "    focus: [2, 0.5]", "chapters/01.yaml:6:12:"),
    ("    caption: A landscape.", "    focus: 7", "chapters/01.yaml:6:12:"),
    ("  - photoset: photos/set", "  - photoset: photos/set\n    layout: 12", "chapters/01.yaml:7:5:"),
])
def test_every_type_problem_says_what_to_do(small_book: Path, old, new, where) -> None:
    edit(small_book / "chapters/01.yaml", old, new)
    line = assert_rejected(compile_(small_book), where)
    assert line.rstrip().endswith(")"), line  # the hint, in parentheses
