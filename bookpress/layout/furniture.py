"""Values the book's own words are filled with, written as its language writes them (Babel's locale data):
lists of names ("A, B und C"), dates ("März 2026", "2026年3月"), the trim size, and the fonts a book used.

Babel's modules and locale data take some 35 ms to load, more than the rest of a rebuild's front and
back matter: with a memo (the layout's paragraph memo, kept between builds), each answer is asked of
Babel once, and a rebuild that asks what the last one asked never loads it.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from ..book import PlacedText
from .context import LayoutContext

if TYPE_CHECKING:
    from babel import Locale

    from .paragraphs import ParagraphMemo

MM = 72 / 25.4


@lru_cache(maxsize=64)
def locale(language: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(language.replace("-", "_").split("_")[0])
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en")


def _asked(memo: Optional[ParagraphMemo], question: tuple, answer: Callable[[], str]) -> str:
    if memo is None:
        return answer()
    from babel import __version__  # new locale data may answer otherwise

    return memo.phrase(("locale", __version__) + question, answer)


def join_names(names: list[str], language: str, memo: Optional[ParagraphMemo] = None) -> str:
    if not names:
        return ""

    def answer() -> str:
        from babel.lists import format_list

        return format_list(names, locale=locale(language))

    return _asked(memo, ("list", language, tuple(names)), answer)


def long_date(iso: str, language: str, memo: Optional[ParagraphMemo] = None) -> str:
    """'2026-03' -> 'March 2026' / 'März 2026'; '2026-03-15' -> '15 March 2026'; a bare year stays a year."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return str(parts[0])

    def answer() -> str:
        from babel.dates import format_skeleton

        day = datetime.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
        return format_skeleton("yMMMMd" if len(parts) > 2 else "yMMMM", day, locale=locale(language))

    return _asked(memo, ("date", language, iso), answer)


def trim_size(width: float, height: float, language: str, memo: Optional[ParagraphMemo] = None) -> str:
    """The trim as the reader's country measures paper: inches in American English, millimetres elsewhere."""

    def answer() -> str:
        place = locale(language)
        if place.territory in (None, "US") and place.language == "en":
            size = f"{width / 72:.4g} × {height / 72:.4g} in"
        else:
            size = f"{width / MM:.0f} × {height / MM:.0f} mm"
        return size.replace(" ", "\u00a0")  # never broken across lines

    return _asked(memo, ("trim", language, width, height), answer)


def fonts_in(drafts) -> dict[str, None]:
    """The fonts the text of these pages is set in, in order of first use (a dict used as an ordered set)."""
    # A long book has few fonts and some hundred thousand fragments, walked in one comprehension (the loop
    # it replaces took a sixth of a 400,000-word rebuild's front and back matter).
    return dict.fromkeys(fragment.font for draft in drafts for item in draft.items if isinstance(item, PlacedText)
                         for fragment in item.fragments)


def families_used(ctx: LayoutContext, fonts: Iterable[dict[str, None]], first: list[str], then: list[str]
                  ) -> list[str]:
    """`first`, the families of `fonts` (each pages' fonts_in, in page order; fallback fonts included),
    then `then`."""
    seen: dict[str, None] = dict.fromkeys(first)
    for font in (font for group in fonts for font in group):
        seen.setdefault(ctx.fonts.family_of(font), None)
    for family in then:
        seen.setdefault(family, None)
    return list(seen)
