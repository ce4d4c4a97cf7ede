"""Paragraph source -> lines of positioned fragments: inline markup, smart punctuation, Knuth–Plass breaking.

Pure: nothing here draws. The layout stage parses a paragraph into Spans, smartens
their text, and hands them to `break_paragraph`, which returns Lines whose Fragments
carry explicit x offsets, so the renderer only draws each fragment where it is told.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ...book import Fragment
from ...fonts.catalog import STYLES, FontBook
from .breaking import Sums, adjustment_ratio, choose_breaks, line_start
from .inline import Span, parse_inline
from .items import RAGGED_STRETCH_EMS, Item, Setting, paragraph_items
from .smarten import smarten, smarten_spans

__all__ = ["Span", "parse_inline", "smarten", "smarten_spans", "Fragment", "Line", "break_paragraph", "ALIGNMENTS"]


@dataclass(frozen=True)
class Line:
    fragments: tuple[Fragment, ...]
    width: float  # width the content occupies after justification (first-line indent included)
    hyphenated: bool  # ends with a hyphen added by the breaker
    last: bool  # last line of its paragraph


@dataclass(frozen=True)
class _Piece:
    x: float
    text: str
    font: str
    width: float
    link: str | None


def _adjusted(item: Item, ratio: float) -> float:
    if item.kind != "glue":
        return item.width
    return item.width + ratio * (item.stretch if ratio > 0 else item.shrink)


def _pieces(items: Sequence[Item], start: int, end: int, ratio: float, merge_spaces: bool) -> list[_Piece]:
    """Words at their x from the line's left edge; neighbours in one font join when nothing is stretched."""
    pieces: list[_Piece] = []
    x, gap = 0.0, None  # gap: the space item since the last box, if it may be drawn as text
    for item in items[start:end]:
        if item.kind == "glue":
            gap = item if merge_spaces and item.text and gap is None else None
            x += _adjusted(item, ratio)
        elif item.kind == "box":
            if item.text:
                pieces = _append(pieces, _Piece(x, item.text, item.font, item.width, item.link), gap, x)
            gap = gap if not item.text else None
            x += item.width
    return pieces


def _append(pieces: list[_Piece], piece: _Piece, gap: Item | None, x: float) -> list[_Piece]:
    last = pieces[-1] if pieces else None
    touching = last is not None and abs(last.x + last.width - x) < 1e-9
    same = last is not None and last.font == piece.font and last.link == piece.link
    if same and touching:
        pieces[-1] = replace(last, text=last.text + piece.text, width=last.width + piece.width)
    elif same and gap is not None and gap.font == piece.font and gap.link == piece.link:
        pieces[-1] = replace(last, text=last.text + " " + piece.text, width=x - last.x + piece.width)
    else:
        pieces.append(piece)
    return pieces


def _with_hyphen(pieces: list[_Piece], penalty: Item) -> list[_Piece]:
    end = pieces[-1].x + pieces[-1].width if pieces else 0.0
    hyphen = _Piece(end, penalty.text, penalty.font, penalty.width, penalty.link)
    return _append(pieces, hyphen, None, end)


def _set_line(items: Sequence[Item], sums: Sums, start: int, end: int, width: float, align: str, last: bool,
              size: float) -> Line:
    natural, stretch, shrink = sums.line(items, start, end)
    justified = align == "justify" and not last
    ratio = adjustment_ratio(natural, stretch, shrink, width, final=not justified)
    ratio = 0.0 if math.isinf(ratio) and ratio > 0 else max(-1.0, ratio)
    pieces = _pieces(items, start, end, ratio, merge_spaces=not justified and ratio == 0.0)
    breaker = items[end]
    hyphenated = breaker.kind == "penalty" and bool(breaker.text) and not last
    if hyphenated:
        pieces = _with_hyphen(pieces, breaker)
    used = natural + ratio * (stretch if ratio > 0 else shrink)
    offset = _offset(align, width, used)
    fragments = tuple(Fragment(offset + p.x, p.text, p.font, size, p.width, p.link) for p in pieces)
    return Line(fragments, used, hyphenated, last)


def _offset(align: str, width: float, used: float) -> float:
    if align == "right":
        return max(0.0, width - used)
    if align == "center":
        return max(0.0, (width - used) / 2)
    return 0.0


ALIGNMENTS = ("justify", "left", "center", "right")


def break_paragraph(spans: Sequence[Span], *, width: float, family: str, size: float, fonts: FontBook,
                    language: str = "en", align: str = "justify", indent: float = 0.0,
                    hyphenate: bool = True) -> tuple[Line, ...]:
    """Spans -> lines of `width` points, broken by total fit; `indent` applies to the first line."""
    if align not in ALIGNMENTS:
        raise ValueError(f"align must be one of {', '.join(ALIGNMENTS)}; got {align!r}")
    width = max(0.0, width)
    indent = min(max(0.0, indent), width)
    # Only the faces the spans use: the first request for a face parses its font file (~8 ms).
    used = {span.style for span in spans} | {"regular"}
    faces = {style: fonts.face(family, style) for style in STYLES if style in used}
    setting = Setting(fonts, faces, size, language, hyphenate, ragged=align != "justify")
    plain = paragraph_items(spans, replace(setting, hyphenate=False), indent)
    if len(plain) == 1 or all(item.kind != "box" or not item.text for item in plain):
        return ()
    ragged_stretch = RAGGED_STRETCH_EMS * size if setting.ragged else 0.0
    hyphenated = (lambda: paragraph_items(spans, setting, indent)) if hyphenate else (lambda: plain)
    items, positions = choose_breaks(plain, hyphenated, width, indent, setting, ragged_stretch)
    return _lines(items, positions, width, align, size)


def _lines(items: Sequence[Item], positions: list[int], width: float, align: str, size: float) -> tuple[Line, ...]:
    sums = Sums.of(items)
    lines = []
    start = 0
    for number, position in enumerate(positions):
        last = number == len(positions) - 1
        lines.append(_set_line(items, sums, start, position, width, align, last, size))
        start = line_start(items, position)
    return tuple(lines)
