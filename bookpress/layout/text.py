"""Paragraph source -> lines of positioned fragments: inline markup, smart punctuation, Knuth–Plass breaking.

Pure: nothing here draws. The layout stage parses a paragraph into Spans, smartens
their text, and hands them to `break_paragraph`, which returns Lines whose Fragments
carry explicit x offsets, so the renderer only draws each fragment where it is told.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import pyphen

from ..fonts import STYLES, FontBook

# ---------------------------------------------------------------------------------------
# Inline markup
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A run of text with one style."""

    text: str
    style: str  # "regular" | "italic" | "bold" | "bolditalic"
    link: str | None = None


_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # not \s: no-break spaces must survive
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass
class _Token:
    """Working state of the emphasis resolver; mutable because delimiter counts are consumed in place."""

    text: str = ""
    marker: str = ""  # "*" or "_" for a delimiter run, "" for text
    count: int = 0
    can_open: bool = False
    can_close: bool = False
    bold: int = 0
    italic: int = 0
    link: str | None = None


def parse_inline(source: str) -> tuple[Span, ...]:
    """'*a* **b** [c](u)' -> Spans. Unmatched markers stay literal; whitespace collapses to one space."""
    text = _ASCII_SPACE.sub(" ", source).strip()
    tokens = _resolve(_tokenise(text))
    return _spans_of(tokens)


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ASCII_PUNCTUATION:
            literal.append(text[i + 1])
            i += 2
            continue
        if char in "*_":
            _flush(literal, tokens)
            end = _run_end(text, i)
            tokens.append(_delimiter(text, i, end))
            i = end
            continue
        link = _match_link(text, i) if char == "[" else None
        if link is not None:
            _flush(literal, tokens)
            label, url, i = link
            tokens.extend(_link_tokens(label, url))
            continue
        literal.append(char)
        i += 1
    _flush(literal, tokens)
    return tokens


def _flush(literal: list[str], tokens: list[_Token]) -> None:
    if literal:
        tokens.append(_Token("".join(literal)))
        literal.clear()


def _run_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] == text[start]:
        end += 1
    return end


def _delimiter(text: str, start: int, end: int) -> _Token:
    """A run of * or _; whether it may open or close depends on its neighbours (CommonMark, simplified)."""
    marker = text[start]
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    can_open = not after.isspace()
    can_close = not before.isspace()
    if marker == "_":
        # snake_case and file_names_like_this are not emphasis
        can_open = can_open and not before.isalnum()
        can_close = can_close and not after.isalnum()
    return _Token(marker * (end - start), marker, end - start, can_open, can_close)


def _match_link(text: str, start: int) -> tuple[str, str, int] | None:
    """'[label](url)' at `start` -> (label, url, index after it), or None when it is not a link."""
    close = _matching(text, start, "[", "]")
    if close is None or close + 1 >= len(text) or text[close + 1] != "(":
        return None
    end = _matching(text, close + 1, "(", ")")
    if end is None:
        return None
    url = text[close + 2 : end].strip()
    if not url:
        return None
    return text[start + 1 : close], url, end + 1


def _matching(text: str, start: int, opening: str, closing: str) -> int | None:
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _link_tokens(label: str, url: str) -> list[_Token]:
    """The label's own emphasis is resolved inside it, so markers never pair across a link's edge."""
    inner = _resolve(_tokenise(label))
    for token in inner:
        token.link = token.link or url
    return inner


def _resolve(tokens: list[_Token]) -> list[_Token]:
    """Pair delimiter runs, innermost first; `***` splits into bold and italic as needed."""
    for closer_at, closer in enumerate(tokens):
        if not closer.marker or not closer.can_close:
            continue
        while closer.count > 0:
            opener_at = _find_opener(tokens, closer_at, closer.marker)
            if opener_at is None:
                break
            _pair(tokens, opener_at, closer_at)
    return _literalised(tokens)


def _find_opener(tokens: list[_Token], closer_at: int, marker: str) -> int | None:
    for index in range(closer_at - 1, -1, -1):
        token = tokens[index]
        if token.marker == marker and token.can_open and token.count > 0:
            return index
    return None


