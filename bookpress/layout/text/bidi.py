"""A paragraph's characters -> their bidirectional embedding levels, and a line's pieces -> display order.

The levels come from python-bidi's implementation of the Unicode Bidirectional
Algorithm (UAX #9, rules P2 to I2); reordering (rule L2) is done here per line, on
whole pieces, because each piece is shaped on its own (HarfBuzz already puts an
RTL piece's glyphs in display order). Text with no right-to-left character (nearly
every book) never reaches the algorithm.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bidi import algorithm

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff"
                  "\u200f\u202b\u202e\u2067]")


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


@lru_cache(maxsize=4096)
def levels(text: str) -> tuple[int, ...]:
    """The embedding level of every character of `text` (even: left to right, odd: right to left)."""
    if not has_rtl(text):
        return (0,) * len(text)
    storage = algorithm.get_empty_storage()
    base = algorithm.get_base_level(text)
    storage["base_level"], storage["base_dir"] = base, ("L", "R")[base]
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index  # explicit formatting characters are dropped below (rule X9)
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    found = [base] * len(text)
    for char in storage["chars"]:
        found[char["index"]] = char["level"]
    return tuple(found)


def base_level(text: str) -> int:
    """1 when the paragraph's first strong character is right-to-left (rules P2, P3)."""
    return algorithm.get_base_level(text) if has_rtl(text) else 0


def display_order(piece_levels: Sequence[int]) -> list[int]:
    """Indexes of a line's pieces in display order (rule L2): reverse every run at or above each odd level."""
    order = list(range(len(piece_levels)))
    if not piece_levels or max(piece_levels) == 0:
        return order
    lowest_odd = min(level for level in piece_levels if level % 2) if any(lv % 2 for lv in piece_levels) else 1
    for level in range(max(piece_levels), lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if piece_levels[order[index]] >= level:
                end = index
                while end < len(order) and piece_levels[order[end]] >= level:
                    end += 1
                order[index:end] = order[index:end][::-1]
                index = end
            else:
                index += 1
    return order
