"""The review report's findings, one kind at a time, each on a small manuscript that has the problem.

Every finding names its page as "sheet N, p. X", links to that page's view, names the
manuscript line it comes from and says what to change.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import LOREM, lay_out, photo, run_cli, write

from bookpress.fonts.catalog import load_fonts
from bookpress.products.report.checks import near_empty, review_checks

LONG_WORDS = ("Internationalization, institutionalization, characteristically, incomprehensibility, "
              "counterrevolutionaries, electroencephalography, misunderstandings, interdisciplinary, "
              "overgeneralization, compartmentalization.")
NUMBERS = ("The archive holds records 1946–1953, 19540101–19571231 and 19580101–19601231, catalogued "
           "under 4815162342 and 31415926535 in the old register.")


def book(root: Path, blocks: str, extra: str = "", opener: bool = False) -> Path:
    """A one-chapter book with no front or back matter; `blocks` are the chapter's blocks (YAML)."""
    photo(root / "photos" / "wide.jpg", (2400, 1600), (40, 90, 160))
    write(root / "book.yaml", f"title: Findings\nfront_matter: []\nback_matter: []\nchapters: [chapters/one.yaml]\n"
                              + extra)
    head = "opener: {photo: photos/wide.jpg}\n" if opener else ""
    write(root / "chapters" / "one.yaml", f"title: One\n{head}blocks:\n" + blocks)
    return root


def text_block(text: str) -> str:
    return f"  - text: |\n      {text}\n"


def findings_of(root: Path, check: str) -> list:
    return [f for f in review_checks(lay_out(root), load_fonts([])) if f.check == check]


def line_of(path: Path, words: str) -> int:
    return next(i for i, text in enumerate(path.read_text().splitlines(), 1) if words in text)