def _pair(tokens: list[_Token], opener_at: int, closer_at: int) -> None:
    opener, closer = tokens[opener_at], tokens[closer_at]
    used = 2 if opener.count >= 2 and closer.count >= 2 else 1
    for token in tokens[opener_at + 1 : closer_at]:
        if used == 2:
            token.bold += 1
        else:
            token.italic += 1
        if token.marker:
            # runs enclosed by a pair can no longer pair with anything outside it
            token.can_open = token.can_close = False
    opener.count -= used
    closer.count -= used


def _literalised(tokens: list[_Token]) -> list[_Token]:
    """Delimiters left over after pairing are plain text; consumed ones vanish."""
    result = []
    for token in tokens:
        if token.marker:
            if token.count == 0:
                continue
            token = replace(token, text=token.marker * token.count, marker="", count=0)
        result.append(token)
    return result


def _style_of(token: _Token) -> str:
    if token.bold and token.italic:
        return "bolditalic"
    return "bold" if token.bold else "italic" if token.italic else "regular"


def _spans_of(tokens: list[_Token]) -> tuple[Span, ...]:
    spans: list[Span] = []
    for token in tokens:
        if not token.text:
            continue
        style = _style_of(token)
        if spans and spans[-1].style == style and spans[-1].link == token.link:
            spans[-1] = replace(spans[-1], text=spans[-1].text + token.text)
        else:
            spans.append(Span(token.text, style, token.link))
    return tuple(spans)


# ---------------------------------------------------------------------------------------
# Smart punctuation
# ---------------------------------------------------------------------------------------

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: French guillemets and ;:!?


@dataclass(frozen=True)
class _Quotes:
    double_open: str
    double_close: str
    single_open: str
    single_close: str


_QUOTES = {
    "en": _Quotes("\u201c", "\u201d", "\u2018", "\u2019"),
    "de": _Quotes("\u201e", "\u201c", "\u201a", "\u2018"),
    "fr": _Quotes("\u00ab", "\u00bb", "\u201c", "\u201d"),
}
APOSTROPHE = "\u2019"

_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+|[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE)
_SPACED_HYPHEN = re.compile(r"(?<=\S) - (?=\S)")
_ELISION = re.compile(r"(?:\d\d?s?|tis|twas|em|n|cause|til|round)\b", re.IGNORECASE)
_OPENING_CONTEXT = set("([{<\u2018\u201c\u201a\u201e\u00ab\u2039\u2014\u2013-/")


def smarten(text: str, language: str = "en") -> str:
    """Typewriter punctuation -> typographic: quotes, apostrophes, dashes, ellipsis. URLs are left alone."""
    return _smarten_parts([text], language)[0]


def smarten_spans(spans: Sequence[Span], language: str = "en") -> tuple[Span, ...]:
    """`smarten` over a whole paragraph, so that a quote next to *emphasis* still knows which side it is on."""
    texts = _smarten_parts([span.text for span in spans], language)
    return tuple(replace(span, text=text) for span, text in zip(spans, texts))


def _smarten_parts(parts: list[str], language: str) -> list[str]:
    quotes = _QUOTES.get(_base_language(language), _QUOTES["en"])
    parts = [_dashes_outside_urls(part) for part in parts]
    parts = _curl_quotes(parts, quotes)
    if _base_language(language) == "fr":
        parts = [_french_spacing(part) for part in parts]
    return parts


def _base_language(language: str) -> str:
    return language.replace("-", "_").split("_")[0].lower()


def _dashes_outside_urls(text: str) -> str:
    pieces, last = [], 0
    for match in _URL.finditer(text):
        pieces.append(_dashes(text[last : match.start()]))
        pieces.append(match.group())
        last = match.end()
    pieces.append(_dashes(text[last:]))
    return "".join(pieces)


def _dashes(text: str) -> str:
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    return _SPACED_HYPHEN.sub(" \u2013 ", text)


def _protected(text: str) -> list[bool]:
    flags = [False] * len(text)
    for match in _URL.finditer(text):
        flags[match.start() : match.end()] = [True] * (match.end() - match.start())
    return flags


