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

from .records import canonical, hash_of
from .text.lines import Line
from .wordtable import WordTable, faces_of, fragment_of, words_of


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
        self.earlier, self._words = self._readable(earlier)
        self.now: dict[str, SetText] = {}
        self.recalled = 0  # paragraphs read back from the record
        self.set_afresh = 0  # and set (shaped, broken) again
        self._phrases_earlier = self._readable_phrases(earlier)
        self.phrases: dict[str, str] = {}

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

    def phrase(self, inputs: tuple, make: Callable[[], str]) -> str:
        """What `make()` returns for these inputs, from the record when the last build asked the same.

        The book's own words filled in by locale data (a list of names, a date, the trim in the reader's
        units) come from Babel, whose modules and data cost a rebuild more than setting the page they are on."""
        key = hash_of(canonical(list(inputs)))
        found = self.phrases.get(key, self._phrases_earlier.get(key))
        if found is None:
            found = make()
        self.phrases[key] = found
        return found

    def record(self) -> dict:
        """The paragraphs this layout set, as plain data: each distinct word (font, size, glyphs) once."""
        words = WordTable(self.fonts)
        paragraphs = {}
        for key, result in self.now.items():
            if result.missing or result.borrowed:
                # What no font had, or what another family set, depends on the fonts found on this machine
                # too (fontconfig's), which the key does not cover: set afresh next time.
                continue
            try:
                lines = [[[words.fragment(f) for f in line.fragments], line.width, line.hyphenated, line.last]
                         for line in result.lines]
            except ValueError:  # set in a system font, which may be gone next time: not kept
                continue
            paragraphs[key] = [lines, list(result.missing), sorted(result.faces), [list(b) for b in result.borrowed]]
        return {**words.tables(), "paragraphs": paragraphs, "phrases": self.phrases}

    @staticmethod
    def _readable_phrases(record: Any) -> dict[str, str]:
        phrases = record.get("phrases") if isinstance(record, dict) else None
        if not isinstance(phrases, dict):
            return {}
        return {key: value for key, value in phrases.items() if isinstance(key, str) and isinstance(value, str)}

    def _readable(self, record: Any) -> tuple[dict, list[dict]]:
        """The record's paragraphs and words, or none when it is not a record or names a font another way
        than this book registers it."""
        try:
            paragraphs = record["paragraphs"]
            if not isinstance(paragraphs, dict) or any(self.fonts.face(family, style) != name
                                                       for name, family, style in faces_of(record)):
                return {}, []
            return paragraphs, words_of(record)
        except (TypeError, ValueError, KeyError, IndexError):
            return {}, []

    def _decoded(self, kept: list) -> Optional[SetText]:
        """The kept result, or None when it is not one of ours."""
        try:
            lines, missing, faces, borrowed = kept
            return SetText(tuple(Line(tuple(fragment_of(x, self._words[word]) for x, word in fragments),
                                      width, hyphenated, last) for fragments, width, hyphenated, last in lines),
                           tuple(map(str, missing)), frozenset(map(str, faces)),
                           tuple((str(a), str(b)) for a, b in borrowed))
        except (TypeError, ValueError, IndexError):  # a record of the right key and the wrong shape: set afresh
            return None
