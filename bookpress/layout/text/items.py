"""Spans -> boxes, glue and penalties (with hyphenation points): the material line breaking works on."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ...fonts.catalog import FontBook
from .hyphenation import dictionary
from .inline import Span
from .smarten import NBSP, NNBSP, base_language

INFINITY = 10000.0  # a penalty this high forbids a break; its negative forces one
LINE_PENALTY = 10.0
HYPHEN_PENALTY = 50.0
RAGGED_HYPHEN_PENALTY = 100.0  # ragged lines need not be filled, so a hyphen must earn its place
NAME_HYPHEN_PENALTY = 1000.0  # names read badly divided: only to spare a very loose line
DASH_PENALTY = 50.0
EMERGENCY_PENALTY = 1000.0  # a break inside an overlong word: only when nothing else fits
DOUBLE_HYPHEN_DEMERITS = 3000.0
FINAL_HYPHEN_DEMERITS = 5000.0
FITNESS_DEMERITS = 3000.0
# (adjustment ratio, may hyphenate) tried in turn before the emergency pass. As in TeX, a first
# pass without hyphenation keeps hyphens to the paragraphs that need them.
PASSES = ((1.0, False), (1.5, True), (3.0, True))
SPACE_STRETCH = 1 / 2
SPACE_SHRINK = 1 / 3
NARROW_SPACE = 1 / 2  # of a word space; fonts disagree wildly on U+202F, so it is not drawn
RAGGED_STRETCH_EMS = 3.0  # room at the end of a ragged line before it counts as bad
UNSTRETCHABLE_BADNESS = 1e8  # an underfull line with no space to stretch
HYPHEN = "-"
SOFT_HYPHEN = "\u00ad"
MIN_WORD_LETTERS = 5
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
    font: str = ""
    link: str | None = None


@dataclass(frozen=True)
class Setting:
    """What every word of one paragraph is measured and hyphenated with."""

    fonts: FontBook
    faces: dict[str, str]  # style -> registered font name
    size: float
    language: str
    hyphenate: bool
    ragged: bool


_WIDTHS: dict[tuple[str, float, str], float] = {}
_WIDTHS_LIMIT = 200_000


def measure(fonts: FontBook, text: str, font: str, size: float) -> float:
    """Memoised: a book measures the same words thousands of times."""
    key = (font, size, text)
    width = _WIDTHS.get(key)
    if width is None:
        if len(_WIDTHS) >= _WIDTHS_LIMIT:
            _WIDTHS.clear()
        width = _WIDTHS[key] = fonts.width(text, font, size)
    return width


_WORD_OR_SPACE = re.compile(r"[ \t\n\r\f\v]+|\u00a0|\u202f|[^ \t\n\r\f\v\u00a0\u202f]+")
_HARD_BREAK = re.compile(r"(?<=[^\W\d_])[-\u2010](?=[^\W\d_])|(?<=\S)[\u2013\u2014](?=\S)")


def paragraph_items(spans: Sequence[Span], setting: Setting, indent: float) -> list[Item]:
    items: list[Item] = [Item("box", indent)] if indent > 0 else []
    for span in spans:
        font = setting.faces.get(span.style, setting.faces["regular"])
        for token in _WORD_OR_SPACE.findall(span.text):
            items.extend(_token_items(token, font, span.link, setting, items))
    while items and items[-1].kind != "box":
        items.pop()  # trailing spaces would only push the last line out
    items.append(Item("penalty", 0.0, penalty=-INFINITY))
    return items


def _token_items(token: str, font: str, link: str | None, setting: Setting, before: list[Item]) -> list[Item]:
    space = measure(setting.fonts, " ", font, setting.size)
    if token == NBSP:
        return [Item("penalty", 0.0, penalty=INFINITY), _space(space, font, link, setting)]
    if token == NNBSP:
        return [Item("penalty", 0.0, penalty=INFINITY), Item("glue", space * NARROW_SPACE, font=font)]
    if token.isspace():
        # a space at the paragraph start or after another space (across spans) adds nothing
        return [] if not before or before[-1].kind == "glue" else [_space(space, font, link, setting)]
    return _word_items(token, font, link, setting)


def _space(width: float, font: str, link: str | None, setting: Setting) -> Item:
    if setting.ragged:
        return Item("glue", width, text=" ", font=font, link=link)
    return Item("glue", width, width * SPACE_STRETCH, width * SPACE_SHRINK, text=" ", font=font, link=link)


def looks_like_url(word: str) -> bool:
    return "://" in word or "@" in word or word.lower().startswith("www.")


def _word_items(word: str, font: str, link: str | None, setting: Setting) -> list[Item]:
    """A word -> boxes between its hyphenation points and after its own hyphens and dashes."""
    if looks_like_url(word):
        return [make_box(word, font, link, setting)]
    items: list[Item] = []
    start = 0
    for match in _HARD_BREAK.finditer(word):
        items.extend(_syllable_items(word[start : match.end()], font, link, setting))
        flagged = match.group() != "\u2013" and match.group() != "\u2014"
        items.append(Item("penalty", 0.0, penalty=HYPHEN_PENALTY if flagged else DASH_PENALTY, flagged=flagged))
        start = match.end()
    items.extend(_syllable_items(word[start:], font, link, setting))
    return items


def _syllable_items(part: str, font: str, link: str | None, setting: Setting) -> list[Item]:
    if SOFT_HYPHEN in part:
        part, points = _soft_hyphen_points(part)
        points = points if setting.hyphenate else ()
    else:
        points = _hyphen_points(part, setting.language) if setting.hyphenate else ()
    if not points:
        return [make_box(part, font, link, setting)]
    hyphen = measure(setting.fonts, HYPHEN, font, setting.size)
    penalty = _hyphen_penalty(part, setting)
    items: list[Item] = []
    for start, end in zip((0,) + points, points + (len(part),)):
        if start:
            items.append(Item("penalty", hyphen, penalty=penalty, flagged=True, text=HYPHEN, font=font, link=link))
        items.append(make_box(part[start:end], font, link, setting))
    return items


def _soft_hyphen_points(part: str) -> tuple[str, tuple[int, ...]]:
    """An author's soft hyphens replace the dictionary's points for that word (as TeX's \\- does)."""
    pieces = part.split(SOFT_HYPHEN)
    offsets = [sum(len(piece) for piece in pieces[:i]) for i in range(1, len(pieces))]
    text = "".join(pieces)
    return text, tuple(sorted({o for o in offsets if 0 < o < len(text)}))


def _hyphen_penalty(part: str, setting: Setting) -> float:
    penalty = RAGGED_HYPHEN_PENALTY if setting.ragged else HYPHEN_PENALTY
    initial = next((c for c in part if c.isalpha()), "")
    # German capitalises every noun, so there a capital does not mark a name.
    if initial.isupper() and base_language(setting.language) != "de":
        penalty = max(penalty, NAME_HYPHEN_PENALTY)
    return penalty


def make_box(text: str, font: str, link: str | None, setting: Setting) -> Item:
    return Item("box", measure(setting.fonts, text, font, setting.size), text=text, font=font, link=link)


_CORE = re.compile(r"([\W_]*)(.*?)([\W_]*)", re.DOTALL)  # “word”, -> (“, word, ”,)


@lru_cache(maxsize=65536)
def _hyphen_points(part: str, language: str) -> tuple[int, ...]:
    """Offsets inside `part` where the breaker may add a hyphen."""
    match = _CORE.fullmatch(part)
    lead, core = len(match.group(1)), match.group(2)
    if not _hyphenatable(core):
        return ()
    patterns = dictionary(language, LEFT_MIN, RIGHT_MIN)  # None: pyphen does not know the language
    if patterns is None:
        return ()
    points = (lead + int(p) for p in patterns.positions(core))
    return tuple(p for p in points if LEFT_MIN <= p - lead <= len(core) - RIGHT_MIN)


def _hyphenatable(core: str) -> bool:
    letters = sum(c.isalpha() for c in core)
    if letters < MIN_WORD_LETTERS or any(not (c.isalpha() or c in "'\u2019") for c in core):
        return False
    return not core.isupper()  # acronyms are never divided