def _curl_quotes(parts: list[str], quotes: _Quotes) -> list[str]:
    """Decide each straight quote from its neighbours across the whole paragraph, then split it back up."""
    raw = "".join(parts)
    protected = [flag for part in parts for flag in _protected(part)]
    out: list[str] = []
    open_double = open_single = 0
    for i, char in enumerate(raw):
        if protected[i] or char not in "\"'":
            out.append(char)
            continue
        before = out[-1] if out else ""
        after = raw[i + 1] if i + 1 < len(raw) else ""
        if char == '"':
            glyph, open_double = _double(before, after, open_double, quotes)
        else:
            elided = _ELISION.match(raw, i + 1) is not None
            glyph, open_single = _single(before, after, elided, open_single, quotes)
        out.append(glyph)
    result, start = [], 0
    for part in parts:
        result.append("".join(out[start : start + len(part)]))
        start += len(part)
    return result


def _opens(before: str) -> bool:
    return before == "" or before.isspace() or before in _OPENING_CONTEXT


def _double(before: str, after: str, depth: int, quotes: _Quotes) -> tuple[str, int]:
    opening = _opens(before) and after != "" and not after.isspace()
    if _opens(before) and not opening:
        opening = depth == 0  # a quote between spaces: trust the balance so far
    if opening:
        return quotes.double_open, depth + 1
    return quotes.double_close, max(0, depth - 1)


def _single(before: str, after: str, elided: bool, depth: int, quotes: _Quotes) -> tuple[str, int]:
    if before.isalnum() and after.isalpha():
        return APOSTROPHE, depth  # don't, l'homme
    if _opens(before):
        if elided or after == "" or after.isspace():
            return APOSTROPHE, depth  # ’50s, ’tis, rock ’n’ roll
        return quotes.single_open, depth + 1
    if depth > 0 and not after.isalpha():
        return quotes.single_close, depth - 1
    return APOSTROPHE, depth  # 1950s', the Joneses'


def _french_spacing(text: str) -> str:
    text = re.sub("\u00ab[ \u00a0\u202f]?", "\u00ab" + NNBSP, text)
    text = re.sub("[ \u00a0\u202f]?\u00bb", NNBSP + "\u00bb", text)
    return re.sub(r"(?<=\S)[ \u00a0]([;:!?])", NNBSP + r"\1", text)


# ---------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    """A piece of a line drawn with one font, at its own x."""

    x: float  # offset from the line's left edge, points, justification already applied
    text: str
    font: str  # registered font name (FontBook.face(...))
    size: float
    width: float
    link: str | None = None


@dataclass(frozen=True)
class Line:
    fragments: tuple[Fragment, ...]
    width: float  # width the content occupies after justification (first-line indent included)
    hyphenated: bool  # ends with a hyphen added by the breaker
    last: bool  # last line of its paragraph


# ---------------------------------------------------------------------------------------
# Boxes, glue and penalties
# ---------------------------------------------------------------------------------------

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
class _Item:
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
class _Setting:
    """What every word of one paragraph is measured and hyphenated with."""

    fonts: FontBook
    faces: dict[str, str]  # style -> registered font name
    size: float
    language: str
    hyphenate: bool
    ragged: bool


_WIDTHS: dict[tuple[str, float, str], float] = {}
_WIDTHS_LIMIT = 200_000


def _measure(fonts: FontBook, text: str, font: str, size: float) -> float:
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


def _items(spans: Sequence[Span], setting: _Setting, indent: float) -> list[_Item]:
    items: list[_Item] = [_Item("box", indent)] if indent > 0 else []
    for span in spans:
        font = setting.faces.get(span.style, setting.faces["regular"])
        for token in _WORD_OR_SPACE.findall(span.text):
            items.extend(_token_items(token, font, span.link, setting, items))
    while items and items[-1].kind != "box":
        items.pop()  # trailing spaces would only push the last line out
    items.append(_Item("penalty", 0.0, penalty=-INFINITY))
    return items


def _token_items(token: str, font: str, link: str | None, setting: _Setting, before: list[_Item]) -> list[_Item]:
    space = _measure(setting.fonts, " ", font, setting.size)
    if token == NBSP:
        return [_Item("penalty", 0.0, penalty=INFINITY), _space(space, font, link, setting)]
    if token == NNBSP:
        return [_Item("penalty", 0.0, penalty=INFINITY), _Item("glue", space * NARROW_SPACE, font=font)]
    if token.isspace():
        # a space at the paragraph start or after another space (across spans) adds nothing
        return [] if not before or before[-1].kind == "glue" else [_space(space, font, link, setting)]
    return _word_items(token, font, link, setting)


