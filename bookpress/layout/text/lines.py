"""Paragraph source -> lines of positioned, shaped fragments: inline markup, smart punctuation, Knuth–Plass breaking.

Pure: nothing here draws. The layout stage parses a paragraph into Spans, smartens
their text, and hands them to `break_paragraph`, which returns Lines whose Fragments
carry explicit x offsets and the glyphs HarfBuzz shaped for them, so the renderer
only draws each fragment where it is told, as it was measured. Right-to-left runs are
put in display order per line (bidi.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ...book import Fragment
from ...fonts.catalog import STYLES, FontBook
from ...fonts.shaping import Features, shape
from .bidi import base_level, display_order
from .breaking import Sums, adjustment_ratio, choose_breaks, line_start
from .inline import Span, parse_inline
from .items import RAGGED_STRETCH_EMS, Item, Setting, SmallCaps, paragraph_items
from .smarten import smarten, smarten_spans

__all__ = ["Span", "parse_inline", "smarten", "smarten_spans", "Fragment", "Line", "break_paragraph", "ALIGNMENTS",
           "Typesetting"]


@dataclass(frozen=True)
class Line:
    fragments: tuple[Fragment, ...]
    width: float  # width the content occupies after justification (first-line indent included)
    hyphenated: bool  # ends with a hyphen added by the breaker
    last: bool  # last line of its paragraph


@dataclass(frozen=True)
class Typesetting:
    """A text style's typographic settings beyond font and size."""

    features: Features = ()  # OpenType features for all of the text ("onum", "case", "-liga")
    tracking: float = 0.0  # ems of letter-spacing
    small_caps: bool = False  # acronyms in small capitals where the family can
    hyphenate_capitals: bool = False


@dataclass
class _Piece:
    """Neighbouring boxes drawn as one fragment: one font, features, link and direction."""

    text: str
    font: str
    features: Features
    tracking: float
    link: str | None
    level: int
    gap: float = 0.0  # natural width of the glue before it (0 for the first)
    stretch: float = 0.0  # of that glue
    shrink: float = 0.0
    offset: float = 0.0  # a box with no text before it (the first line's indent)
    width: float = field(default=0.0)  # and glyphs: as shaped, once the piece is complete
    glyphs: tuple = ()


def _same(piece: _Piece, item: Item) -> bool:
    return (piece.font == item.font and piece.features == item.features and piece.link == item.link
            and piece.tracking == item.tracking and piece.level == item.level)


def _pieces(items: Sequence[Item], start: int, end: int, merge_spaces: bool) -> list[_Piece]:
    """The line's boxes in reading order, grouped into pieces, with the glue between them."""
    pieces: list[_Piece] = []
    gap, stretch, shrink, spaces, offset = 0.0, 0.0, 0.0, [], 0.0
    for item in items[start:end]:
        if item.kind == "glue" and merge_spaces and not item.width and not item.text:
            continue  # a break point between ideographs, unstretched: the characters simply touch
        if item.kind == "glue":
            gap, stretch, shrink = gap + item.width, stretch + item.stretch, shrink + item.shrink
            spaces.append(item)
        elif item.kind == "box" and not item.text:
            offset += item.width  # the indent
        elif item.kind == "box" and item.font:
            last = pieces[-1] if pieces else None
            joinable = last is not None and _same(last, item)
            if joinable and not spaces:
                last.text += item.text
            elif joinable and merge_spaces and len(spaces) == 1 and spaces[0].text and spaces[0].font == item.font \
                    and spaces[0].link == item.link:
                last.text += " " + item.text
            else:
                pieces.append(_Piece(item.text, item.font, item.features, item.tracking, item.link, item.level,
                                     gap if pieces else 0.0, stretch if pieces else 0.0,
                                     shrink if pieces else 0.0, offset if not pieces else 0.0))
            gap, stretch, shrink, spaces = 0.0, 0.0, 0.0, []
    return pieces


def _shape_piece(piece: _Piece, size: float) -> None:
    """The piece's glyphs, and its width as they are drawn (the width decides the line's spacing)."""
    shaped = shape(piece.font, piece.text, piece.features, True if piece.level % 2 else None)
    piece.glyphs = shaped.glyphs
    piece.width = (shaped.advance + piece.tracking * max(0, len(shaped.glyphs) - 1)) * size


def _fragment(piece: _Piece, x: float, size: float) -> Fragment:
    return Fragment(x, piece.text, piece.font, size, piece.width, piece.link, piece.glyphs, piece.tracking)


