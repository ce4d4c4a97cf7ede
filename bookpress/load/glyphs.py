"""The manuscript's printed text + its fonts -> an error, at its line and column, for every character no font has.

A character that neither the style's fonts nor any font of the fallback order can
draw would print as a box (or not at all): it is refused here, where the author wrote
it, naming the character and its code point. Only values that are printed are read
(titles, text, captions, credits, the book's own words), not file names or settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from ..fonts.catalog import FontBook, FontError, describe, needs_no_glyph
from ..model import Manuscript
from .loader import Loader

PRINTED = {"title", "subtitle", "author", "publisher", "copyright", "dedication", "edition", "back_text", "text",
           "heading", "quote", "source", "caption", "credit"}
MAX_PER_VALUE = 3  # a whole paragraph in an unknown script is a few errors, not hundreds


def _printed(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every printed string in a YAML document."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _printed(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _printed(value, path + (index,))
    elif isinstance(data, str) and path:
        last = next((p for p in reversed(path) if isinstance(p, str)), "")
        if last in PRINTED or (len(path) == 2 and path[0] == "words"):
            yield path, data


def check_glyphs(loader: Loader, fonts: FontBook, manuscript: Manuscript) -> None:
    style = manuscript.style
    try:
        faces = {fonts.face(s.font, s.variant) for s in (style.body, style.caption, style.heading, style.title,
                                                          style.subheading, style.photoset, style.chapter_label)}
    except FontError:
        return  # a font that cannot be read is reported where it was named
    primary = fonts.face(style.body.font, "regular")
    known: dict[str, bool] = {}

    def drawable(char: str) -> bool:
        if char not in known:
            known[char] = any(fonts.covers(face, char) for face in faces) or \
                fonts.font_for(char, primary) is not None
        return known[char]

    for path, file, data, smap in loader.documents:
        for where, text in _printed(data):
            missing = [char for char in dict.fromkeys(text) if not needs_no_glyph(char) and not drawable(char)]
            for char in missing[:MAX_PER_VALUE]:
                line, column = _position(path, smap.value_at(where), text, char)
                loader.error_at(file, (line, column), f"no font has the character '{char}' ({describe(char)})",
                                "add a TrueType font that has it to the manuscript's fonts/ folder (style.fallback "
                                "says where else bookpress looks), or remove the character")


def _position(path: Path, start: tuple[int, int], text: str, char: str) -> tuple[int, int]:
    """Where `char` is written: its first appearance from the value's start (the value's start if escaped)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return start
    line, column = start
    for number in range(max(line, 1), len(lines) + 1):
        found = lines[number - 1].find(char, column - 1 if number == line else 0)
        if found >= 0:
            return number, found + 1
    return start