def _space(width: float, font: str, link: str | None, setting: _Setting) -> _Item:
    if setting.ragged:
        return _Item("glue", width, text=" ", font=font, link=link)
    return _Item("glue", width, width * SPACE_STRETCH, width * SPACE_SHRINK, text=" ", font=font, link=link)


def _looks_like_url(word: str) -> bool:
    return "://" in word or "@" in word or word.lower().startswith("www.")


def _word_items(word: str, font: str, link: str | None, setting: _Setting) -> list[_Item]:
    """A word -> boxes between its hyphenation points and after its own hyphens and dashes."""
    if _looks_like_url(word):
        return [_box(word, font, link, setting)]
    items: list[_Item] = []
    start = 0
    for match in _HARD_BREAK.finditer(word):
        items.extend(_syllable_items(word[start : match.end()], font, link, setting))
        flagged = match.group() != "\u2013" and match.group() != "\u2014"
        items.append(_Item("penalty", 0.0, penalty=HYPHEN_PENALTY if flagged else DASH_PENALTY, flagged=flagged))
        start = match.end()
    items.extend(_syllable_items(word[start:], font, link, setting))
    return items


def _syllable_items(part: str, font: str, link: str | None, setting: _Setting) -> list[_Item]:
    if SOFT_HYPHEN in part:
        part, points = _soft_hyphen_points(part)
        points = points if setting.hyphenate else ()
    else:
        points = _hyphen_points(part, setting.language) if setting.hyphenate else ()
    if not points:
        return [_box(part, font, link, setting)]
    hyphen = _measure(setting.fonts, HYPHEN, font, setting.size)
    penalty = _hyphen_penalty(part, setting)
    items: list[_Item] = []
    for start, end in zip((0,) + points, points + (len(part),)):
        if start:
            items.append(_Item("penalty", hyphen, penalty=penalty, flagged=True, text=HYPHEN, font=font, link=link))
        items.append(_box(part[start:end], font, link, setting))
    return items


def _soft_hyphen_points(part: str) -> tuple[str, tuple[int, ...]]:
    """An author's soft hyphens replace the dictionary's points for that word (as TeX's \\- does)."""
    pieces = part.split(SOFT_HYPHEN)
    offsets = [sum(len(piece) for piece in pieces[:i]) for i in range(1, len(pieces))]
    text = "".join(pieces)
    return text, tuple(sorted({o for o in offsets if 0 < o < len(text)}))


def _hyphen_penalty(part: str, setting: _Setting) -> float:
    penalty = RAGGED_HYPHEN_PENALTY if setting.ragged else HYPHEN_PENALTY
    initial = next((c for c in part if c.isalpha()), "")
    # German capitalises every noun, so there a capital does not mark a name.
    if initial.isupper() and _base_language(setting.language) != "de":
        penalty = max(penalty, NAME_HYPHEN_PENALTY)
    return penalty


def _box(text: str, font: str, link: str | None, setting: _Setting) -> _Item:
    return _Item("box", _measure(setting.fonts, text, font, setting.size), text=text, font=font, link=link)


# ---------------------------------------------------------------------------------------
# Hyphenation
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _dictionary(language: str) -> pyphen.Pyphen | None:
    """One pyphen dictionary per language; None (no hyphenation) when pyphen does not know it."""
    code = language.replace("-", "_")
    if code.lower() == "en":
        code = "en_US"
    found = pyphen.language_fallback(code)
    return pyphen.Pyphen(lang=found, left=LEFT_MIN, right=RIGHT_MIN) if found else None


_CORE = re.compile(r"([\W_]*)(.*?)([\W_]*)", re.DOTALL)  # “word”, -> (“, word, ”,)


@lru_cache(maxsize=65536)
def _hyphen_points(part: str, language: str) -> tuple[int, ...]:
    """Offsets inside `part` where the breaker may add a hyphen."""
    match = _CORE.fullmatch(part)
    lead, core = len(match.group(1)), match.group(2)
    if not _hyphenatable(core):
        return ()
    dictionary = _dictionary(language)
    if dictionary is None:
        return ()
    points = (lead + int(p) for p in dictionary.positions(core))
    return tuple(p for p in points if LEFT_MIN <= p - lead <= len(core) - RIGHT_MIN)


