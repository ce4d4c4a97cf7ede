"""Spans -> boxes, glue and penalties (with hyphenation points): the material line breaking works on.

Every box is measured by shaping (HarfBuzz) in the font its characters are set in:
the style's font, or the fallback font that has them. Boxes also carry the OpenType
features, letter-spacing and bidi level they are drawn with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ...fonts.catalog import FontBook
from ...fonts.shaping import Features, shape
from .bidi import levels as bidi_levels
from .hyphenation import dictionary
from .inline import Span
from .scripts import acronym_parts, cjk_segments, is_dash
from .smarten import NBSP, NNBSP

INFINITY = 10000.0  # a penalty this high forbids a break; its negative forces one
LINE_PENALTY = 10.0
HYPHEN_PENALTY = 50.0
RAGGED_HYPHEN_PENALTY = 100.0  # ragged lines need not be filled, so a hyphen must earn its place
DASH_PENALTY = 50.0
EMERGENCY_PENALTY = 1000.0  # a break inside an overlong word: only when nothing else fits
DOUBLE_HYPHEN_DEMERITS = 3000.0
HYPHENS_IN_A_ROW = 2  # lines in a row that may end in a hyphen (the review report flags a third)
FINAL_HYPHEN_DEMERITS = 5000.0
FITNESS_DEMERITS = 10000.0  # TeX's \adjdemerits: a very loose line next to a tight one
EVENNESS_DEMERITS = 3000.0  # per (difference of two neighbouring lines' adjustment ratios) squared
# (adjustment ratio, may hyphenate) tried in turn before the emergency pass. As in TeX, a first
# pass without hyphenation keeps hyphens to the paragraphs that need them; it is strict, so that
# a paragraph that can only be set loosely without hyphens is hyphenated instead.
PASSES = ((1.0, False), (1.5, True), (3.0, True))
SPACE_STRETCH = 0.4  # of a space: less room to stretch than TeX allows, so loose lines cost more than a hyphen
SPACE_SHRINK = 1 / 3
CJK_STRETCH = 0.1  # ems a line of ideographs may open up between any two characters
NARROW_SPACE = 1 / 2  # of a word space; fonts disagree wildly on U+202F, so it is not drawn
RAGGED_STRETCH_EMS = 3.0  # room at the end of a ragged line before it counts as bad
UNSTRETCHABLE_BADNESS = 1e8  # an underfull line with no space to stretch
SMALL_CAPS_TRACKING = 0.04  # ems between small capitals, which are set a little open
HYPHEN = "-"
SOFT_HYPHEN = "\u00ad"
MIN_WORD_LETTERS = 6  # "einem", "Paris": five letters are never divided
LEFT_MIN, RIGHT_MIN = 2, 3


@dataclass(frozen=True, slots=True)
class Item:
    kind: str  # "box" | "glue" | "penalty"
    width: float
    stretch: float = 0.0
    shrink: float = 0.0
    penalty: float = 0.0
    flagged: bool = False  # a hyphen ends the line if it breaks here
    text: str = ""  # box: its text; glue: " " if drawable as a space; penalty: the hyphen it adds
    font: str = ""  # "" on a box: characters no font has (reported, never drawn)
    link: str | None = None
    features: Features = ()
    tracking: float = 0.0  # ems between the glyphs of a box
    level: int = 0  # bidi embedding level: odd runs right to left


@dataclass(frozen=True)
class SmallCaps:
    """How a face sets acronyms: a font and features (c2sc), or a small-capitals face of the family."""

    font: str
    features: Features


@dataclass(frozen=True)
class Setting:
    """What every word of one paragraph is measured and hyphenated with."""

    fonts: FontBook
    faces: dict[str, str]  # style -> registered font name
    size: float
    language: str
    hyphenate: bool
    ragged: bool
    features: Features = ()  # the text style's own (old-style figures, case forms)
    tracking: float = 0.0  # ems, letter-spacing of the whole text (labels)
    small_caps: dict[str, SmallCaps] = field(default_factory=dict)  # style -> how its acronyms are set
    hyphenate_capitals: bool = False


def measure(fonts: FontBook, text: str, font: str, size: float, features: Features = (), tracking: float = 0.0,
            rtl: bool | None = None) -> float:
    """The shaped width of `text`; shaping is cached, so a book measures each word once."""
    shaped = shape(font, text, features, rtl)
    return (shaped.advance + tracking * max(0, len(shaped.glyphs) - 1)) * size


_WORD_OR_SPACE = re.compile(r"[ \t\n\r\f\v]+|\u00a0|\u202f|[^ \t\n\r\f\v\u00a0\u202f]+")
_HARD_BREAK = re.compile(r"(?<=[^\W\d_])[-\u2010](?=[^\W\d_])|(?<=\S)[\u2013\u2014](?=\S)")


def paragraph_items(spans: Sequence[Span], setting: Setting, indent: float) -> list[Item]:
    text = "".join(span.text for span in spans)
    levels = bidi_levels(text)
    base = levels[0] if levels else 0
    one_level = not levels or min(levels) == max(levels)  # nearly every paragraph: no word is cut by direction
    items: list[Item] = [Item("box", indent, level=base)] if indent > 0 else []
    offset, initial = 0, True  # initial: the next word begins a sentence (its capital marks no name)
    for span in spans:
        font = setting.faces.get(span.style, setting.faces["regular"])
        words = _words_kept(font, span, setting)
        for token in _WORD_OR_SPACE.findall(span.text):
            runs = ((token, base),) if one_level else _level_runs(token, levels[offset:offset + len(token)])
            for part, level in runs:
                items.extend(_token_items(part, font, span, setting, items, level, initial, words))
            offset += len(token)
            if not token.isspace():
                initial = _SENTENCE_END.search(token) is not None
    while items and items[-1].kind != "box":
        items.pop()  # trailing spaces would only push the last line out
    items.append(Item("penalty", 0.0, penalty=-INFINITY))
    return items


def _level_runs(token: str, levels: Sequence[int]) -> list[tuple[str, int]]:
    """A word that changes direction inside (rare) is cut where it does, each part at its level."""
    if not levels or min(levels) == max(levels):
        return [(token, levels[0] if levels else 0)]
    runs: list[tuple[str, int]] = []
    for char, level in zip(token, levels):
        if runs and runs[-1][1] == level:
            runs[-1] = (runs[-1][0] + char, level)
        else:
            runs.append((char, level))
    return runs


_SENTENCE_END = re.compile("[.!?\u2026][\"')\u201d\u2019\u00bb]*$")


def _words_kept(font: str, span: Span, setting: Setting) -> dict[tuple, tuple[Item, ...]]:
    """The items of the words set so far in this span's font, style, link and setting, by (word, level, capitals).

    A book sets the same words again and again: a word's items, made once per setting, are kept
    (with the FontBook, whose fonts and fallback order they depend on). One table per setting,
    found once per span, so that each word is looked up by a short key."""
    kept = setting.fonts.memo.setdefault("word items", {})
    key = (font, span.style, span.link, setting.size, setting.language, setting.hyphenate, setting.ragged,
           setting.features, setting.tracking, setting.small_caps.get(span.style), setting.hyphenate_capitals)
    words = kept.get(key)
    if words is None:
        if len(kept) >= SETTINGS_KEPT:
            kept.clear()
        words = kept[key] = {}
    return words


def _token_items(token: str, font: str, span: Span, setting: Setting, before: list[Item], level: int,
                 initial: bool, words: dict[tuple, tuple[Item, ...]]) -> Sequence[Item]:
    if token == NBSP:
        return [_NO_BREAK, _space(font, span.link, setting, level)]
    if token == NNBSP:
        space = measure(setting.fonts, " ", font, setting.size)
        return [_NO_BREAK, Item("glue", space * NARROW_SPACE, font=font, level=level)]
    if token.isspace():
        # a space at the paragraph start or after another space (across spans) adds nothing
        return [] if not before or before[-1].kind == "glue" else [_space(font, span.link, setting, level)]
    if is_dash(token) and before and before[-1].kind == "glue":
        before.insert(len(before) - 1, _NO_BREAK)  # no line starts with a dash
    capitals = setting.hyphenate_capitals or initial
    key = (token, level, capitals)
    items = words.get(key)
    if items is None:
        if len(words) >= WORDS_KEPT:
            words.clear()
        items = words[key] = tuple(_word_items(token, font, span, replace(setting, hyphenate_capitals=capitals),
                                               level))
    return items  # a tuple: the caller copies it into the paragraph's list


WORDS_KEPT = 100_000  # words of one setting
SETTINGS_KEPT = 1_000  # settings (a font, size, style...) a book sets words in


_NO_BREAK = Item("penalty", 0.0, penalty=INFINITY)


def _space(font: str, link: str | None, setting: Setting, level: int) -> Item:
    """The glue of a word space; items are frozen, so one per kind of space serves a whole book (a
    paragraph has as many spaces as words, and this was a tenth of making its items)."""
    spaces = setting.fonts.memo.setdefault("space items", {})
    key = (font, setting.size, link, setting.ragged, level)
    item = spaces.get(key)
    if item is None:
        width = measure(setting.fonts, " ", font, setting.size)
        stretch, shrink = (0.0, 0.0) if setting.ragged else (width * SPACE_STRETCH, width * SPACE_SHRINK)
        item = spaces[key] = Item("glue", width, stretch, shrink, text=" ", font=font, link=link, level=level)
    return item


def looks_like_url(word: str) -> bool:
    return "://" in word or "@" in word or word.lower().startswith("www.")


def _word_items(word: str, font: str, span: Span, setting: Setting, level: int) -> list[Item]:
    """A word -> boxes (one per font it needs) between its breaks: hyphenation points, its own
    hyphens and dashes, and the places ideographic text may break."""
    if looks_like_url(word):
        return _font_boxes(word, font, span, setting, level, hyphenate=False)
    items: list[Item] = []
    for segment, breakable in cjk_segments(word):
        items.extend(_segment_items(segment, font, span, setting, level))
        if breakable:
            stretch = 0.0 if setting.ragged else CJK_STRETCH * setting.size
            items.append(Item("glue", 0.0, stretch, font=font, level=level))
    return items


def _segment_items(word: str, font: str, span: Span, setting: Setting, level: int) -> list[Item]:
    matches = list(_HARD_BREAK.finditer(word))
    if not matches:
        return _font_boxes(word, font, span, setting, level, hyphenate=True)
    items: list[Item] = []
    start = 0
    for match in matches:
        # A compound already divided by its own hyphen is divided there only ("ill-/considered").
        items.extend(_font_boxes(word[start:match.end()], font, span, setting, level, hyphenate=False))
        flagged = match.group() not in ("\u2013", "\u2014")
        items.append(Item("penalty", 0.0, penalty=HYPHEN_PENALTY if flagged else DASH_PENALTY, flagged=flagged))
        start = match.end()
    items.extend(_font_boxes(word[start:], font, span, setting, level, hyphenate=False))
    return items


def _font_boxes(part: str, font: str, span: Span, setting: Setting, level: int, hyphenate: bool) -> list[Item]:
    """`part` cut where its font changes; the style's own font may add hyphenation points."""
    if not part:
        return []
    runs = setting.fonts.runs(part, font, span.style)
    if len(runs) == 1 and runs[0][0] == font:
        return _syllable_items(part, font, span, setting, level, hyphenate)
    items: list[Item] = []
    for run_font, text in runs:
        if run_font is None:
            items.append(Item("box", 0.0, text=text, font="", level=level))  # reported by the caller, not drawn
        elif run_font == font:
            items.extend(_syllable_items(text, font, span, setting, level, hyphenate=False))
        else:
            items.append(make_box(text, run_font, span.link, setting, level))
    return items


