"""A chapter's paragraphs as its last layout set them, recalled by what set them: an edit sets one paragraph again.

When a chapter has to be laid out again (a word of it changed), nearly all of its paragraphs
are what they were: the same text, style, width and indent, in the same fonts and by the same
code. Setting one (shaping, hyphenation, total-fit breaking) is most of a chapter's layout, so
the lines each paragraph was set in are kept with the chapter (one record per chapter number,
holding exactly the paragraphs its last fresh layout set) and read back instead, for any
paragraph whose every input is the same. Pages are still filled afresh: where a paragraph
falls depends on what came before it, its lines do not.

The key of a paragraph is a hash of all its inputs besides the font book, and the record's
key carries what every chapter shares (the fonts' bytes, bookpress's code): a changed font or
rule of line breaking never meets lines set by the old one. Lines set in a system font are not
kept (it may be gone next time), as in chapter records, nor a paragraph with a character no
font had or one another family set: fonts installed on the machine may have changed that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..book import Fragment, Glyph
from .records import canonical, hash_of
from .text.lines import Line


@dataclass(frozen=True)
class SetText:
    """A paragraph set: its lines, and what setting it found."""

    lines: tuple[Line, ...]
    missing: tuple[str, ...]  # characters no font has (left out of the lines)
    faces: frozenset[str]  # the faces of the family the text asked for
    borrowed: tuple[tuple[str, str], ...] = ()  # (fallback family, the characters set in it)


Setter = Callable[..., SetText]  # context's paragraph setter: (fonts, *inputs) -> SetText


class ParagraphMemo:
    """The paragraphs one chapter's last layout set (`earlier`, a record or None) and those this one sets."""

    def __init__(self, fonts, earlier: Any) -> None:
        self.fonts = fonts
        self.earlier, self._words = _entries(earlier)
        self.now: dict[str, SetText] = {}
        self._checked: dict[tuple, bool] = {}
        self.recalled = 0  # paragraphs read back from the record
        self.set_afresh = 0  # and set (shaped, broken) again

    def set_text(self, set_text: Setter, inputs: tuple) -> SetText:
        """What `set_text(fonts, *inputs)` returns, from the record when it holds these inputs."""
        try:
            key = hash_of(canonical(list(inputs)))
        except TypeError:
            return set_text(self.fonts, *inputs)
        result = self.now.get(key)
        if result is None and key in self.earlier:
            result = self._decoded(self.earlier[key])
            if result is not None:
                self.recalled += 1
        if result is None:
            result = set_text(self.fonts, *inputs)
            self.set_afresh += 1
        self.now[key] = result
        return result

    def record(self) -> dict:
        """The paragraphs this layout set, as plain data: each distinct word (font, size, glyphs) once."""
        words: dict[tuple, int] = {}  # a fragment's word -> its row in `table`
        table: list[list] = []
        paragraphs = {}
        for key, result in self.now.items():
            if result.missing or result.borrowed:
                # What no font had, or what another family set, depends on the fonts found on this machine
                # too (fontconfig's), which the key does not cover: set afresh next time.
                continue
            lines = self._lines(result, words, table)
            if lines is not None:
                paragraphs[key] = [lines, list(result.missing), sorted(result.faces),
                                   [list(b) for b in result.borrowed]]
        return {"words": table, "paragraphs": paragraphs}

    def _lines(self, result: SetText, words: dict[tuple, int], table: list[list]) -> Optional[list]:
        """A paragraph's lines as [[x, word row], ...] rows, adding its new words to `table`; None when a
        fragment is set in a system font (it may be gone next time: the paragraph is not kept)."""
        lines = []
        for line in result.lines:
            fragments = []
            for f in line.fragments:
                word = (f.text, f.font, f.size, f.width, f.link, f.tracking, id(f.glyphs))
                if word not in words:
                    face = self.fonts.registered(f.font)
                    if face is None or face.origin == "system":
                        return None
                    words[word] = len(table)
                    table.append([f.text, f.font, face.family, face.style, f.size, f.width, f.link,
                                  [list(g) for g in f.glyphs], f.tracking])
                fragments.append([f.x, words[word]])
            lines.append([fragments, line.width, line.hyphenated, line.last])
        return lines

    def _decoded(self, kept: list) -> Optional[SetText]:
        """The kept result, or None when it no longer fits this book's fonts (or is not one of ours)."""
        try:
            lines, missing, faces, borrowed = kept
            set_lines = []
            for fragments, width, hyphenated, last in lines:
                made = []
                for x, index in fragments:
                    word = self._word(index)
                    if word is None:
                        return None
                    made.append(fragment_of(x, word))
                set_lines.append(Line(tuple(made), width, hyphenated, last))
            return SetText(tuple(set_lines), tuple(map(str, missing)), frozenset(map(str, faces)),
                           tuple((str(a), str(b)) for a, b in borrowed))
        except (TypeError, ValueError, IndexError):  # a record of the right key and the wrong shape: set afresh
            return None

    def _word(self, index: int) -> Optional[dict]:
        """A word of the record's table as a Fragment's fields (its glyphs one tuple, shared by its uses)."""
        word = self._words[index]
        if isinstance(word, list):
            text, font, family, style, size, width, link, glyphs, tracking = word
            if not self._face_is(font, family, style):
                return None
            word = self._words[index] = {"text": str(text), "font": str(font), "size": size, "width": width,
                                         "link": link, "glyphs": tuple(map(Glyph._make, glyphs)),
                                         "tracking": tracking}
        return word

    def _face_is(self, name: str, family: str, style: str) -> bool:
        known = self._checked.get((name, family, style))
        if known is None:
            known = self._checked[(name, family, style)] = self.fonts.face(family, style) == name
        return known


def _entries(record: Any) -> tuple[dict, list]:
    if not isinstance(record, dict):
        return {}, []
    paragraphs, words = record.get("paragraphs"), record.get("words")
    if not isinstance(paragraphs, dict) or not isinstance(words, list):
        return {}, []
    return paragraphs, list(words)


def fragment_of(x: float, word: dict) -> Fragment:
    """Fragment(x, **word), made without the frozen dataclass's field-by-field __init__ (a long book has
    hundreds of thousands; the record was written from Fragments, so its fields are complete)."""
    fragment = object.__new__(Fragment)
    fragment.__dict__.update(word, x=x)
    return fragment
