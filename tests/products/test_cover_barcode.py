"""The cover's barcode (read back by a scanner), its price add-on, the back's measure, the ISBN rule, reversed type."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace

import pikepdf
import pytest
from conftest import assert_rejected, print_manuscript, run_cli, word_boxes, write

from bookpress.load.isbn import isbn13, isbn13_written, parse_price
from bookpress.load.printers import INCH
from bookpress.products.cover import build_cover

BLURB = ("Forty photographs of lakes at dusk and woods in the rain, made over six summers by a photographer "
         "who walked from one shore to the next with a small camera and no plan at all, and who came home each "
         "autumn with more pictures than he could print. The book follows the light from June to October.\n\n"
         "Each picture is printed once, large, with a note on the place and the hour, so that the reader can "
         "find the same water and the same trees, and stand where the camera stood, on a quiet evening.")


def cover_book(root, printer: str = "kdp", cover: str = "", isbn: str | None = "0-306-40615-2"):
    """print_manuscript with an ISBN (an ISBN-10, which the barcode must carry as its 978 ISBN-13) and a long blurb."""
    root = print_manuscript(root, printer)
    book = root / "book.yaml"
    text = book.read_text(encoding="utf-8")
    blurb = "\n".join("    " + line if line else "" for line in BLURB.split("\n"))
    text = re.sub(r"^cover: .*$", f"cover:\n  photo: photos/big.jpg\n{cover}  back_text: |\n{blurb}", text, flags=re.M)
    book.write_text(text + (f"isbn: {isbn}\n" if isbn else "") + "publisher: Quiet Water Press\n", encoding="utf-8")
    return root


def scan(pdf, box_points: tuple[float, float, float, float]) -> set[str]:
    """What zbarimg reads in the region (x0, y0, x1, y1 from the sheet's top left, points), rendered at 300 dpi."""
    x0, y0, x1, y1 = (v * 300 / 72 for v in box_points)
    png = pdf.with_name("scan")
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", "-x", str(int(x0) - 10), "-y",
                    str(int(y0) - 10), "-W", str(int(x1 - x0) + 20), "-H", str(int(y1 - y0) + 20), str(pdf), str(png)],
                   check=True)
    found = subprocess.run(["zbarimg", "-q", "--raw", "-Sean5.enable", "-Sean13.enable", "--nodbus",
                            str(png) + ".png"], capture_output=True, text=True)
    return set(found.stdout.split())


def on_sheet_top_left(result, rect) -> tuple[float, float, float, float]:
    b = result.geometry.bleed
    return rect.x + b, rect.y + b, rect.right + b, rect.bottom + b


@pytest.fixture(scope="module")
def priced_root(tmp_path_factory):
    return cover_book(tmp_path_factory.mktemp("priced") / "book", cover="  price: $24.95\n")


@pytest.fixture(scope="module")
def priced(priced_root):
    return build_cover(priced_root)


def test_a_scanner_reads_the_isbn_13_and_the_price_add_on(priced):
    assert scan(priced.pdf, on_sheet_top_left(priced, priced.barcode)) == {"9780306406157", "52495"}
    assert priced.symbol is not None and priced.symbol.add_on == "52495"
    words = " ".join(w for x0, y0, x1, y1, w in word_boxes(priced.pdf)[0])
    assert "ISBN 978-0-306-40615-7" in words and "US$24.95" in words


def test_the_bars_are_black_vectors_on_the_white_box_inside_its_quiet_zones(priced):
    box, symbol = priced.barcode, priced.symbol.symbol
    assert box.x <= symbol.x and symbol.right <= box.right and box.y <= symbol.y and symbol.bottom <= box.bottom
    with pikepdf.open(priced.pdf) as pdf:
        assert not list(pdf.pages[0].get_images().keys())[1:], "the barcode is no image"
        fills, colour = [], None
        height = float(pdf.pages[0].MediaBox[3])
        b = priced.geometry.bleed
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            if str(operator) == "k":
                colour = tuple(float(v) for v in operands)
            elif str(operator) == "re":
                x, y, w, h = (float(v) for v in operands)
                top = height - (y + h) - b  # trim coordinates, y down
                if box.x - 0.01 <= x - b and x - b + w <= box.right + 0.01 and box.y - 0.01 <= top <= box.bottom:
                    fills.append((w, colour))
    bars = [(w, c) for w, c in fills if w < box.width - 1]
    assert len(bars) >= 30 and {c for _, c in bars} == {(0.0, 0.0, 0.0, 1.0)}  # 100% K only
    assert ((box.width, (0.0, 0.0, 0.0, 0.0)) in [(round(w, 3), c) for w, c in fills]
            or any(abs(w - box.width) < 0.01 and c == (0.0, 0.0, 0.0, 0.0) for w, c in fills))
    # The narrowest bar is one module: 0.33 mm at 100%, never under GS1's 80%.
    assert min(w for w, _ in bars) >= 0.8 * 0.33 * 72 / 25.4 - 0.001


