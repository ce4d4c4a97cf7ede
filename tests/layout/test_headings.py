"""Heading levels with styles of their own, the contents' levels, and faces a family lacks (warned, never replaced)."""

from __future__ import annotations

from conftest import LOREM, lay_out, photo, run_cli, write

CHAPTER = f"""
    title: Levels
    blocks:
      - text: "{LOREM}"
      - heading: A section
      - text: "{LOREM}"
      - heading: A subsection
        level: 2
      - text: "{LOREM}"
      - photoset: photos/set
        title: A photo set
"""


def _book(make_book, extra: str = ""):
    root = make_book(chapters={"chapters/one.yaml": CHAPTER}, book_extra=extra)
    for i in range(2):
        photo(root / "photos" / "set" / f"{i}.jpg", (1500, 1000))
    write(root / "photos" / "set" / "photoset.yaml", "photos:\n"
          "  - {file: 0.jpg, credit: A. Photographer}\n  - {file: 1.jpg, credit: A. Photographer}\n")
    return root


def _line(book, role: str):
    return next(item for page in book.pages for item in page.items if getattr(item, "role", "") == role)


def test_each_heading_level_has_its_own_style(make_book) -> None:
    book = lay_out(_book(make_book))
    looks = {}
    for role in ("chapter-label", "title", "section", "subsection", "photoset-title", "body"):
        fragment = _line(book, role).fragments[0]
        looks[role] = (book_family(fragment.font), fragment.size)
    assert len(set(looks.values())) == len(looks), looks  # no two levels alike
    assert looks["title"][1] > looks["photoset-title"][1] > looks["section"][1] > looks["subsection"][1]
    assert _line(book, "chapter-label").text == "CHAPTER 1" and _line(book, "chapter-label").fragments[0].tracking > 0


def book_family(font: str) -> str:
    return font.split("-")[0]


def test_the_contents_list_the_levels_the_style_asks_for(make_book) -> None:
    def contents(extra: str) -> list[str]:
        book = lay_out(_book(make_book, extra))
        return [item.text for page in book.pages if page.kind == "toc" for item in page.items
                if getattr(item, "role", "") == "toc"]

    assert contents("") == ["Levels", "A section", "A photo set", "Photo credits", "Colophon"]
    assert contents("style:\n  toc_levels: [chapter, section, subsection]\n") == \
        ["Levels", "A section", "A subsection", "Photo credits", "Colophon"]
    assert contents("style:\n  toc_sections: false\n") == ["Levels", "Photo credits", "Colophon"]


def test_heading_styles_are_set_in_book_yaml(make_book) -> None:
    book = lay_out(_book(make_book, "style:\n  subheading: {font: Gentium Book Plus, size: 12pt, weight: regular, italic: true}\n"
                                    "  chapter_label: {case: normal, tracking: 0}\n"))
    fragment = _line(book, "subsection").fragments[0]
    assert fragment.font == "GentiumBookPlus-Italic" and fragment.size == 12
    assert _line(book, "chapter-label").text == "Chapter 1"


def test_bold_text_in_a_family_without_bold_is_warned_about_and_set_in_that_family(make_book) -> None:
    root = make_book(chapters={"chapters/one.yaml": """
        title: Bold
        blocks:
          - text: "Some **bold words** in EB Garamond."
    """}, book_extra="style:\n  body: {font: EB Garamond}\n")
    book = lay_out(root)
    notes = [n.format() for n in book.notes]
    assert any("chapters/one.yaml:3:5" in n and "'EB Garamond' has no bold face" in n for n in notes), notes
    line = _line(book, "body")
    assert {f.font for f in line.fragments} == {"EBGaramond12-Regular"}  # never Charis SIL Bold
    result = run_cli("compile", root, "--jobs", "1")
    assert result.exit_code == 0 and "has no bold face" in result.stderr


def test_a_style_asking_for_a_weight_its_family_lacks_is_warned_about_at_its_line(make_book) -> None:
    root = make_book(book_extra="style:\n  heading: {font: EB Garamond, weight: bold}\n")
    result = run_cli("compile", root, "--jobs", "1")
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.stderr.splitlines() if "book.yaml" in ln and "warning" in ln)
    assert "book.yaml:7:" in line and "'EB Garamond' has no bold face" in line and "style.heading" in line


def test_a_heading_style_without_its_face_is_told_once_at_its_line_not_at_each_heading(make_book) -> None:
    # The heading style's default weight is bold; a family without a bold face is told of at the style's line
    # in book.yaml, and not again at every heading the chapters set in it (their lines hold no bold).
    root = make_book(book_extra="style:\n  heading: {font: EB Garamond}\n")
    result = run_cli("compile", root, "--jobs", "1")
    assert result.exit_code == 0, result.output
    told = [line for line in result.stderr.splitlines() if "has no bold face" in line]
    assert any(line.startswith("book.yaml:") and "style.heading" in line for line in told), told
    assert not [line for line in told if "chapters/" in line], told


def test_a_style_that_takes_its_family_from_another_says_so_at_that_styles_line(make_book) -> None:
    # The subheading takes the heading's family: a heading font without bold warns of the subheading too,
    # naming where its family came from and pointing at that line, not at a style the author never wrote.
    root = make_book(book_extra="style:\n  heading: {font: EB Garamond}\n")
    result = run_cli("compile", root, "--jobs", "1")
    told = [line for line in result.stderr.splitlines() if "style.subheading" in line]
    assert len(told) == 1 and "takes the family of 'style.heading'" in told[0], told
    heading = next(line for line in result.stderr.splitlines() if "'style.heading' is set" in line)
    assert told[0].split(": warning")[0] == heading.split(": warning")[0]  # the same book.yaml line and column
