"""The pages a publisher prints around the photographs: the copyright page, the photo credits, the colophon,
and chapter openers that look alike whether or not a chapter has a photo."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import LOREM, assert_rejected, lay_out, photo, run_compile, write
from PIL import Image

from bookpress.book import PlacedImage, PlacedText
from bookpress.options import Request
from bookpress.pipeline import load_and_lay_out


def _read(item: PlacedText) -> str:
    """A line as a reader reads it: a space wherever the fragments leave a word space between them."""
    text, end = "", None
    for fragment in item.fragments:
        if end is not None and fragment.x - end > fragment.size * 0.15 and not text.endswith(" "):
            text += " "
        text += fragment.text
        end = fragment.x + fragment.width
    return text


def _lines(page, role: str | None = None) -> list[str]:
    return [_read(item) for item in page.items if isinstance(item, PlacedText) and (role is None or item.role == role)]


def _page(book, kind: str):
    if kind == "colophon":  # on a page of its own, or at the foot of the credits' page: where the outline says
        return book.pages[next(e.page_index for e in book.outline if e.title in ("Colophon", "Kolophon"))]
    return next(page for page in book.pages if page.kind == kind)


def _small_book(tmp_path: Path, book_extra: str = "", chapters: dict[str, str] | None = None) -> Path:
    root = tmp_path / "book"
    for name, colour in (("a", (30, 80, 150)), ("b", (150, 80, 30)), ("c", (40, 140, 60)), ("d", (140, 40, 120))):
        photo(root / "photos" / f"{name}.jpg", (900, 600), colour)
    chapters = chapters or {"chapters/one.yaml": f"""
        title: One
        blocks:
          - text: "{LOREM}"
          - photo: photos/a.jpg
            caption: A blue photo.
            credit: Ann Archer
    """}
    write(root / "book.yaml", "title: Small Book\nauthor: Test Author\nformat: {trim: 6x9in}\n"
          f"chapters: [{', '.join(chapters)}]\n" + book_extra)
    for name, text in chapters.items():
        write(root / name, text)
    return root


# -- the copyright page ------------------------------------------------------------------------------------------

PUBLISHING = """
publisher: Northern Light Press
publisher_address: 12 Harbour Street, Leith
isbn: 978-0-00-000001-9
year: 2026
edition: First edition
printing: 3
printed_by: Grafia Oy
printed_in: Finland
"""


def test_the_copyright_page_says_what_a_publisher_prints(tmp_path):
    book = lay_out(_small_book(tmp_path, PUBLISHING))
    lines = _lines(_page(book, "copyright"))
    text = "\n".join(lines)
    for expected in ("Small Book", "© 2026 Test Author", "All rights reserved.", "First edition 2026",
                     "ISBN 978-0-00-000001-9", "Published by Northern Light Press", "12 Harbour Street, Leith",
                     "Printed by Grafia Oy", "Printed in Finland", "Typeset with bookpress"):
        assert expected in text, (expected, lines)
    # the number line of a third printing ends at 3
    assert "10 9 8 7 6 5 4 3" in lines and not any(line.endswith("3 2 1") for line in lines)
    credits = _page(book, "credits")
    assert f"The photographers are credited on page {credits.label}." in text
    # a readable measure: no line of the page runs past some 75 characters
    assert max(len(line) for line in lines) <= 80


def test_an_edition_prints_its_own_isbn_and_printer(tmp_path):
    root = _small_book(tmp_path, PUBLISHING + "editions:\n  kdp: {printer: kdp, isbn: 978-0-00-000002-6, "
                       "printed_by: Amazon KDP}\n")
    book = load_and_lay_out(root, Request(jobs=1, edition="kdp"))[2]
    text = "\n".join(_lines(_page(book, "copyright")))
    assert "ISBN 978-0-00-000002-6" in text and "978-0-00-000001-9" not in text
    assert "Printed by Amazon KDP" in text


@pytest.mark.parametrize("value, words", [("printing: 0", ("printing", "at least 1")),
                                           ("printing: 11", ("printing", "at most 10")),
                                           ("printed_in: [Finland]", ("printed_in",))])
def test_a_wrong_publishing_value_is_an_error_at_its_line(tmp_path, value, words):
    root = _small_book(tmp_path, value + "\n")
    assert_rejected(run_compile(root), "book.yaml:5:", *words)


# -- the photo credits -------------------------------------------------------------------------------------------

def _credits_text(book) -> str:
    return " ".join(_lines(_page(book, "credits"), "credits"))


def _page_of(book, name: str) -> list[str]:
    return [page.label for page in book.pages
            if any(isinstance(i, PlacedImage) and i.photo.image.path.name == name for i in page.items)]


def test_credits_are_grouped_by_photographer_with_pages_and_positions(tmp_path):
    chapters = {"chapters/one.yaml": f"""
        title: One
        blocks:
          - text: "{LOREM}"
          - page: two-up
            slots:
              top: {{photo: photos/a.jpg, caption: Blue., credit: Ann Archer}}
              bottom: {{photo: photos/b.jpg, caption: Brown., credit: Bob Baker}}
          - spread: panorama
            slots: {{photo: {{photo: photos/c.jpg, credit: Ann Archer}}}}
          - photo: photos/d.jpg
            caption: Purple.
            credit: Ann Archer
    """}
    root = _small_book(tmp_path, "print: {min_ppi: 50}\ncover: {photo: photos/a.jpg}\n", chapters)
    book = lay_out(root)
    (two_up,), spread, (alone,) = _page_of(book, "a.jpg"), _page_of(book, "c.jpg"), _page_of(book, "d.jpg")
    assert len(spread) == 2
    text = _credits_text(book)
    assert f"Ann Archer {two_up} top, {spread[0]}–{spread[1]}, {alone}, cover" in text, text
    assert f"Bob Baker {two_up} bottom" in text, text
    assert text.index("Ann Archer") < text.index("Bob Baker")  # in the order of the names
    assert "a.jpg" not in text and "photos" not in text


@pytest.mark.parametrize("family, lead_face", [("Gentium Book Plus", "Bold"), ("EB Garamond", "Italic")])
def test_credits_set_names_off_in_a_face_the_family_has_and_warn_of_none(tmp_path, family, lead_face):
    # The photographers' names are bookpress's emphasis, not the author's: in a family with no bold face
    # (EB Garamond, as `bookpress init` chooses) they are set in its italic, and no warning says a bold is missing.
    root = _small_book(tmp_path, f"style:\n  body: {{font: {family}}}\n")
    book = lay_out(root)
    credit = next(item for item in _page(book, "credits").items
                  if isinstance(item, PlacedText) and item.role == "credits" and "Ann" in _read(item))
    name = next(fragment for fragment in credit.fragments if fragment.text.startswith("Ann"))
    places = credit.fragments[-1]
    assert lead_face in name.font and lead_face not in places.font, (name.font, places.font)
    assert not [note for note in book.notes if "face" in note.message], [note.message for note in book.notes]


def test_a_caption_listed_with_the_credits_ends_in_a_stop_before_its_credit(tmp_path):
    # A full-bleed page prints no caption, so its caption is listed with the credits. One without a stop
    # of its own (an embedded description, most often) gets one before "Photo: ...".
    chapters = {"chapters/one.yaml": f"""
        title: One
        blocks:
          - text: "{LOREM}"
          - page: full-bleed
            slots: {{photo: {{photo: photos/a.jpg, caption: Hills at dawn, credit: Ann Archer}}}}
          - page: full-bleed
            slots: {{photo: {{photo: photos/b.jpg, caption: A lake at noon!, credit: Bob Baker}}}}
    """}
    book = lay_out(_small_book(tmp_path, "print: {min_ppi: 50}\n", chapters))
    text = " ".join(_lines(_page(book, "credits")))
    assert "Hills at dawn. Photo: Ann Archer." in text, text
    assert "A lake at noon! Photo: Bob Baker." in text, text


def _with_exif_artist(path: Path, name: str) -> Path:
    im = Image.open(path)
    exif = Image.Exif()
    exif[0x013B] = name
    im.save(path, exif=exif, quality=85)
    return path


def _with_xmp_creator(path: Path, name: str) -> Path:
    xmp = ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
           'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>'
           f'{name}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
    im = Image.open(path)
    im.save(path, xmp=xmp.encode("utf-8"), quality=85)
    return path


def test_a_credit_the_manuscript_does_not_give_comes_from_the_image_metadata(tmp_path):
    chapters = {"chapters/one.yaml": f"""
        title: One
        blocks:
          - text: "{LOREM}"
          - photo: photos/a.jpg
            caption: Blue.
          - text: "{LOREM}"
          - photo: photos/b.jpg
            caption: Brown.
          - text: "{LOREM}"
          - photo: photos/c.jpg
            caption: Green.
            credit: Cora Given
    """}
    root = _small_book(tmp_path, "print: {min_ppi: 50}\n", chapters)
    _with_exif_artist(root / "photos" / "a.jpg", "Erik Exif")
    _with_xmp_creator(root / "photos" / "b.jpg", "Xenia Xmp")
    _with_exif_artist(root / "photos" / "c.jpg", "Not This One")  # the manuscript's credit wins
    book = lay_out(root)
    text = _credits_text(book)
    assert f"Erik Exif {_page_of(book, 'a.jpg')[0]}" in text
    assert f"Xenia Xmp {_page_of(book, 'b.jpg')[0]}" in text
    assert "Cora Given" in text and "Not This One" not in text


def test_a_photo_nobody_credits_is_a_preflight_warning_at_its_line(tmp_path):
    chapters = {"chapters/one.yaml": f"""
        title: One
        blocks:
          - text: "{LOREM}"
          - photo: photos/b.jpg
            caption: Brown.
    """}
    root = _small_book(tmp_path, "print: {min_ppi: 50}\n", chapters)
    result = run_compile(root)
    assert result.exit_code == 0, result.output
    report = json.loads(next((root / "build").glob("*.preflight.json")).read_text(encoding="utf-8"))
    found = [f for f in report["findings"] if f["check"] == "credits"]
    assert [f["message"] for f in found] == ["b.jpg has no credit: the photo credits cannot name its photographer"]
    assert found[0]["severity"] == "warning" and found[0]["where"].startswith("chapters/one.yaml:4:")
    assert "EXIF Artist" in found[0]["hint"]


# -- the colophon ------------------------------------------------------------------------------------------------

def _pdf_families(pdf: Path) -> set[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return {name.split("+")[-1].split("-")[0] for name in names}


def test_the_colophon_names_exactly_the_fonts_the_pdf_embeds(tmp_path):
    chapters = {"chapters/one.yaml": f"""
        title: One
        blocks:
          - heading: Tokyo
          - text: "{LOREM} The city is written 東京."
    """}
    root = _small_book(tmp_path, "print: {pdfx: none}\n", chapters)
    out = tmp_path / "book.pdf"
    assert run_compile(root, "-o", out).exit_code == 0
    book = lay_out(root)
    colophon = _page(book, "colophon")
    text = " ".join(_lines(colophon, "body")).replace("\u00a0", " ")
    named = re.search(r"is set in (.+?)\. It was composed", text).group(1)
    families = {name.strip() for name in re.split(r",| and ", named) if name.strip()}
    assert "Droid Sans Fallback" in families  # the fallback that set 東京 is named too
    assert {family.replace(" ", "") for family in families} == _pdf_families(out)
    assert "6 × 9 in" in text and "white paper" in text
    assert "prepared for" not in text and "preset" not in text


def test_the_colophon_speaks_the_books_language(tmp_path):
    book = lay_out(_small_book(tmp_path, "language: de\npaper: cream\n"))
    text = " ".join(_lines(_page(book, "colophon"), "body")).replace("\u00a0", " ")
    assert "gesetzt" in text and "chamoisfarbenem Papier" in text and "152 × 229 mm" in text


# -- chapter openers ---------------------------------------------------------------------------------------------

TWO_CHAPTERS = {
    "chapters/one.yaml": f"""
        title: With a Photo
        opener: {{photo: photos/a.jpg, caption: Blue., credit: Ann Archer}}
        blocks:
          - text: "{LOREM}"
    """,
    "chapters/two.yaml": f"""
        title: Without One
        blocks:
          - text: "{LOREM}"
    """,
}


def _title_place(page) -> list[tuple]:
    return [(item.role, round(item.x, 2), round(item.baseline, 2), max(f.size for f in item.fragments))
            for item in page.items if isinstance(item, PlacedText) and item.role in ("chapter-label", "title")]


@pytest.mark.parametrize("opener", ["", "style: {opener: chapter-opener-inset}\n"])
def test_a_chapter_opens_alike_with_or_without_a_photo(tmp_path, opener):
    book = lay_out(_small_book(tmp_path, "print: {min_ppi: 50}\n" + opener, TWO_CHAPTERS))
    first = next(p for p in book.pages if p.chapter == "With a Photo" and p.section == "body")
    second = next(p for p in book.pages if p.chapter == "Without One" and p.section == "body" and p.kind != "blank")
    assert any(isinstance(i, PlacedImage) for i in first.items)
    assert not any(isinstance(i, PlacedImage) for i in second.items)
    place_first, place_second = _title_place(first), _title_place(second)
    assert [p[0] for p in place_first] == ["chapter-label", "title"]
    assert [p[1:] for p in place_first] == [p[1:] for p in place_second]
    # and the text begins below the title on both, at the same height
    body = [min(i.baseline for i in page.items if isinstance(i, PlacedText) and i.role == "body")
            for page in (first, second)]
    assert body[0] == pytest.approx(body[1])


def test_an_opener_template_that_is_not_there_is_an_error_at_its_line(tmp_path):
    root = _small_book(tmp_path, "style:\n  opener: chapter-openr\n")
    assert_rejected(run_compile(root), "book.yaml:6:", "chapter-openr", "chapter-opener")
