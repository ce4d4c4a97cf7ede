"""Page drafts -> the frozen LaidOutBook: page labels, folios, running heads, padding.

Folios and running heads come last because they depend on the physical page
(inside/outside) and on which section the page belongs to.
"""

from __future__ import annotations

from dataclasses import replace

from ..book import LaidOutBook, OutlineEntry, Page, PlacedImage, PlacedText
from ..diagnostics import Diagnostic, PageRef
from .context import LayoutContext
from .stream import PageDraft

FOLIO_KINDS = {"text", "chapter-start", "photo", "spread", "toc", "credits"}
HEAD_KINDS = {"text", "photo", "spread", "credits"}


def roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = []
    for value, letters in numerals:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def body_label(index: int) -> str:
    """The printed number of the body's (or back matter's) page `index`, counted from the first body page."""
    return str(index + 1)


def labels_for(front: int, body_and_back: int) -> list[str]:
    return [roman(i + 1) for i in range(front)] + [body_label(i) for i in range(body_and_back)]


def pad_count(ctx: LayoutContext, total: int) -> int:
    """Blank pages to add so the page count is a multiple of the printer's signature."""
    return (-total) % ctx.preset.page_multiple


def _furniture(ctx: LayoutContext, draft: PageDraft, label: str, section: str) -> list[PlacedText]:
    style = ctx.manuscript.style
    m = ctx.manuscript.format.margins
    live = ctx.live(draft.side)
    items: list[PlacedText] = []
    # Folios and heads are the text's own type, smaller (its figures too: old-style with old-style text).
    folio_style = replace(style.body, size=style.body.size * 0.9)
    head_style = replace(style.body, size=style.body.size * 0.85)
    outside_align = "right" if draft.side == "recto" else "left"
    if style.folio != "none" and draft.folio and draft.kind in FOLIO_KINDS:
        lines = ctx.set_text(label, folio_style, live.width, align="left", hyphenate=False)
        if style.folio == "top-outside":
            top = m.top * 0.45 - folio_style.size * 0.78
        else:
            top = live.bottom + m.bottom * 0.4 - folio_style.size * 0.78
        align = "center" if style.folio == "bottom-center" else outside_align
        items.extend(ctx.place_lines(lines, folio_style, live.x, top, "folio", live.width, align))
    if style.running_heads and draft.running_head and draft.kind in HEAD_KINDS and section == "body":
        text = ctx.manuscript.meta.title if draft.side == "verso" else (draft.chapter or ctx.manuscript.meta.title)
        lines = ctx.set_text(text, head_style, live.width * 0.8, align="left", variant="italic", hyphenate=False)
        head_align = outside_align if style.folio != "top-outside" else ("left" if draft.side == "recto" else "right")
        items.extend(ctx.place_lines(lines[:1], head_style, live.x, m.top * 0.45 - head_style.size * 0.78,
                                     "running-head", live.width, head_align))
    # A photo that bleeds over the head or foot margin wins: text never prints over a picture.
    images = [item.rect for item in draft.items if isinstance(item, PlacedImage)]
    return [item for item in items if not any(rect.intersects(item.bounds()) for rect in images)]


def finalize(ctx: LayoutContext, front: list[PageDraft], body: list[PageDraft], back: list[PageDraft],
             outline: list[tuple[str, int, int]], notes: list[tuple[int, Diagnostic]]) -> LaidOutBook:
    """`outline` entries carry physical page indexes; LinkAreas in drafts too."""
    for _ in range(pad_count(ctx, len(front) + len(body) + len(back))):
        back.append(PageDraft(kind="blank", side="recto", folio=False, running_head=False))
    drafts = [("front", d) for d in front] + [("body", d) for d in body] + [("back", d) for d in back]
    labels = labels_for(len(front), len(body) + len(back))
    pages = []
    fonts: set[str] = set()
    for index, ((section, draft), label) in enumerate(zip(drafts, labels)):
        items = list(draft.items) if draft.kind != "blank" else []
        items.extend(_furniture(ctx, draft, label, section) if draft.kind != "blank" else [])
        for item in items:
            if isinstance(item, PlacedText):
                fonts.update(f.font for f in item.fragments)
        pages.append(Page(index, label, section, draft.kind, tuple(items), draft.chapter, draft.source))
    entries = tuple(OutlineEntry(title, page, level) for title, page, level in outline)
    located = tuple(replace(note, page=PageRef(len(front) + index, pages[len(front) + index].label))
                    for index, note in notes)
    return LaidOutBook(ctx.manuscript.meta, ctx.geometry, tuple(pages), entries, tuple(sorted(fonts)), located)
