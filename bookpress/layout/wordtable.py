"""Laid-out words <-> plain data for the layout records: each distinct word once, each use of it by its row.

A long chapter sets some hundred thousand fragments but only a few thousand distinct words (the
same text in the same font, size and width, with the same shaped glyphs). A record lists those
words once, in a table, and each fragment as [x, row]; the fonts are listed by the family and
face that register them again, and a system font is refused (it may be gone next time), so a
record never names a font the next build cannot find. The chapter records (recall.py) and the
paragraph records (paragraphs.py) share this table.
"""

from __future__ import annotations

from typing import Any

from ..book import Fragment, Glyph


class WordTable:
    """The words (and their fonts) of the fragments encoded so far, in the order first met."""

    def __init__(self, fonts) -> None:
        self.fonts = fonts
        self._fonts: dict[str, tuple[int, list]] = {}  # font name -> (row, [name, family, style])
        # word -> (row, its glyphs, encoded): the glyphs are held so that their id, part of the key, stays theirs
        self._words: dict[tuple, tuple[int, tuple, list]] = {}

    def fragment(self, f: Fragment) -> list:
        """[x, word row]; ValueError for a fragment set in a system font."""
        key = (f.text, f.font, f.size, f.width, f.link, id(f.glyphs), f.tracking)
        found = self._words.get(key)
        if found is None:
            encoded = [f.text, self._font(f.font), f.size, f.width, f.link, [list(g) for g in f.glyphs], f.tracking]
            found = self._words[key] = (len(self._words), f.glyphs, encoded)
        return [f.x, found[0]]

    def _font(self, name: str) -> int:
        found = self._fonts.get(name)
        if found is None:
            face = self.fonts.registered(name)
            if face is None or face.origin == "system":
                raise ValueError(f"font {name} is not one of the book's own")
            found = self._fonts[name] = (len(self._fonts), [name, face.family, face.style])
        return found[0]

    def tables(self) -> dict[str, list]:
        """{"fonts": [[name, family, style], ...], "words": [[text, font row, size, width, link, glyphs,
        tracking], ...]}, rows in the order the fragments named them."""
        return {"fonts": [encoded for _, encoded in self._fonts.values()],
                "words": [encoded for _, _, encoded in self._words.values()]}


def faces_of(record: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(font name, family, style) of every font a record's words are set in."""
    return [(str(name), str(family), str(style)) for name, family, style in record["fonts"]]


def words_of(record: dict[str, Any]) -> list[dict]:
    """The record's words as Fragment fields (all but x), each word's glyphs one tuple shared by its uses."""
    fonts = [name for name, _, _ in faces_of(record)]
    return [{"text": str(text), "font": fonts[font], "size": size, "width": width, "link": link,
             "glyphs": tuple(map(Glyph._make, glyphs)), "tracking": tracking}
            for text, font, size, width, link, glyphs, tracking in record["words"]]


def fragment_of(x: float, word: dict) -> Fragment:
    """Fragment(x, **word), made without the frozen dataclass's field-by-field __init__ (a long book has
    hundreds of thousands; the record was written from Fragments, so its fields are complete)."""
    fragment = object.__new__(Fragment)
    fragment.__dict__.update(word, x=x)
    return fragment