def _syllable_items(part: str, font: str, span: Span, setting: Setting, level: int, hyphenate: bool) -> list[Item]:
    small = setting.small_caps.get(span.style)
    pieces = acronym_parts(part) if small is not None else None
    if pieces is not None:
        lead, caps, tail = pieces
        boxes = [make_box(lead, font, span.link, setting, level),
                 make_box(caps, small.font, span.link, setting, level, small.features, SMALL_CAPS_TRACKING),
                 make_box(tail, font, span.link, setting, level)]
        return [box for box in boxes if box.text]
    if SOFT_HYPHEN in part:
        part, points = _soft_hyphen_points(part)
        points = points if setting.hyphenate else ()
    else:
        allowed = setting.hyphenate and hyphenate and level % 2 == 0
        points = _hyphen_points(part, setting.language, setting.hyphenate_capitals) if allowed else ()
    if points:
        # Each syllable is given its share of the whole word as shaped (kerning across the
        # points included), so an unbroken word measures what it will be drawn as.
        shaped = shape(font, part, setting.features)
        # No break inside a glyph (the ligature ffl of "offload" spans off|load): broken there, both halves
        # would be drawn without it, each wider than the share it was measured by.
        starts = set(shaped.clusters)
        points = tuple(point for point in points if point in starts)
    if not points:
        return [make_box(part, font, span.link, setting, level)]
    penalty = RAGGED_HYPHEN_PENALTY if setting.ragged else HYPHEN_PENALTY
    items: list[Item] = []
    for start, end in zip((0,) + points, points + (len(part),)):
        if start:
            # A break here draws the word so far with a hyphen after it. The syllables' shares hold the
            # kern into the next letter, which the break takes away, so the hyphen's width is what the
            # broken word measures beyond them (not the hyphen alone: a line could end past the measure).
            shares = (shaped.advance_of(0, start) + setting.tracking * start) * setting.size
            broken = measure(setting.fonts, part[:start] + HYPHEN, font, setting.size, setting.features,
                             setting.tracking)
            items.append(Item("penalty", broken - shares, penalty=penalty, flagged=True, text=HYPHEN, font=font,
                              link=span.link, features=setting.features, level=level))
        width = (shaped.advance_of(start, end) + setting.tracking * (end - start)) * setting.size
        items.append(Item("box", width, text=part[start:end], font=font, link=span.link, features=setting.features,
                          tracking=setting.tracking, level=level))
    return items