def _hyphenatable(core: str) -> bool:
    letters = sum(c.isalpha() for c in core)
    if letters < MIN_WORD_LETTERS or any(not (c.isalpha() or c in "'\u2019") for c in core):
        return False
    return not core.isupper()  # acronyms are never divided


# ---------------------------------------------------------------------------------------
# Knuth–Plass total-fit breaking
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Node:
    position: int  # index of the break item; -1 for the paragraph start
    start: int  # index of the first item of the line after this break
    fitness: int
    demerits: float
    flagged: bool
    previous: _Node | None


@dataclass(frozen=True)
class _Sums:
    """Running totals, so any line's natural width, stretch and shrink cost one subtraction."""

    width: tuple[float, ...]
    stretch: tuple[float, ...]
    shrink: tuple[float, ...]

    @staticmethod
    def of(items: Sequence[_Item]) -> _Sums:
        width, stretch, shrink = [0.0], [0.0], [0.0]
        for item in items:
            counts = item.kind != "penalty"
            width.append(width[-1] + (item.width if counts else 0.0))
            stretch.append(stretch[-1] + item.stretch)
            shrink.append(shrink[-1] + item.shrink)
        return _Sums(tuple(width), tuple(stretch), tuple(shrink))

    def line(self, items: Sequence[_Item], start: int, end: int) -> tuple[float, float, float]:
        extra = items[end].width if items[end].kind == "penalty" else 0.0
        return (self.width[end] - self.width[start] + extra, self.stretch[end] - self.stretch[start],
                self.shrink[end] - self.shrink[start])


def _is_break(items: Sequence[_Item], index: int) -> bool:
    item = items[index]
    if item.kind == "penalty":
        return item.penalty < INFINITY
    return item.kind == "glue" and index > 0 and items[index - 1].kind == "box"


def _line_start(items: Sequence[_Item], position: int) -> int:
    """Glue and penalties after a break vanish into it; the next line starts at the next box."""
    index = position + 1
    while index < len(items) and items[index].kind != "box":
        index += 1
    return index


def _ratio(natural: float, stretch: float, shrink: float, width: float, final: bool) -> float:
    slack = width - natural
    if abs(slack) < 1e-9 or (final and slack > 0):
        return 0.0  # the last line is set at its natural width
    if slack > 0:
        return slack / stretch if stretch > 0 else math.inf
    return slack / shrink if shrink > 0 else -math.inf


def _badness(ratio: float) -> float:
    # Not capped at 10000 as in TeX: in the emergency pass a line twice as loose must cost more.
    return UNSTRETCHABLE_BADNESS if math.isinf(ratio) else 100.0 * abs(ratio) ** 3


def _fitness(ratio: float) -> int:
    if ratio < -0.5:
        return 0
    if ratio <= 0.5:
        return 1
    return 2 if ratio <= 1.0 else 3


def _demerits(ratio: float, item: _Item, node: _Node, final: bool) -> float:
    demerits = (LINE_PENALTY + _badness(ratio)) ** 2
    if item.kind == "penalty" and item.penalty >= 0:
        demerits += item.penalty**2
    elif item.kind == "penalty" and item.penalty > -INFINITY:
        demerits -= item.penalty**2
    if item.flagged and node.flagged:
        demerits += DOUBLE_HYPHEN_DEMERITS
    if final and node.flagged:
        demerits += FINAL_HYPHEN_DEMERITS
    return demerits


@dataclass(frozen=True)
class _Measure:
    width: float
    tolerance: float
    ragged_stretch: float  # added to every line's stretch when the text is set ragged


def _total_fit(items: Sequence[_Item], measure: _Measure) -> list[int] | None:
    """Break positions minimising total demerits, or None if no line set fits the tolerance."""
    sums = _Sums.of(items)
    active = [_Node(-1, 0, 1, 0.0, False, None)]
    for position in range(len(items)):
        if _is_break(items, position):
            active = _consider(items, sums, active, position, measure)
            if not active:
                return None
    finished = [node for node in active if node.position == len(items) - 1]
    if not finished:
        return None
    return _positions(min(finished, key=lambda node: node.demerits))


