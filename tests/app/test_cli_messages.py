"""What the commands say: --help without noise, why `check --strict` failed, how many sheets a spreads proof has."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pikepdf
import pytest
from conftest import run_cli

COMMANDS = ("compile", "check", "proof", "cover", "init", "watch", "layouts")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_value_type_for_flags(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "<bool>" not in result.output
    assert "--quiet" in result.output and "--help" in result.output


def test_the_command_list_shows_no_value_type_for_its_flags() -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "<bool>" not in result.output
    assert re.search(r"--version\s+Show the version", result.output), result.output


def test_help_names_the_values_options_take() -> None:
    text = run_cli("compile", "--help").output
    assert re.search(r"--printer\s+NAME", text) and re.search(r"--edition\s+-e\s+NAME", text)
    assert re.search(r"--jobs\s+-j\s+N", text)
    assert "kdp" in text and "ingramspark" in text  # --printer lists the presets


def test_check_strict_says_the_warnings_made_it_fail(small_book: Path) -> None:
    plain = run_cli("check", small_book, "-q", "-j", "1")
    assert plain.exit_code == 0 and "because of --strict" not in plain.stderr  # warnings only: it passes
    strict = run_cli("check", small_book, "--strict", "-q", "-j", "1")
    assert strict.exit_code == 1
    found = re.search(r"check failed because of --strict: preflight found no errors but (\d+) warnings", strict.stderr)
    assert found and int(found.group(1)) > 0
    assert "leave out --strict" in strict.stderr


def test_spreads_proof_counts_its_sheets(small_book: Path) -> None:
    result = run_cli("proof", small_book, "--spreads", "--no-report", "-j", "1")
    assert result.exit_code == 0, result.output
    found = re.search(r"\((\d+) pages on (\d+) spreads, build", result.stdout.replace("\n", ""))
    assert found, result.stdout
    pages, sheets = int(found.group(1)), int(found.group(2))
    assert sheets == 1 + math.ceil((pages - 1) / 2)
    with pikepdf.open(small_book / "build" / "small-book-proof.pdf") as pdf:
        assert len(pdf.pages) == sheets
    single = run_cli("proof", small_book, "--no-report", "-j", "1")
    assert f"({pages} pages, build" in single.stdout.replace("\n", "")


@pytest.mark.parametrize("title, name", [
    ("Книга о холмах", "kniga-o-kholmakh"), ("Новый мир", "novyy-mir"), ("Київ і Львів", "kiyiv-i-lviv"),
    ("Το βιβλίο των λόφων", "to-vivlio-ton-lofon"), ("Æsir & Øresund", "aesir-oresund"), ("Łódź", "lodz"),
    ("Ça va, Zürich?", "ca-va-zurich"), ("The USSR in the 1950s", "the-ussr-in-the-1950s"),
    ("東京の写真", "book"),  # no Latin spelling is guessed for ideographs: the plain name
])
def test_a_books_file_is_named_by_its_title_in_latin_letters(title: str, name: str) -> None:
    # A Russian, Greek or Danish title named no file of its own ("book.pdf", "sir-resund.pdf") before.
    from bookpress.options import slug

    assert slug(title) == name