def report(root: Path) -> str:
    result = run_cli("proof", root, "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    return (root / "build" / "findings-review" / "index.html").read_text()


def row(html: str, kind: str) -> re.Match:
    """The first finding of `kind`: its page link, sheet and folio, manuscript line, message and hint."""
    section = html[html.index(f'id="kind-{kind}"'):]
    found = re.search(r'<tr><td class="where"><a class="goto" href="#page-(\w+)">sheet (\d+), p. (\w+)</a><br>'
                      r'<code>([^<]+)</code></td><td class="sev \w+">\w+</td><td>([^<]+)<div class="hint">([^<]+)'
                      r"</div></td></tr>", section)
    assert found, f"no {kind} row in the report"
    assert f'<article class="page' in html and f'id="page-{found.group(1)}"' in html  # the link's target exists
    assert found.group(1) == found.group(3)
    return found


def test_a_short_text_left_alone_on_a_page_is_found(tmp_path: Path) -> None:
    # the opener's page holds the chapter's first text; a short text after a page break stands alone
    root = book(tmp_path / "book", text_block(LOREM) + "  - pagebreak:\n"
                + text_block("A short line, on a page of its own after the opener.") + "  - pagebreak:\n  - page: full-bleed\n    slots: {photo: {photo: photos/wide.jpg}}\n", opener=True)
    found, = findings_of(root, "near-empty")
    assert "nearly empty" in found.message and "1 line of text" in found.message
    assert found.where == f"chapters/one.yaml:{line_of(root / 'chapters' / 'one.yaml', 'A short line') - 1}:5"
    assert found.page.name == f"sheet {found.page.index + 1}, p. {found.page.label}" and found.hint


def test_a_full_page_and_a_chapters_short_first_page_are_not_nearly_empty(tmp_path: Path) -> None:
    root = book(tmp_path / "book", text_block(LOREM))  # one short chapter: the author's choice
    assert findings_of(root, "near-empty") == []
    # In EB Garamond these twelve paragraphs fill the chapter's first page and most of the next.
    full = book(tmp_path / "full", text_block("\n\n      ".join([LOREM] * 12)), "style: {body: {font: EB Garamond}}\n")
    laid = lay_out(full)
    assert all(near_empty(laid, page) == [] for page in laid.pages[:-1])


def test_three_hyphens_in_a_row_are_a_stack(tmp_path: Path) -> None:
    root = book(tmp_path / "book", text_block(LONG_WORDS), "style: {measure: 30mm, body: {font: EB Garamond}}\n")
    found, = findings_of(root, "hyphen-stack")
    count = int(found.message.split()[0])
    assert count >= 3 and "lines in a row end in a hyphen" in found.message
    assert "'International-'" in found.message
    assert found.where.startswith("chapters/one.yaml:3:")
    # The same words on a wide measure break without a ladder.
    wide = book(tmp_path / "wide", text_block(LONG_WORDS), "style: {measure: 150mm}\n")
    assert findings_of(wide, "hyphen-stack") == []


def test_word_spaces_stretched_wide_are_loose_lines(tmp_path: Path) -> None:
    root = book(tmp_path / "book", text_block(NUMBERS), "style: {measure: 45mm}\n")
    found, = findings_of(root, "loose-line")
    stretch = float(re.search(r"up to ([\d.]+) times", found.message).group(1))
    assert stretch > 2 and "loose line" in found.message and "style.justify: false" in found.hint
    ragged = book(tmp_path / "ragged", text_block(NUMBERS), "style: {measure: 45mm, justify: false}\n")
    assert findings_of(ragged, "loose-line") == []  # ragged text has natural spaces


def test_each_kind_is_listed_and_linked_in_the_report(tmp_path: Path) -> None:
    """The report lists the review's findings with preflight's (here: a photo too small for its frame) and the
    soft proof's, each with its sheet, folio, manuscript line and hint."""
    root = book(tmp_path / "book", "  - photo: photos/wide.jpg\n" + text_block(LONG_WORDS) + text_block(NUMBERS)
                + "  - pagebreak:\n  - page: full-bleed\n    slots: {photo: {photo: photos/small.jpg}}\n"
                + "  - page: full-bleed\n    slots: {photo: {photo: photos/vivid.jpg}}\n",
                "style: {measure: 40mm}\n")
    photo(root / "photos" / "small.jpg", (300, 200), (150, 80, 30))
    vivid = photo(root / "photos" / "vivid.jpg", (1200, 1600), (0, 40, 255))
    html = report(root)
    chapter = root / "chapters" / "one.yaml"
    # A text block is located at its `- text:` line, the line before its paragraphs.
    assert row(html, "hyphen-stack").group(4) == f"chapters/one.yaml:{line_of(chapter, LONG_WORDS[:20]) - 1}:5"
    assert "loose line" in row(html, "loose-line").group(5)
    small = row(html, "resolution")
    assert "small.jpg prints at" in small.group(5) and small.group(4).startswith(
        f"chapters/one.yaml:{line_of(chapter, 'small.jpg')}:")
    colours = row(html, "gamut")
    assert vivid.name in colours.group(5) and "cannot print" in colours.group(5)
    assert colours.group(4).startswith(f"chapters/one.yaml:{line_of(chapter, 'vivid.jpg')}:")
    # The page a finding names shows it too.
    article = html[html.index(f'id="page-{colours.group(1)}"'):]
    assert vivid.name in article[:article.index("</article>")]


def test_changes_since_the_last_proof_are_findings_on_their_pages(tmp_path: Path) -> None:
    root = book(tmp_path / "book", text_block(LOREM) + "  - pagebreak:\n" + text_block("A second page of text.")
                + "  - photo: photos/wide.jpg\n")
    report(root)
    chapter = root / "chapters" / "one.yaml"
    chapter.write_text(chapter.read_text().replace("A second page of text.", "A second page, rewritten."))
    html = report(root)
    change = row(html, "changed")
    assert change.group(5).startswith("changed since the proof of ")
    assert change.group(4) == f"chapters/one.yaml:{line_of(chapter, 'A second page') - 1}:5"  # the page's first block
    assert len(re.findall(r'<tr>', html[html.index('id="kind-changed"'):].split("</table>")[0])) == 1


def test_pages_are_named_by_sheet_and_folio_everywhere(tmp_path: Path) -> None:
    root = book(tmp_path / "book", "  - photo: photos/wide.jpg\n" + text_block(LONG_WORDS), "style: {measure: 30mm}\n")
    html = report(root)
    headings = re.findall(r"<h3>(Sheet \d+, p\. \w+) <small>", html)
    labels = re.findall(r'<span class="label">(sheet \d+, p\. \w+)</span>', html)
    assert headings and [h.lower() for h in headings] == labels


def test_every_preflight_finding_is_listed_under_its_check(tmp_path: Path) -> None:
    """Whatever preflight finds (resolution, text near the trim, the gutter ... and checks added later) is listed."""
    from html import escape

    from bookpress.options import Request
    from bookpress.pipeline import load_and_lay_out
    from bookpress.preflight import preflight

    root = book(tmp_path / "book", text_block(LOREM) + "  - page: full-bleed\n    slots: {photo: {photo: "
                "photos/small.jpg}}\n", "format: {margins: {outside: 2mm, inside: 2mm}}\n")
    photo(root / "photos" / "small.jpg", (300, 200), (150, 80, 30))
    html = report(root)
    manuscript, options, laid = load_and_lay_out(root, Request(jobs=1))
    found = preflight(manuscript, options.for_proof(), laid, None).findings
    assert {f.check for f in found} >= {"resolution", "safe-area", "gutter"}
    for finding in found:
        section = html[html.index(f'id="kind-{finding.check}"'):].split("</table>")[0]
        assert escape(finding.message) in section and escape(finding.hint) in section


def test_a_photo_with_more_ink_than_the_printer_takes_is_found(tmp_path: Path) -> None:
    from bookpress.load.printers import ICC_DIR

    root = book(tmp_path / "book", "  - page: full-bleed\n    slots: {photo: {photo: photos/dark.jpg}}\n",
                "printer: ingramspark\nformat: {trim: 6x9in}\nprint: {profile: icc/press.icc}\n")
    (root / "icc").mkdir()
    (root / "icc" / "press.icc").write_bytes((ICC_DIR / "ISOcoated_v2_300_bas.icc").read_bytes())  # 300 %
    photo(root / "photos" / "dark.jpg", (1800, 2700), (10, 10, 30))
    found = row(report(root), "soft-ink")
    assert "dark.jpg reaches" in found.group(5) and "(the printer takes 240%)" in found.group(5)
    assert "print.profile" in found.group(6)


def test_switching_the_soft_proof_on_says_why_photo_pages_changed(tmp_path: Path) -> None:
    root = book(tmp_path / "book", text_block(LOREM) + "  - page: full-bleed\n    slots: {photo: {photo: "
                "photos/wide.jpg}}\n")
    assert run_cli("proof", root, "--no-soft-proof", "-j", "1", "-q").exit_code == 0
    html = report(root)
    changes = html[html.index('id="changes"'):html.index('id="pages"')]
    assert "The previous proof showed the photos in screen colours, this one soft-proofed for ISO Coated" in changes
    again = report(root)
    assert "The previous proof showed" not in again
