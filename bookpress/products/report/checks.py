"""Laid-out book -> what a designer looks for on the pages: nearly empty pages, stacks of hyphens, loose lines.

These are not printing problems (preflight's), but the marks of careless setting that a
reviewer would circle on a proof. Each finding names its page and the manuscript block the
text came from, and says what to change.
"""

from __future__ import annotations

from statistics import median
from typing import Iterator

from ...book import LaidOutBook, Page, PlacedBox, PlacedImage, PlacedRule, PlacedText
from ...diagnostics import Diagnostic, PageRef, Severity
from ...fonts.catalog import FontBook
from ...geometry import Rect
from ...model import SourceRef

NEAR_EMPTY = 0.25  # a page whose content spans less of the type area's height than this looks left behind
# Pages that are meant to hold little: nothing to report on them.
SPARSE_KINDS = frozenset({"blank", "half-title", "title", "copyright", "dedication", "opener", "full-bleed",
                          "colophon", "toc", "credits", "cover"})
FURNITURE = frozenset({"folio", "running-head"})  # set on every page: no content of its own
RUNNING = frozenset({"body", "quote"})  # the roles of running text, the lines hyphens and spacing matter in
STACK = 3  # lines in a row ending in a hyphen that make a ladder
SHOWN_ENDS = 4
HYPHENS = ("-", "\u2010", "\u00ad")  # hyphen-minus, hyphen, soft hyphen (not the en or em dash)
LOOSE = 1.6  # word spaces stretched beyond this many times their natural width make a loose line
EXCERPT = 40


def review_checks(book: LaidOutBook, fonts: FontBook) -> list[Diagnostic]:
    """Every finding of the three checks, page by page."""
    findings: list[Diagnostic] = []
    for page in book.pages:
        findings += near_empty(book, page) + hyphen_stacks(page) + loose_lines(page, fonts)
    return findings


def _finding(check: str, message: str, page: Page, source: SourceRef | None, hint: str) -> Diagnostic:
    source = source or page.source
    located = source is not None and bool(source.file)
    return Diagnostic(Severity.WARNING, message, source.file if located else None,
                      (source.line or None) if located else None, (source.column or None) if located else None,
                      hint, PageRef(page.index, page.label), check)


# -- nearly empty pages ---------------------------------------------------------------------------------------
def near_empty(book: LaidOutBook, page: Page) -> list[Diagnostic]:
    """A page whose text and photos fill only a sliver of the type area: the last lines of a chapter or a section
    spilled over, or a short text left alone. A chapter's first page is the author's to keep short."""
    before = book.pages[page.index - 1] if page.index > 0 else None
    if page.kind in SPARSE_KINDS or page.section == "cover" or before is None or before.chapter != page.chapter:
        return []
    boxes = list(_content_boxes(page))
    margins = book.geometry.margins
    area = book.geometry.trim.height - margins.top - margins.bottom
    span = (max(b.bottom for b in boxes) - min(b.y for b in boxes)) if boxes else 0.0
    if area <= 0 or span / area >= NEAR_EMPTY:
        return []
    lines = sum(1 for item in page.items if isinstance(item, PlacedText) and item.role in RUNNING)
    what = f"{lines} line{'s' * (lines != 1)} of text" if lines else "nothing but its furniture"
    first = next((item.source for item in page.items if isinstance(item, PlacedText) and item.source), None)
    spilled = any(isinstance(item, PlacedText) and item.role in RUNNING for item in before.items)
    hint = ("shorten the text by these few lines so that they join the previous page, or add enough to fill "
            "this one; or let a photo share the page" if spilled else
            "let a photo share this page (or the text the page before), or give it more text")
    return [_finding("near-empty", f"the page is nearly empty: {what}, {span / area:.0%} of the type area's height",
                     page, first, hint)]


def _content_boxes(page: Page) -> Iterator[Rect]:
    for item in page.items:
        if isinstance(item, PlacedText) and item.role not in FURNITURE and item.visible:
            yield item.bounds()
        elif isinstance(item, (PlacedImage, PlacedBox)):
            yield item.rect
        elif isinstance(item, PlacedRule):
            yield Rect(min(item.x1, item.x2), min(item.y1, item.y2), abs(item.x2 - item.x1), abs(item.y2 - item.y1))


# -- hyphen stacks ----------------------------------------------------------------------------------------------
def hyphen_stacks(page: Page) -> list[Diagnostic]:
    """Runs of STACK or more consecutive lines of running text that end in a hyphen."""
    findings = []
    for lines in _runs(page):
        run: list[PlacedText] = []
        for line in [*lines, None]:  # None ends the last run
            if line is not None and words(line).endswith(HYPHENS):
                run.append(line)
                continue
            if len(run) >= STACK:
                ends = ", ".join(f"'{words(hyphenated).split()[-1]}'" for hyphenated in run[:SHOWN_ENDS])
                ends += ", …" if len(run) > SHOWN_ENDS else ""
                findings.append(_finding("hyphen-stack", f"{len(run)} lines in a row end in a hyphen ({ends})", page,
                                         run[0].source, "reword a phrase in the paragraph so that the breaks fall "
                                         "elsewhere: more than two hyphens in a row make a ladder the eye trips on"))
            run = []
    return findings


def _runs(page: Page) -> list[list[PlacedText]]:
    """The page's lines of running text in reading order, in runs that a heading, caption or photo interrupts."""
    runs: list[list[PlacedText]] = [[]]
    for item in page.items:
        if isinstance(item, PlacedText) and item.role in RUNNING:
            runs[-1].append(item)
        elif isinstance(item, PlacedImage) or isinstance(item, PlacedText) and item.role not in FURNITURE:
            runs.append([])
    return [run for run in runs if run]


# -- loose lines ------------------------------------------------------------------------------------------------
def loose_lines(page: Page, fonts: FontBook) -> list[Diagnostic]:
    """Justified lines whose word spaces are stretched to more than LOOSE times their natural width."""
    loose = [(stretch, line) for run in _runs(page) for line in run
             if (stretch := space_stretch(line, fonts)) is not None and stretch > LOOSE]
    if not loose:
        return []
    worst, line = max(loose, key=lambda pair: pair[0])
    count = f"{len(loose)} loose line{'s' * (len(loose) != 1)}"
    return [_finding("loose-line", f"{count}: word spaces up to {worst:.1f} times their width ('{_excerpt(line)}')",
                     page, line.source, "reword or add a word so that the paragraph breaks into better lines, or "
                     "set the text ragged right (style.justify: false)")]


def space_stretch(line: PlacedText, fonts: FontBook) -> float | None:
    """How many times its natural width the typical word space of `line` is drawn at; None with no spaces."""
    ratios = []
    for before, after in zip(line.fragments, line.fragments[1:]):
        gap = after.x - (before.x + before.width)
        natural = fonts.width(" ", before.font, before.size)
        if gap > 0.01 and natural > 0:
            ratios.append(gap / natural)
    return median(ratios) if ratios else None


def words(line: PlacedText) -> str:
    """The line as read: a justified line's words are fragments of their own, with the spaces between them."""
    text = ""
    for before, after in zip((None, *line.fragments), line.fragments):
        gap = before is not None and after.x - (before.x + before.width) > 0.01
        text += (" " if gap else "") + after.text
    return " ".join(text.split())


def _excerpt(line: PlacedText) -> str:
    text = words(line)
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"
