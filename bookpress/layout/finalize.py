"""Page drafts -> the frozen LaidOutBook: page labels, folios, running heads, padding.

Folios and running heads come last because they depend on the physical page
(inside/outside) and on which section the page belongs to.
"""

from __future__ import annotations

from dataclasses import replace

from ..book import LaidOutBook, OutlineEntry, Page, PlacedImage, PlacedText
from ..diagnostics import Diagnostic, PageRef, Severity
from ..load.printers import INCH
from .context import BASELINE_RISE, LayoutContext
from .records import canonical, hash_of
from .stream import PageDraft

FOLIO_KINDS = {"text", "chapter-start", "photo", "spread", "toc", "credits"}
HEAD_KINDS = {"text", "photo", "spread", "credits"}
FURNITURE_GAP = 0.5  # ems kept between a running head or folio and the type area
SAFETY_MARGIN = 0.5  # points kept beyond the printer's safety, so that rounding never lands a line on it


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


def _extent(ctx: LayoutContext, lines: tuple) -> tuple[float, float]:
    """How far a line's glyph box reaches above and below its baseline (the fonts' ascent and descent)."""
    fragments = [f for line in lines[:1] for f in line.fragments] or []
    ascent = max((ctx.fonts.ascent(f.font, f.size) for f in fragments), default=0.0)
    descent = max((ctx.fonts.descent(f.font, f.size) for f in fragments), default=0.0)
    return ascent, descent


def _safe_baseline(ctx: LayoutContext, lines: tuple, nominal: float, edge: str) -> float | None:
    """The baseline nearest `nominal` that keeps a head or foot line's glyph box at least the
    printer's safety from the trim and clear of the type area; None when the margin is too small."""
    ascent, descent = _extent(ctx, lines)
    m, height, safety = ctx.manuscript.format.margins, ctx.geometry.trim.height, ctx.preset.safety
    clear = FURNITURE_GAP * max((f.size for line in lines[:1] for f in line.fragments), default=0.0)
    if edge == "top":
        low, high = safety + SAFETY_MARGIN + ascent, m.top - clear - descent
    else:
        low, high = height - m.bottom + clear + ascent, height - safety - SAFETY_MARGIN - descent
    if low > high + 0.001:
        return None
    return min(max(nominal, low), high)


def _inside_safety(ctx: LayoutContext, items: list[PlacedText]) -> list[PlacedText]:
    """Lines moved sideways, where needed, so that they stay the safety away from the side trims."""
    safety, width = ctx.preset.safety + SAFETY_MARGIN, ctx.geometry.trim.width
    moved = []
    for item in items:
        box = item.bounds()
        shift = max(0.0, safety - box.x) - max(0.0, box.right - (width - safety))
        moved.append(replace(item, x=item.x + shift) if shift else item)
    return moved


def _furniture(ctx: LayoutContext, draft: PageDraft, label: str, section: str,
               left_out: set[str] | None = None) -> list[PlacedText]:
    """The page's folio and running head; `left_out` collects the kinds a margin had no safe room for."""
    left_out = set() if left_out is None else left_out
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
            baseline = _safe_baseline(ctx, lines, m.top * 0.45, "top")
        else:
            baseline = _safe_baseline(ctx, lines, live.bottom + m.bottom * 0.4, "bottom")
        align = "center" if style.folio == "bottom-center" else outside_align
        if baseline is not None:
            top = baseline - folio_style.size * BASELINE_RISE
            items.extend(ctx.place_lines(lines, folio_style, live.x, top, "folio", live.width, align))
        else:
            left_out.add("folio")
    if style.running_heads and draft.running_head and draft.kind in HEAD_KINDS and section == "body":
        text = ctx.manuscript.meta.title if draft.side == "verso" else (draft.chapter or ctx.manuscript.meta.title)
        lines = ctx.set_text(text, head_style, live.width * 0.8, align="left", variant="italic", hyphenate=False)
        head_align = outside_align if style.folio != "top-outside" else ("left" if draft.side == "recto" else "right")
        baseline = _safe_baseline(ctx, lines, m.top * 0.45, "top")
        if baseline is not None:
            items.extend(ctx.place_lines(lines[:1], head_style, live.x, baseline - head_style.size * BASELINE_RISE,
                                         "running-head", live.width, head_align))
        else:
            left_out.add("running-head")
    items = _inside_safety(ctx, items)
    # A photo that bleeds over the head or foot margin wins: text never prints over a picture.
    images = [item.rect for item in draft.items if isinstance(item, PlacedImage)]
    return [item for item in items if not any(rect.intersects(item.bounds()) for rect in images)]


def _left_out_note(ctx: LayoutContext, kind: str) -> Diagnostic:
    """Why a book has no folios or running heads: its margin leaves no room inside the printer's safety."""
    where = "top" if kind == "running-head" or ctx.manuscript.style.folio == "top-outside" else "bottom"
    margin = getattr(ctx.manuscript.format.margins, where)
    what = "running heads" if kind == "running-head" else "folios"
    return Diagnostic(Severity.NOTE, f"no {what}: the {where} margin ({margin / INCH:.3f} in) leaves no room for them "
                      f"between printer '{ctx.preset.name}''s {ctx.preset.safety / INCH:.3f} in safety and the text",
                      hint=f"widen format.margins.{where}", check="safe-area")


def finalize(ctx: LayoutContext, front: list[PageDraft], body: list[PageDraft], back: list[PageDraft],
             outline: list[tuple[str, int, int]], notes: list[tuple[int, Diagnostic]]) -> LaidOutBook:
    """`outline` entries carry physical page indexes; LinkAreas in drafts too."""
    for _ in range(pad_count(ctx, len(front) + len(body) + len(back))):
        back.append(PageDraft(kind="blank", side="recto", folio=False, running_head=False))
    drafts = [("front", d) for d in front] + [("body", d) for d in body] + [("back", d) for d in back]
    labels = labels_for(len(front), len(body) + len(back))
    pages = []
    fonts: set[str] = set()
    left_out: set[str] = set()
    for index, ((section, draft), label) in enumerate(zip(drafts, labels)):
        items = list(draft.items) if draft.kind != "blank" else []
        furniture = _furniture(ctx, draft, label, section, left_out) if draft.kind != "blank" else []
        items.extend(furniture)
        fonts.update({f.font for item in items if isinstance(item, PlacedText) for f in item.fragments})
        origin = hash_of(draft.origin, draft.kind, canonical(furniture)) if draft.origin is not None else None
        pages.append(Page(index, label, section, draft.kind, tuple(items), draft.chapter, draft.source, origin))
    entries = tuple(OutlineEntry(title, page, level) for title, page, level in outline)
    located = tuple(replace(note, page=PageRef(len(front) + index, pages[len(front) + index].label))
                    for index, note in notes) + tuple(_left_out_note(ctx, kind) for kind in sorted(left_out))
    return LaidOutBook(ctx.manuscript.meta, ctx.geometry, tuple(pages), entries, tuple(sorted(fonts)), located)
