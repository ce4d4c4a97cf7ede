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


def check_glyphs(loader: Loader, fonts: FontBook, manuscript: Manuscript) -> frozenset[str]:
    """Report every character of the printed text that no font has; return them (layout leaves them out)."""
    style = manuscript.style
    try:
        faces = {fonts.face(s.font, s.variant) for s in (style.body, style.caption, style.heading, style.title,
                                                          style.subheading, style.photoset, style.chapter_label)}
    except FontError:
        return frozenset()  # a font that cannot be read is reported where it was named
    primary = fonts.face(style.body.font, "regular")

    def drawable(char: str) -> bool:
        return any(fonts.covers(face, char) for face in faces) or fonts.font_for(char, primary) is not None

    values = [(path, file, smap, where, text) for path, file, data, smap in loader.documents
              for where, text in _printed(data)]
    embedded = [photo for photo in manuscript.all_photos()  # captions that come from the image file itself
                if photo.caption and photo.caption == photo.image.description]
    # Each distinct character of the whole book is looked at once; a value is searched (and a position
    # found) only for what no font has, which in most books is nothing at all.
    chars = set().union(*(text for *_, text in values), *(photo.caption for photo in embedded))
    undrawable = {char for char in chars if not needs_no_glyph(char) and not drawable(char)}
    if not undrawable:
        return frozenset()
    reported: set[str] = set()
    for path, file, smap, where, text in values:
        for char in _missing(text, undrawable)[:MAX_PER_VALUE]:
            line, column = _position(path, smap.value_at(where), char)
            _report(loader, file, (line, column), char)
            reported.add(char)
    for photo in embedded:
        for char in _missing(photo.caption, undrawable)[:MAX_PER_VALUE]:
            _report(loader, photo.source.file, (photo.source.line, photo.source.column), char,
                    f" in the caption embedded in {photo.image.path.name}")
            reported.add(char)
    return frozenset(reported)


def _missing(text: str, undrawable: set[str]) -> list[str]:
    """The characters of `text` no font has, each once, in the order they first appear."""
    return [char for char in dict.fromkeys(text) if char in undrawable]


def _report(loader: Loader, file: str, where: tuple[int, int], char: str, context: str = "") -> None:
    loader.error_at(file, where, f"no font has the character '{char}' ({describe(char)}){context}",
                    "add a TrueType font that has it to the manuscript's fonts/ folder (style.fallback says where "
                    "else bookpress looks), or remove the character")


def _position(path: Path, start: tuple[int, int], char: str) -> tuple[int, int]:
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