def test_the_blurb_is_set_at_60_to_75_characters_a_line_in_a_reading_size(priced):
    paragraphs = [" ".join(p.split()) for p in BLURB.split("\n\n")]
    lines = priced.blurb_lines
    assert len(lines) >= 8
    full = [line for line in lines if not any(p.endswith(line.strip()) for p in paragraphs)]
    assert full and all(60 <= len(line) <= 75 for line in full), [len(line) for line in lines]
    assert 60 <= priced.measure_characters <= 75
    back = priced.geometry.back()
    words = [w for x0, y0, x1, y1, w in word_boxes(priced.pdf)[0]
             if x1 < back.right + priced.geometry.bleed and w in ("photographer", "camera", "quiet")]
    assert {"photographer", "camera", "quiet"} <= set(words)
    heights = [y1 - y0 for x0, y0, x1, y1, w in word_boxes(priced.pdf)[0] if w == "camera"]
    assert min(heights) >= 11.0  # pdftotext's word box is about the type size: 11 pt or more on the back


def test_no_isbn_leaves_the_box_clear_and_kdp_is_told_it_can_assign_one(priced_root):
    from bookpress.options import Request
    from bookpress.pipeline import load_and_lay_out
    from bookpress.preflight.isbn_check import check_isbn
    from bookpress.products.cover import barcode_area, cover_geometry, lay_out_cover

    manuscript, options, book = load_and_lay_out(priced_root, Request(jobs=1))
    manuscript = replace(manuscript, meta=replace(manuscript.meta, isbn=None))
    geometry = cover_geometry(manuscript, options.preset, len(book.pages))
    box = barcode_area(geometry, options.preset)
    laid = lay_out_cover(manuscript, options, geometry, box, False)
    assert laid.barcode is None
    inside = [i for i in laid.book.pages[0].items if getattr(i, "rect", None) and box.x <= i.rect.x < box.right
              and box.y <= i.rect.y < box.bottom]
    assert [i.color for i in inside] == [(0.0, 0.0, 0.0, 0.0)]  # the bare white box, nothing in it
    measured: dict[str, str] = {}
    (warning,) = check_isbn(manuscript, options.preset, measured)
    assert "needs an ISBN for a paperback" in warning.message and measured["isbn"].startswith("none")
    assert "KDP assigns a free ISBN" in warning.hint and "`isbn: 978-...` in book.yaml" in warning.hint
    assert warning.where == "book.yaml:3:10"


def long_book(root, printer: str, extra: str = ""):
    """A text-only book long enough for every printer's page minimum (pages broken by hand: nothing to prepare)."""
    breaks = "\n".join(["  - text: A page of its own.\n  - pagebreak:"] * 30)
    write(root / "chapters" / "one.yaml", f"title: Pages\nblocks:\n{breaks}\n")
    write(root / "book.yaml", f"title: Long Enough\nprinter: {printer}\nformat: {{trim: 6x9in}}\n"
                              f"chapters: [chapters/one.yaml]\n{extra}")
    return root


@pytest.mark.parametrize("printer, words", [("kdp", ("needs an ISBN for a paperback", "KDP assigns a free ISBN")),
                                            ("ingramspark", ("takes no book without an ISBN", "ISBN agency"))])
def test_compile_for_a_printer_that_needs_an_isbn_warns_and_says_what_to_do(tmp_path, printer, words):
    result = run_cli("compile", long_book(tmp_path / "book", printer), "--jobs", "1")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "ISBN" in line)
    assert line.startswith("book.yaml:2:10: warning:"), line
    assert all(word in line for word in words) and "`isbn: 978-...` in book.yaml" in line, line


def test_an_editions_isbn_is_asked_for_under_the_edition(tmp_path):
    root = long_book(tmp_path / "book", "generic", extra="editions:\n  kdp: {printer: kdp}\n")
    plain = run_cli("compile", root, "--jobs", "1")
    assert plain.exit_code == 0 and "ISBN" not in plain.output  # the generic printer asks for none
    result = run_cli("compile", root, "--jobs", "1", "--edition", "kdp")
    line = next(line for line in result.output.splitlines() if "ISBN" in line)
    assert "under editions.kdp in book.yaml" in line and line.startswith("book.yaml:6:18:"), line
    given = run_cli("compile", long_book(tmp_path / "given", "kdp", extra="isbn: 978-3-16-148410-0\n"), "--jobs", "1")
    assert given.exit_code == 0 and "ISBN" not in given.output