def _consider(items: Sequence[_Item], sums: _Sums, active: list[_Node], position: int,
              measure: _Measure) -> list[_Node]:
    item = items[position]
    final = position == len(items) - 1
    forced = item.kind == "penalty" and item.penalty <= -INFINITY
    survivors: list[_Node] = []
    best: dict[int, tuple[float, _Node]] = {}
    for node in active:
        if node.start > position:
            survivors.append(node)  # the break sits inside the discarded space after this node
            continue
        natural, stretch, shrink = sums.line(items, node.start, position)
        ratio = _ratio(natural, stretch + measure.ragged_stretch, shrink, measure.width, final)
        if ratio >= -1 and not forced:
            survivors.append(node)
        if -1 <= ratio <= measure.tolerance:
            fitness = _fitness(ratio)
            demerits = node.demerits + _demerits(ratio, item, node, final)
            if abs(fitness - node.fitness) > 1:
                demerits += FITNESS_DEMERITS
            if fitness not in best or demerits < best[fitness][0]:
                best[fitness] = (demerits, node)
    return survivors + _new_nodes(items, best, position)


def _new_nodes(items: Sequence[_Item], best: dict[int, tuple[float, _Node]], position: int) -> list[_Node]:
    if not best:
        return []
    floor = min(demerits for demerits, _ in best.values())
    start = _line_start(items, position)
    flagged = items[position].flagged
    return [_Node(position, start, fitness, demerits, flagged, node)
            for fitness, (demerits, node) in sorted(best.items()) if demerits <= floor + FITNESS_DEMERITS]


def _positions(node: _Node) -> list[int]:
    positions = []
    current: _Node | None = node
    while current is not None and current.position >= 0:
        positions.append(current.position)
        current = current.previous
    return positions[::-1]


def _first_fit(items: Sequence[_Item], width: float) -> list[int]:
    """The last resort: break at the last point that fits, or overflow; always advances, always ends."""
    sums = _Sums.of(items)
    points = [i for i in range(len(items)) if _is_break(items, i)]
    positions: list[int] = []
    start, fitting, index = 0, None, 0
    while index < len(points):
        point = points[index]
        if point < start:
            index += 1
            continue
        fits = sums.line(items, start, point)[0] <= width + 1e-9
        if fits and point != points[-1]:
            fitting, index = point, index + 1
            continue
        chosen = point if fits or fitting is None else fitting
        positions.append(chosen)
        start, fitting = _line_start(items, chosen), None
        index += chosen == point
    return positions


def _split_overlong(items: list[_Item], limit: float, setting: _Setting) -> list[_Item]:
    """Let words that fit on no line break between any two characters (the emergency pass)."""
    overlong: set[int] = set()
    run: list[int] = []
    run_width = 0.0
    for index, item in enumerate(items + [_Item("penalty", 0.0)]):
        if index == len(items) or _is_break(items, index):
            if run_width > limit:
                overlong.update(run)
            run, run_width = [], 0.0
        else:
            run.append(index)
            run_width += item.width if item.kind != "penalty" else 0.0
    result: list[_Item] = []
    for index, item in enumerate(items):
        if index in overlong and item.kind == "box" and len(item.text) > 1:
            result.extend(_characters(item, setting))
        elif index in overlong and item.kind == "penalty":
            # a no-break space in a run wider than the column: breaking beats running off the page
            result.append(replace(item, penalty=EMERGENCY_PENALTY))
        else:
            result.append(item)
    return result


def _characters(box: _Item, setting: _Setting) -> list[_Item]:
    hyphen = _measure(setting.fonts, HYPHEN, box.font, setting.size)
    url = _looks_like_url(box.text)
    items: list[_Item] = []
    for index, char in enumerate(box.text):
        if index and not unicodedata.combining(char):
            word = box.text[index - 1].isalpha() and char.isalpha() and not url
            penalty = _emergency_penalty(box.text, index, url)
            items.append(_Item("penalty", hyphen if word else 0.0, penalty=penalty, flagged=word,
                               text=HYPHEN if word else "", font=box.font, link=box.link))
        if items and items[-1].kind == "box" and unicodedata.combining(char):
            items[-1] = _box(items[-1].text + char, box.font, box.link, setting)  # keep accents on their letter
        else:
            items.append(_box(char, box.font, box.link, setting))
    return items


