"""What a word's characters allow: breaks between ideographs, acronyms for small capitals, dashes.

Chinese and Japanese are written without spaces and may break between almost any two
characters, except before closing punctuation and small kana or after an opening
bracket (the Japanese kinsoku rules, simplified). Korean keeps its spaces and breaks
at them, as Latin text does.
"""

from __future__ import annotations

import re
from functools import lru_cache

_IDEOGRAPHIC = re.compile("[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf"
                          "\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")
NO_BREAK_BEFORE = set("、。，．・：；？！）」』】〕〉》〗〙〛’”ー々〻ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲ"
                      "ㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ…‥〜～,.;:!?)]}%")
NO_BREAK_AFTER = set("（「『【〔〈《〖〘〚‘“([{$")
DASHES = "\u2012\u2013\u2014\u2015\u2e3a\u2e3b"
_ACRONYM = re.compile(r"([^\w]*)([^\W\d_]{2,}[0-9]*)(['\u2019]s|s)?([^\w]*)")


def is_ideographic(char: str) -> bool:
    return _IDEOGRAPHIC.match(char) is not None


@lru_cache(maxsize=65536)
def cjk_segments(word: str) -> tuple[tuple[str, bool], ...]:
    """`word` cut where a line may break inside it: (segment, a break may follow it)."""
    if not any(is_ideographic(char) for char in word):
        return ((word, False),)
    segments: list[tuple[str, bool]] = []
    start = 0
    for index in range(1, len(word)):
        before, after = word[index - 1], word[index]
        if (is_ideographic(before) or is_ideographic(after)) and after not in NO_BREAK_BEFORE \
                and before not in NO_BREAK_AFTER:
            segments.append((word[start:index], True))
            start = index
    segments.append((word[start:], False))
    return tuple(segments)


def acronym_parts(word: str) -> tuple[str, str, str] | None:
    """'(USSR’s' -> ('(', 'USSR', '’s'): the capitals of an acronym, to set in small capitals."""
    match = _ACRONYM.fullmatch(word)
    if match is None:
        return None
    lead, caps, plural, trail = match.groups()
    plural = plural or ""
    if caps.endswith("s") and not plural:  # "CDs": a lower-case s after capitals is the plural
        caps, plural = caps[:-1], "s"
    if not caps.isupper() or sum(char.isupper() for char in caps) < 2:
        return None
    return lead, caps, plural + trail


def is_dash(token: str) -> bool:
    """A token that starts with a dash (an en or em dash set between spaces, or '—and')."""
    return bool(token) and token[0] in DASHES
