"""book.yaml `editions:`: one manuscript, several outputs; each edition's keys laid over the book's."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_rejected, edit, run_cli, write_small_book

from bookpress.diagnostics import UsageError
from bookpress.load.manuscript import declared_editions, load_manuscript
from bookpress.load.printers import INCH

EDITIONS = """\
format:
  trim: 8x10in
  margins: {inside: 22mm, outside: 15mm}
printer: kdp
isbn: 978-0-306-40615-7
editions:
  kdp: {}
  ingramspark:
    printer: ingramspark
    paper: cream
    isbn: 978-1-4028-9462-6
  blurb-10x8:
    printer: blurb
    format: {trim: 10x8in}
    print: {ppi: 250}
"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = write_small_book(tmp_path / "book")
    (root / "book.yaml").write_text((root / "book.yaml").read_text() + EDITIONS)
    return root


def test_without_an_edition_the_book_is_as_book_yaml_states_it(book: Path) -> None:
    manuscript = load_manuscript(book)
    assert manuscript.edition is None
    assert manuscript.editions == ("kdp", "ingramspark", "blurb-10x8")
    assert manuscript.print.printer == "kdp"
    assert declared_editions(book) == ("kdp", "ingramspark", "blurb-10x8")


def test_an_edition_replaces_only_the_keys_it_gives(book: Path) -> None:
    ingram = load_manuscript(book, edition="ingramspark")
    assert (ingram.edition, ingram.print.printer, ingram.print.paper, ingram.print.pdfx) == \
        ("ingramspark", "ingramspark", "cream", "x1a")
    assert ingram.meta.isbn == "978-1-4028-9462-6"
    assert ingram.format.trim.width == pytest.approx(8 * INCH)

    blurb = load_manuscript(book, edition="blurb-10x8")
    assert (blurb.format.trim.width, blurb.format.trim.height) == pytest.approx((10 * INCH, 8 * INCH))
    # A mapping is merged key by key: the book's margins and ISBN stay.
    assert blurb.format.margins.inside == pytest.approx(22 * 72 / 25.4)
    assert blurb.format.margins.outside == pytest.approx(15 * 72 / 25.4)
    assert blurb.meta.isbn == "978-0-306-40615-7"
    assert (blurb.print.printer, blurb.print.ppi, blurb.print.pdfx) == ("blurb", 250, "x4")
    # The content is the book's, whatever the edition.
    assert blurb.chapters == load_manuscript(book).chapters


def test_a_problem_with_an_editions_value_is_reported_at_the_edition(book: Path) -> None:
    # 10x8in is not a KDP trim: wrong only for the edition that chooses KDP, and shown where it says so.
    edit(book / "book.yaml", "  kdp: {}", "  kdp: {format: {trim: 10x8in}}")
    line = next(i for i, text in enumerate((book / "book.yaml").read_text().splitlines(), 1) if "kdp: {format" in text)
    result = run_cli("check", book, "--edition", "kdp", "-q", "-j", "1")
    found = assert_rejected(result, f"book.yaml:{line}:", "printer 'kdp' does not print the trim '10x8in'")
    assert "8x10in" in found  # the hint lists the trims KDP prints
    # The book itself (KDP at 8x10in) is fine: the edition's trim is not its problem.
    assert load_manuscript(book).format.trim.width == pytest.approx(8 * INCH)


def test_wrong_keys_in_an_edition_are_reported_in_any_build(book: Path) -> None:
    edit(book / "book.yaml", "    paper: cream", "    paper: glossy\n    title: Another Title\n    printr: lulu")
    lines = (book / "book.yaml").read_text().splitlines()
    start = lines.index("editions:")
    at = {key: next(i for i, text in enumerate(lines, 1) if i > start and text.strip().startswith(key)) for key in
          ("paper:", "title:", "printr:")}
    result = run_cli("check", book, "-q", "-j", "1")  # the book, not the edition: the editions are checked too
    assert_rejected(result, f"book.yaml:{at['paper:']}:12:", "'editions.ingramspark.paper'", "'white', 'cream'")
    title = assert_rejected(result, f"book.yaml:{at['title:']}:5:", "edition 'ingramspark' cannot change 'title'")
    assert "printer, paper, format, print, isbn" in title
    assert_rejected(result, f"book.yaml:{at['printr:']}:5:", "unknown key 'printr'", "did you mean 'printer'?")


def test_edition_names_must_make_file_names(book: Path) -> None:
    edit(book / "book.yaml", "  kdp: {}", "  KDP paperback: {}")
    result = run_cli("check", book, "-q", "-j", "1")
    assert_rejected(result, "book.yaml:", "edition name 'KDP paperback' cannot be used in a file name")


def test_an_unknown_edition_is_a_usage_error_that_names_the_editions(book: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_manuscript(book, edition="kpd")
    assert "did you mean 'kdp'?" in str(caught.value)
    result = run_cli("compile", book, "--edition", "hardcover", "-q", "-j", "1")
    line = next(i for i, text in enumerate((book / "book.yaml").read_text().splitlines(), 1) if text == "editions:")
    assert result.exit_code == 2
    assert f"book.yaml:{line}:1: there is no edition 'hardcover'" in result.stderr
    assert "the editions are: kdp, ingramspark, blurb-10x8" in result.stderr
    assert "Traceback" not in result.output


def test_a_book_without_editions_says_so(small_book: Path) -> None:
    for args in (("--edition", "kdp"), ("--all-editions",)):
        result = run_cli("compile", small_book, *args, "-q", "-j", "1")
        assert result.exit_code == 2, result.output
        assert "declares no editions" in result.stderr and "'editions:'" in result.stderr


def test_all_editions_refuses_one_output_file(book: Path, tmp_path: Path) -> None:
    result = run_cli("compile", book, "--all-editions", "-o", tmp_path / "one.pdf", "-q", "-j", "1")
    assert result.exit_code == 2
    assert "--all-editions writes one for each edition" in result.stderr


def test_all_editions_goes_on_past_an_edition_with_errors(book: Path) -> None:
    edit(book / "book.yaml", "format: {trim: 10x8in}", "format: {trim: 9x9in}")  # no Blurb trim
    result = run_cli("compile", book, "--all-editions", "-q", "-j", "1")
    assert result.exit_code == 1
    assert "edition blurb-10x8:" in result.stderr and "printer 'blurb' does not print the trim '9x9in'" in \
        result.stderr
    built = {p.name for p in (book / "build").glob("*.pdf")}
    # The others were built (a 10-page book is too short for these printers: written as not ready).
    assert {"small-book-kdp.not-ready.pdf", "small-book-ingramspark.not-ready.pdf"} <= built
    assert not any("blurb" in name for name in built)
