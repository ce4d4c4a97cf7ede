"""Typewriter punctuation -> typographic: curly quotes by language, apostrophes, dashes, ellipses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ...load.words import language_codes
from .inline import Span

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: French guillemets and ;:!?


@dataclass(frozen=True)
class _Quotes:
    double_open: str
    double_close: str
    single_open: str
    single_close: str


# Each language's quotation marks, outer pair then inner pair, as its printers set them (the Unicode
# CLDR's delimiters); a language not listed takes English's. A region that differs is listed by itself.
_ENGLISH = _Quotes("\u201c", "\u201d", "\u2018", "\u2019")  # “ ” ‘ ’
_LOW_HIGH = _Quotes("\u201e", "\u201c", "\u201a", "\u2018")  # „ “ ‚ ‘
_GUILLEMETS_ENGLISH = _Quotes("\u00ab", "\u00bb", "\u201c", "\u201d")  # « » “ ”
_GUILLEMETS_LOW_HIGH = _Quotes("\u00ab", "\u00bb", "\u201e", "\u201c")  # « » „ “
_LOW_RIGHT_GUILLEMETS = _Quotes("\u201e", "\u201d", "\u00ab", "\u00bb")  # „ ” « »
_CORNER_BRACKETS = _Quotes("\u300c", "\u300d", "\u300e", "\u300f")  # 「 」 『 』
_QUOTES = {
    "en": _ENGLISH,
    **dict.fromkeys(("de", "cs", "sk", "sl", "et", "lt", "is"), _LOW_HIGH),
    **dict.fromkeys(("fr", "es", "it", "pt_pt", "el", "ca"), _GUILLEMETS_ENGLISH),
    **dict.fromkeys(("ru", "uk", "be", "lv"), _GUILLEMETS_LOW_HIGH),
    **dict.fromkeys(("pl", "ro"), _LOW_RIGHT_GUILLEMETS),
    "hu": _Quotes("\u201e", "\u201d", "\u00bb", "\u00ab"),  # „ ” » «
    "de_ch": _Quotes("\u00ab", "\u00bb", "\u2039", "\u203a"),  # « » ‹ ›
    **dict.fromkeys(("sv", "fi"), _Quotes("\u201d", "\u201d", "\u2019", "\u2019")),  # ” ” ’ ’
    **dict.fromkeys(("nb", "no", "nn"), _Quotes("\u00ab", "\u00bb", "\u2018", "\u2019")),  # « » ‘ ’
    **dict.fromkeys(("ja", "zh_hant", "zh_tw", "zh_hk"), _CORNER_BRACKETS),
}
APOSTROPHE = "\u2019"

_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+|[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE)
_SPACED_HYPHEN = re.compile(r"(?<=\S) - (?=\S)")
_ELISION = re.compile(r"(?:\d\d?s?|tis|twas|em|n|cause|til|round)\b", re.IGNORECASE)
_STRAIGHT_QUOTE = re.compile("[\"']")
_OPENING_CONTEXT = set("([{<\u2018\u201c\u201a\u201e\u00ab\u2039\u300c\u300e\u2014\u2013-/")


def smarten(text: str, language: str = "en") -> str:
    """Typewriter punctuation -> typographic: quotes, apostrophes, dashes, ellipsis. URLs are left alone."""
    return _smarten_parts([text], language)[0]


def smarten_spans(spans: Sequence[Span], language: str = "en") -> tuple[Span, ...]:
    """`smarten` over a whole paragraph, so that a quote next to *emphasis* still knows which side it is on."""
    texts = _smarten_parts([span.text for span in spans], language)
    return tuple(replace(span, text=text) for span, text in zip(spans, texts))


def _smarten_parts(parts: list[str], language: str) -> list[str]:
    quotes = quotes_for(language)
    parts = [_dashes_outside_urls(part) for part in parts]
    parts = _curl_quotes(parts, quotes)
    if base_language(language) == "fr":
        parts = [_french_spacing(part) for part in parts]
    return parts


def quotes_for(language: str) -> _Quotes:
    """'de-CH' -> Swiss guillemets, 'pt-PT' -> « », 'pt-BR' -> Brazil's “ ”, 'zh-Hant' -> 「 」: the region's
    own marks where it has them, else the language's, else English's."""
    return next((_QUOTES[code] for code in language_codes(language) if code in _QUOTES), _ENGLISH)


def base_language(language: str) -> str:
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
    if '"' not in raw and "'" not in raw:
        return list(parts)
    protected = [flag for part in parts for flag in _protected(part)]
    out = list(raw)
    open_double = open_single = 0
    for match in _STRAIGHT_QUOTE.finditer(raw):  # only the quotes change; each sees the marks chosen before it
        i, char = match.start(), match.group()
        if protected[i]:
            continue
        before = out[i - 1] if i else ""
        after = raw[i + 1] if i + 1 < len(raw) else ""
        if char == '"':
            glyph, open_double = _double(before, after, open_double, quotes)
        else:
            elided = _ELISION.match(raw, i + 1) is not None
            glyph, open_single = _single(before, after, elided, open_single, quotes)
        out[i] = glyph
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