def _set_line(items: Sequence[Item], sums: Sums, start: int, end: int, width: float, align: str, last: bool,
              size: float, base: int) -> Line:
    natural, stretch, shrink = sums.line(items, start, end)
    justified = align == "justify" and not last
    ratio = adjustment_ratio(natural, stretch, shrink, width, final=not justified)
    ratio = 0.0 if math.isinf(ratio) and ratio > 0 else max(-1.0, ratio)
    pieces = _pieces(items, start, end, merge_spaces=not justified and ratio == 0.0)
    breaker = items[end]
    hyphenated = breaker.kind == "penalty" and bool(breaker.text) and not last
    if hyphenated:
        _add_hyphen(pieces, breaker)
    for piece in pieces:
        _shape_piece(piece, size)
    # The exact shaped widths decide the spacing, so a justified line ends exactly at the measure.
    exact = sum(p.width + p.gap + p.offset for p in pieces)
    ratio = adjustment_ratio(exact, stretch, shrink, width, final=not justified)
    ratio = 0.0 if math.isinf(ratio) and ratio > 0 else max(-1.0, ratio)
    gaps = [p.gap + ratio * (p.stretch if ratio > 0 else p.shrink) for p in pieces]
    used = sum(p.width + p.offset for p in pieces) + sum(gaps)
    fragments = _place(pieces, gaps, _offset(_aligned(align, last, base), width, used), size, base)
    return Line(fragments, used, hyphenated, last)


def _add_hyphen(pieces: list[_Piece], penalty: Item) -> None:
    last = pieces[-1] if pieces else None
    if last is not None and last.font == penalty.font and last.link == penalty.link:
        last.text += penalty.text
    else:
        pieces.append(_Piece(penalty.text, penalty.font, penalty.features, 0.0, penalty.link,
                             last.level if last else 0))


def _place(pieces: list[_Piece], gaps: list[float], start: float, size: float, base: int) -> tuple[Fragment, ...]:
    """x for each piece, left to right in display order; a gap goes with the piece after it in reading order."""
    if not pieces:
        return ()
    order = display_order([p.level for p in pieces])
    x = start + (pieces[0].offset if base % 2 == 0 else 0.0)  # a right-to-left indent is on the right
    fragments = []
    for position, index in enumerate(order):
        if position:
            previous = order[position - 1]
            x += gaps[max(index, previous)]  # the glue between two neighbours belongs to the later one
        fragments.append(_fragment(pieces[index], x, size))
        x += pieces[index].width
    return tuple(fragments)


def _aligned(align: str, last: bool, base: int) -> str:
    """A right-to-left paragraph mirrors its alignment, and its last line sits at the right."""
    if base % 2 == 0:
        return align
    return {"left": "right", "right": "left"}.get(align, "right" if align == "justify" and last else align)


def _offset(align: str, width: float, used: float) -> float:
    if align == "right":
        return max(0.0, width - used)
    if align == "center":
        return max(0.0, (width - used) / 2)
    return 0.0


ALIGNMENTS = ("justify", "left", "center", "right")


def break_paragraph(spans: Sequence[Span], *, width: float, family: str, size: float, fonts: FontBook,
                    language: str = "en", align: str = "justify", indent: float = 0.0,
                    hyphenate: bool = True, typesetting: Typesetting = Typesetting()) -> tuple[Line, ...]:
    """Spans -> lines of `width` points, broken by total fit; `indent` applies to the first line."""
    if align not in ALIGNMENTS:
        raise ValueError(f"align must be one of {', '.join(ALIGNMENTS)}; got {align!r}")
    width = max(0.0, width)
    indent = min(max(0.0, indent), width)
    # Only the faces the spans use: the first request for a face parses its font file (~8 ms).
    used = {span.style for span in spans} | {"regular"}
    faces = {style: fonts.face(family, style) for style in STYLES if style in used}
    small = {style: _small_caps(fonts, family, style, faces[style]) for style in faces} if typesetting.small_caps \
        else {}
    setting = Setting(fonts, faces, size, language, hyphenate, align != "justify", typesetting.features,
                      typesetting.tracking, {k: v for k, v in small.items() if v is not None},
                      typesetting.hyphenate_capitals)
    plain = paragraph_items(spans, replace(setting, hyphenate=False), indent)
    if len(plain) == 1 or all(item.kind != "box" or not item.text for item in plain):
        return ()
    ragged_stretch = RAGGED_STRETCH_EMS * size if setting.ragged else 0.0
    hyphenated = (lambda: paragraph_items(spans, setting, indent)) if hyphenate else (lambda: plain)
    items, positions, sums = choose_breaks(plain, hyphenated, width, indent, setting, ragged_stretch)
    base = base_level("".join(span.text for span in spans))
    return _lines(items, sums, positions, width, align, size, base)


def _small_caps(fonts: FontBook, family: str, style: str, font: str) -> SmallCaps | None:
    found = fonts.small_caps(family, style, font)
    return SmallCaps(*found) if found else None


def _lines(items: Sequence[Item], sums: Sums, positions: list[int], width: float, align: str, size: float,
           base: int) -> tuple[Line, ...]:
    lines = []
    start = 0
    for number, position in enumerate(positions):
        last = number == len(positions) - 1
        lines.append(_set_line(items, sums, start, position, width, align, last, size, base))
        start = line_start(items, position)
    return tuple(lines)