def _soft_hyphen_points(part: str) -> tuple[str, tuple[int, ...]]:
    """An author's soft hyphens replace the dictionary's points for that word (as TeX's \\- does)."""
    pieces = part.split(SOFT_HYPHEN)
    offsets = [sum(len(piece) for piece in pieces[:i]) for i in range(1, len(pieces))]
    text = "".join(pieces)
    return text, tuple(sorted({o for o in offsets if 0 < o < len(text)}))


def make_box(text: str, font: str, link: str | None, setting: Setting, level: int = 0,
             features: Features | None = None, tracking: float | None = None) -> Item:
    features = setting.features if features is None else features
    tracking = setting.tracking if tracking is None else tracking
    if tracking and _JOINED.search(text):
        tracking = 0.0  # letter-spacing would pull apart the letters a joined script writes as one stroke
    rtl = True if level % 2 else None
    return Item("box", measure(setting.fonts, text, font, setting.size, features, tracking, rtl), text=text,
                font=font, link=link, features=features, tracking=tracking, level=level)


# Scripts whose letters join: Arabic (with its supplements and presentation forms), Syriac, N'Ko, Mongolian
_JOINED = re.compile("[\u0600-\u06ff\u0700-\u074f\u0750-\u077f\u07c0-\u07ff\u0860-\u08ff\u1800-\u18af"
                     "\ufb50-\ufdff\ufe70-\ufeff]")
_CORE = re.compile(r"([\W_]*)(.*?)([\W_]*)", re.DOTALL)  # “word”, -> (“, word, ”,)


@lru_cache(maxsize=65536)
def _hyphen_points(part: str, language: str, capitals: bool = False) -> tuple[int, ...]:
    """Offsets inside `part` where the breaker may add a hyphen."""
    match = _CORE.fullmatch(part)
    lead, core = len(match.group(1)), match.group(2)
    if not _hyphenatable(core, capitals):
        return ()
    patterns = dictionary(language, LEFT_MIN, RIGHT_MIN)  # None: pyphen does not know the language
    if patterns is None:
        return ()
    points = (lead + int(p) for p in patterns.positions(core))
    return tuple(p for p in points if LEFT_MIN <= p - lead <= len(core) - RIGHT_MIN)


def _hyphenatable(core: str, capitals: bool) -> bool:
    letters = sum(c.isalpha() for c in core)
    if letters < MIN_WORD_LETTERS or any(not (c.isalpha() or c in "'\u2019") for c in core):
        return False
    if core[:1].isupper() and not capitals:
        return False  # a name ("Lon-don") reads badly divided; the style may allow it (German nouns)
    return not core.isupper()  # acronyms are never divided