@pytest.mark.parametrize("text, add_on, label", [("52495", "52495", "US$24.95"), ("USD 24.95", "52495", "US$24.95"),
                                                 ("24.95 USD", "52495", "US$24.95"), ("$24.95", "52495", "US$24.95"),
                                                 ("CAD 29.99", "62999", "CA$29.99"), ("£7.99", "00799", "£7.99"),
                                                 ("AUD 30", "33000", "A$30.00"), ("90000", "90000", None),
                                                 ("59999", "59999", None)])
def test_a_price_as_a_publisher_writes_it_becomes_the_add_on(text, add_on, label):
    price, problem = parse_price(text)
    assert problem is None and (price.add_on, price.label) == (add_on, label)


@pytest.mark.parametrize("text, words", [("EUR 20", "EUR has no price add-on"), ("24.95", "neither a currency"),
                                         ("USD 120", "up to 99.99"), ("USD 2.999", "two decimals"),
                                         ("72495", "names no currency")])
def test_a_price_the_add_on_cannot_carry_is_refused_at_its_line(tmp_path, text, words):
    root = long_book(tmp_path / "book", "kdp", extra=f"cover:\n  price: {text}\n")
    assert_rejected(run_cli("check", root), "book.yaml:6:10", "cover.price", words)
    assert parse_price(text)[0] is None


def test_an_isbn_10_becomes_its_978_isbn_13():
    assert isbn13("0-306-40615-2") == "9780306406157" and isbn13_written("0-306-40615-2") == "978-0-306-40615-7"
    assert isbn13("080442957X") == "9780804429573"
    assert isbn13_written("978-3-16-148410-0") == "978-3-16-148410-0"


def test_no_thin_type_on_the_cover_sits_over_the_photo_and_a_thin_reversed_line_is_reported(priced, priced_root):
    from bookpress.book import PlacedImage, PlacedText
    from bookpress.options import Request
    from bookpress.pipeline import load_and_lay_out
    from bookpress.preflight.reversed_type import check_reversed_type, grounds_under
    from bookpress.products.cover import barcode_area, cover_geometry, lay_out_cover

    rows = dict(priced.preflight.measured)
    assert rows["reversed"] == "no light type over a photo or a four-colour solid"
    manuscript, options, book = load_and_lay_out(priced_root, Request(jobs=1))
    geometry = cover_geometry(manuscript, options.preset, len(book.pages))
    wrap = lay_out_cover(manuscript, options, geometry, barcode_area(geometry, options.preset), False).book
    page = wrap.pages[0]
    lines = [i for i in page.items if isinstance(i, PlacedText)]
    assert lines and not any(isinstance(g, PlacedImage) for line in lines for g in grounds_under(page, line))
    photo = next(i for i in page.items if isinstance(i, PlacedImage))
    title = next(line for line in lines if line.text.startswith("Print Test") and line.x > geometry.front().x)
    white = (0.0, 0.0, 0.0, 0.0)
    thin = replace(lines[-1], x=photo.rect.x + 20, baseline=photo.rect.y + 100, color=white)
    large = replace(title, baseline=photo.rect.y + 200, color=white)  # 42 pt: safe to reverse
    moved = replace(wrap, pages=(replace(page, items=page.items + (thin, large)),))
    measured: dict[str, str] = {}
    (finding,) = check_reversed_type(moved, measured)
    assert finding.severity.value == "warning" and "thin type reversed out of the photo big.jpg" in finding.message
    assert "solid panel" in finding.hint
    assert measured["reversed"].startswith("2 light line(s)") and "1 too thin" in measured["reversed"]
    assert photo.rect.bottom < geometry.front().bottom - 0.2 * INCH  # the photo stops at the title's panel


def test_the_barcode_and_its_digits_keep_the_printers_safety_from_the_trim_and_the_fold(tmp_path):
    # IngramSpark asks 0.5 in of safety, more than the 0.25 in its barcode box usually sits from the
    # trim: the digits printed under the bars are text the trimming knife must not reach.
    result = build_cover(cover_book(tmp_path / "book", "ingramspark", isbn="978-0-306-40615-7"))
    safety, geometry = 0.5 * 72, result.geometry
    trim_bottom, fold = geometry.bleed + geometry.page_height, geometry.bleed + geometry.page_width
    x0, y0, x1, y1 = on_sheet_top_left(result, result.barcode)
    assert trim_bottom - y1 >= safety - 0.01 and fold - x1 >= safety - 0.01
    digits = [w for w in word_boxes(result.pdf)[0] if x0 <= w[0] and w[2] <= x1 and y0 <= w[1] and w[3] <= y1]
    assert any(w[4].isdigit() for w in digits)
    for wx0, wy0, wx1, wy1, word in digits:
        assert trim_bottom - wy1 >= safety - 0.01, (word, (trim_bottom - wy1) / 72)
    assert scan(result.pdf, (x0, y0, x1, y1)) == {"9780306406157"}