def _emergency_penalty(text: str, index: int, url: bool) -> float:
    """Addresses break best after a slash or before a dot (never inside '//'), and a hyphen would lie."""
    if not url:
        return EMERGENCY_PENALTY
    before, after = text[index - 1], text[index]
    between_slashes = before == "/" and after == "/"
    good = (before in "/-?&=#_" or after in ".@") and not between_slashes
    return EMERGENCY_PENALTY / 10 if good else EMERGENCY_PENALTY


def _is_hyphenation_point(item: _Item) -> bool:
    return item.kind == "penalty" and item.text == HYPHEN


def _choose_breaks(items: list[_Item], width: float, indent: float, setting: _Setting,
                   ragged_stretch: float) -> tuple[list[_Item], list[int]]:
    unhyphenated = [item for item in items if not _is_hyphenation_point(item)]
    for tolerance, hyphenating in PASSES:
        candidates = items if hyphenating else unhyphenated
        positions = _total_fit(candidates, _Measure(width, tolerance, ragged_stretch))
        if positions is not None:
            return candidates, positions
    items = _split_overlong(items, width - indent, setting)
    positions = _total_fit(items, _Measure(width, math.inf, ragged_stretch))
    return items, positions if positions is not None else _first_fit(items, width)


# ---------------------------------------------------------------------------------------
# Setting the lines
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    x: float
    text: str
    font: str
    width: float
    link: str | None


def _adjusted(item: _Item, ratio: float) -> float:
    if item.kind != "glue":
        return item.width
    return item.width + ratio * (item.stretch if ratio > 0 else item.shrink)


def _pieces(items: Sequence[_Item], start: int, end: int, ratio: float, merge_spaces: bool) -> list[_Piece]:
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


def _append(pieces: list[_Piece], piece: _Piece, gap: _Item | None, x: float) -> list[_Piece]:
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


def _with_hyphen(pieces: list[_Piece], penalty: _Item) -> list[_Piece]:
    end = pieces[-1].x + pieces[-1].width if pieces else 0.0
    hyphen = _Piece(end, penalty.text, penalty.font, penalty.width, penalty.link)
    return _append(pieces, hyphen, None, end)


def _set_line(items: Sequence[_Item], sums: _Sums, start: int, end: int, width: float, align: str, last: bool,
              size: float) -> Line:
    natural, stretch, shrink = sums.line(items, start, end)
    justified = align == "justify" and not last
    ratio = _ratio(natural, stretch, shrink, width, final=not justified)
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


# ---------------------------------------------------------------------------------------
# The verb
# ---------------------------------------------------------------------------------------

ALIGNMENTS = ("justify", "left", "center", "right")


def break_paragraph(spans: Sequence[Span], *, width: float, family: str, size: float, fonts: FontBook,
                    language: str = "en", align: str = "justify", indent: float = 0.0,
                    hyphenate: bool = True) -> tuple[Line, ...]:
    """Spans -> lines of `width` points, broken by total fit; `indent` applies to the first line."""
    if align not in ALIGNMENTS:
        raise ValueError(f"align must be one of {', '.join(ALIGNMENTS)}; got {align!r}")
    width = max(0.0, width)
    indent = min(max(0.0, indent), width)
    faces = {style: fonts.face(family, style) for style in STYLES}
    setting = _Setting(fonts, faces, size, language, hyphenate, ragged=align != "justify")
    items = _items(spans, setting, indent)
    if len(items) == 1 or all(item.kind != "box" or not item.text for item in items):
        return ()
    ragged_stretch = RAGGED_STRETCH_EMS * size if setting.ragged else 0.0
    items, positions = _choose_breaks(items, width, indent, setting, ragged_stretch)
    return _lines(items, positions, width, align, size)


def _lines(items: Sequence[_Item], positions: list[int], width: float, align: str, size: float) -> tuple[Line, ...]:
    sums = _Sums.of(items)
    lines = []
    start = 0
    for number, position in enumerate(positions):
        last = number == len(positions) - 1
        lines.append(_set_line(items, sums, start, position, width, align, last, size))
        start = _line_start(items, position)
    return tuple(lines)
