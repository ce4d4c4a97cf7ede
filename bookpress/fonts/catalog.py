"""Font folders -> a FontBook: families and faces, per-character fallback, shaped measurement.

Layout and render share one FontBook (and the shaping cache behind it) so that what was
measured is what is drawn. Fonts are TrueType only (reportlab embeds and subsets them);
base-14 fonts are never used, because they are not embedded and printers reject them.

A face a family lacks is never taken from another family: `face()` gives the family's
nearest face and `has_face()` tells the caller to warn. A character the chosen font
lacks is set in the first font of the fallback order that has it: the manuscript's
fonts, bookpress's own, then the system's (fontconfig), unless the style says otherwise.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFNameBytes

from .. import DATA
from . import shaping, system
from .facecache import parsed_face
from .names import FontNames, read_names
from .pdffont import GlyphFont

STYLES = ("regular", "italic", "bold", "bolditalic")
# The faces that may stand in, within one family, for a face it does not have.
NEAREST = {"regular": ("regular",), "italic": ("italic", "regular"), "bold": ("bold", "regular"),
           "bolditalic": ("bolditalic", "bold", "italic", "regular")}
ORIGINS = ("manuscript", "bookpress", "system")
# bookpress's own families, in the order they are tried for a missing character.
BUNDLED_ORDER = ("Gentium Book Plus", "EB Garamond", "Charis SIL", "Lato", "Droid Sans Fallback")


class FontError(Exception):
    """A font file or family that cannot be used; the message names it."""


@dataclass(frozen=True)
class FontFace:
    family: str
    style: str
    name: str  # the name registered with reportlab, e.g. "EBGaramond12-Regular"
    path: Path
    index: int = 0  # the face's number in a font collection (.ttc)
    origin: str = "bookpress"  # manuscript | bookpress | system


def _style_of(style_name: str) -> str | None:
    lowered = style_name.lower().replace("-", " ")
    bold = "bold" in lowered
    italic = "italic" in lowered or "oblique" in lowered
    if bold and italic:
        return "bolditalic"
    if bold:
        return "bold"
    if italic:
        return "italic"
    if lowered in ("regular", "roman", "book", "normal", "plain"):
        return "regular"
    return None


def _family_aliases(family: str) -> list[str]:
    """'EB Garamond 12' is also known as 'EB Garamond': authors write the latter."""
    aliases = [family]
    trimmed = re.sub(r"\s+\d+$", "", family)
    if trimmed != family:
        aliases.append(trimmed)
    return aliases


@lru_cache(maxsize=256)
def _parsed(path: Path, index: int, stamp: tuple[int, int]) -> GlyphFont:
    """One parse per font file and process (`stamp` = size and mtime, so an edited file is read again)."""
    try:
        return GlyphFont(path.stem, str(path), index, face=parsed_face(path, index, *stamp))
    except (TTFError, OSError, ValueError, struct.error, IndexError, KeyError, AssertionError) as exc:
        raise FontError(f"{path}: not a usable TrueType font ({exc})") from exc


_OWNERS: dict[str, tuple[Path, int]] = {}  # registered name -> the file it was registered from


def _register(path: Path, index: int = 0, name: str | None = None) -> GlyphFont:
    """Parse and register the font (once), under `name` or its own PostScript name.

    Two files with one PostScript name (a manuscript's own copy of a bundled font) are
    both usable: the second is registered under its name and a digest of its path.
    """
    stat = path.stat()
    font = _parsed(path, index, (stat.st_size, stat.st_mtime_ns))
    wanted = name or _text(font.face.name)
    owner = _OWNERS.setdefault(wanted, (path, index))
    if owner != (path, index):
        wanted = f"{wanted}-{hashlib.blake2s(f'{path}:{index}'.encode(), digest_size=4).hexdigest()}"
        _OWNERS.setdefault(wanted, (path, index))
        # reportlab keeps one font per PostScript name: registered under its own, this file would be
        # drawn with the first one's tables (the bundled copy) while HarfBuzz measured this one.
        font.face.name = TTFNameBytes(wanted.encode("utf8"))
    font.fontName = wanted
    if wanted not in pdfmetrics.getRegisteredFontNames():
        hb_font = _hb(path, index)
        font.advance = hb_font.advance
        pdfmetrics.registerFont(font)
        shaping.register(wanted, hb_font)
    return font


@lru_cache(maxsize=512)
def _hb(path: Path, index: int = 0) -> shaping.HbFont:
    return shaping.HbFont(path, index)


@lru_cache(maxsize=512)
def _coverage(path: Path, index: int = 0) -> frozenset[int]:
    return frozenset(_hb(path, index).face.unicodes)


@lru_cache(maxsize=256)
def _names(path: Path, stamp: tuple[int, int]) -> FontNames:
    """(family, style, PostScript name) from the name table; a font this cannot read is parsed in full."""
    names = read_names(path)
    if names is None:
        font = _register(path)
        names = FontNames(_text(font.face.familyName), _text(font.face.styleName), font.fontName)
    return names


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def needs_no_glyph(char: str) -> bool:
    """Spaces and invisible format characters (joiners, soft hyphens, direction marks) are never drawn."""
    return char.isspace() or unicodedata.category(char) in ("Cf", "Cc") or 0xFE00 <= ord(char) <= 0xFE0F \
        or 0xE0100 <= ord(char) <= 0xE01EF


def describe(char: str) -> str:
    """'U+13000 EGYPTIAN HIEROGLYPH A001'."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


@dataclass(eq=False)  # hashed by identity: layout caches measurements per FontBook
class FontBook:
    faces: dict[tuple[str, str], FontFace] = field(default_factory=dict)
    order: tuple[str, ...] = ORIGINS  # the fallback order: origins and family names
    _registered: dict[str, FontFace] = field(default_factory=dict)  # names face() has made usable
    _by_file: dict[tuple[Path, int], str] = field(default_factory=dict)
    _system: dict[tuple[str, str], FontFace] = field(default_factory=dict)
    _fallbacks: dict[tuple[str, str, str], str | None] = field(default_factory=dict)
    _covered: dict[str, frozenset[int]] = field(default_factory=dict)  # registered name -> its code points
    _by_family: dict[str, dict[str, FontFace]] = field(default_factory=dict)  # asked for often: kept
    _members: dict[tuple[str, str], bool] = field(default_factory=dict)
    memo: dict = field(default_factory=dict)  # what layout keeps per FontBook (a word's measured items)
    _runs: dict[tuple[str, str, str], tuple[tuple[str | None, str], ...]] = field(default_factory=dict)

    def add_folder(self, folder: Path, origin: str = "bookpress") -> None:
        """Register every TrueType font in `folder`; later folders override earlier ones."""
        self._by_family.clear()
        self._members.clear()
        self.memo.clear()
        for path in sorted(folder.glob("*.ttf")) + sorted(folder.glob("*.TTF")):
            path = path.resolve()  # one file reached by two paths (a symbolic link) is one font
            stat = path.stat()
            # Only the names now: a face is parsed when layout first asks for it (see face()).
            family, style_name, name = _names(path, (stat.st_size, stat.st_mtime_ns))
            style = _style_of(style_name)
            if style is None:
                # "Light", "AllSC": a family of its own, e.g. "Lato Light".
                family, style = f"{family} {style_name}".strip(), "regular"
            for alias in _family_aliases(family):
                self.faces[(alias.lower(), style)] = FontFace(alias, style, name, path, 0, origin)

    # -- families and faces ----------------------------------------------------------------
    @property
    def families(self) -> list[str]:
        return sorted({face.family for face in self.faces.values()})

    def _family_faces(self, family: str) -> dict[str, FontFace]:
        key = family.lower()
        if key in self._by_family:
            return self._by_family[key]
        found = {style: face for (fam, style), face in self.faces.items() if fam == key}
        if not found:
            found = {style: face for (fam, style), face in self._system.items() if fam == key}
        if not found:
            for sys_face in system.family_faces(family):
                style = _style_of(sys_face.style)
                if style is not None and (key, style) not in self._system:
                    self._system[(key, style)] = FontFace(sys_face.family, style, _system_name(sys_face),
                                                          sys_face.path, sys_face.index, "system")
            found = {style: face for (fam, style), face in self._system.items() if fam == key}
        self._by_family[key] = found
        return found

    def has_family(self, family: str) -> bool:
        return bool(self._family_faces(family))

    def has_face(self, family: str, style: str) -> bool:
        """Whether the family has this very face (a bold that is bold, not its regular)."""
        return style in self._family_faces(family)

    def face(self, family: str, style: str = "regular") -> str:
        """The registered font name for a family and style; a missing face falls back within the family."""
        faces = self._family_faces(family)
        for candidate in NEAREST.get(style, ("regular",)) + STYLES:
            face = faces.get(candidate)
            if face:
                return self._use(face)
        raise FontError(f"font family '{family}' is not available; known families: {', '.join(self.families)}")

    def _use(self, face: FontFace) -> str:
        """Register the face with reportlab and HarfBuzz (once) and give the name it is known by."""
        key = (face.path, face.index)
        name = self._by_file.get(key)
        if name is None:
            name = self._by_file[key] = _register(face.path, face.index, face.name).fontName
            self._registered[name] = face
            self._covered[name] = _coverage(face.path, face.index)
        return name

    def registered(self, name: str) -> FontFace | None:
        """The face registered under `name` (None if no such name was made usable)."""
        return self._registered.get(name)

    def family_of(self, name: str) -> str:
        face = self._registered.get(name)
        return face.family if face else name

    def in_family(self, name: str, family: str) -> bool:
        """Whether the registered font `name` is one of `family`'s faces (under any of its names)."""
        key = (name, family)
        if key not in self._members:
            face = self._registered.get(name)
            self._members[key] = face is not None and any(f.path == face.path
                                                          for f in self._family_faces(family).values())
        return self._members[key]

    def origin_of(self, name: str) -> str:
        face = self._registered.get(name)
        return face.origin if face else "bookpress"

    def small_caps(self, family: str, style: str, font: str) -> tuple[str, tuple[str, ...]] | None:
        """How acronyms are set in small capitals in this face: its `c2sc` feature, or the family's
        small-capitals face (EB Garamond's "All SC"); None when the family has neither."""
        if shaping.has_feature(font, "c2sc"):
            return font, ("c2sc",)
        base = self.family_of(font).lower()
        for candidate in self.families:
            words = candidate.lower().split()
            if candidate.lower().startswith(base) and ("sc" in words or "allsc" in words or "caps" in words):
                return self.face(candidate, "regular"), ()
        return None

    # -- coverage and fallback -------------------------------------------------------------
    def covers(self, name: str, char: str) -> bool:
        covered = self._covered.get(name)
        if covered is None:
            covered = self._covered[name] = frozenset(shaping.hb_font(name).face.unicodes)
        return ord(char) in covered

    def covers_all(self, name: str, text: str) -> bool:
        """Whether `name` has every character of `text` (the common case, asked for every word)."""
        covered = self._covered.get(name)
        if covered is None:
            covered = self._covered[name] = frozenset(shaping.hb_font(name).face.unicodes)
        return covered.issuperset(map(ord, text))

    def font_for(self, char: str, primary: str, style: str = "regular") -> str | None:
        """The font a character is set in: `primary` if it has it, else the first in the fallback order."""
        if self.covers(primary, char):
            return primary
        key = (primary, style, char)
        if key not in self._fallbacks:
            self._fallbacks[key] = self._fallback(char, style)
        return self._fallbacks[key]

    def _fallback(self, char: str, style: str) -> str | None:
        for entry in self.order:
            for faces in self._candidates(entry, char):
                face = next((faces[s] for s in NEAREST.get(style, ("regular",)) + STYLES if s in faces), None)
                if face is not None and ord(char) in _coverage(face.path, face.index):
                    try:
                        return self._use(face)
                    except FontError:
                        continue  # a font reportlab cannot read: the next may do
        return None

    def _candidates(self, entry: str, char: str):
        """Each family the fallback order's `entry` stands for, as {style: face}."""
        if entry in ("manuscript", "bookpress"):
            names = sorted({f.family for f in self.faces.values() if f.origin == entry},
                           key=lambda fam: (BUNDLED_ORDER.index(fam) if fam in BUNDLED_ORDER else len(BUNDLED_ORDER),
                                            fam))
            for family in names:
                yield self._family_faces(family)
        elif entry == "system":
            for sys_face in system.faces_with(char):
                style = _style_of(sys_face.style) or "regular"
                yield {style: FontFace(sys_face.family, style, _system_name(sys_face), sys_face.path,
                                       sys_face.index, "system")}
        else:
            yield self._family_faces(entry)

    def runs(self, text: str, primary: str, style: str = "regular") -> list[tuple[str | None, str]]:
        """`text` cut where the font changes: (font name, or None where no font has the character, text)."""
        if self.covers_all(primary, text):
            return [(primary, text)]  # nearly every word of a book
        key = (text, primary, style)
        if key not in self._runs:
            self._runs[key] = tuple(self._cut(text, primary, style))
        return list(self._runs[key])

    def _cut(self, text: str, primary: str, style: str) -> list[tuple[str | None, str]]:
        runs: list[tuple[str | None, str]] = []
        current: str | None = primary
        for char in text:
            if needs_no_glyph(char) or (unicodedata.combining(char) and current and self.covers(current, char)):
                font = current if current is not None else primary
            elif current not in (None, primary) and not self.covers(primary, char) and self.covers(current, char):
                font = current  # stay in the fallback font through a run of its script
            else:
                font = self.font_for(char, primary, style)
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
            current = font
        return runs

    # -- measurement -----------------------------------------------------------------------
    @staticmethod
    def width(text: str, font: str, size: float, features: shaping.Features = ()) -> float:
        """The shaped width of `text` in one font (kerning and ligatures included)."""
        return shaping.shape(font, text, features).advance * size

    @staticmethod
    def ascent(font: str, size: float) -> float:
        return pdfmetrics.getFont(font).face.ascent * size / 1000.0

    @staticmethod
    def descent(font: str, size: float) -> float:
        """Positive distance below the baseline."""
        return -pdfmetrics.getFont(font).face.descent * size / 1000.0

    @staticmethod
    def cap_height(font: str, size: float) -> float:
        face = pdfmetrics.getFont(font).face
        return getattr(face, "capHeight", face.ascent * 0.7) * size / 1000.0


def _system_name(face: system.SystemFace) -> str:
    digest = hashlib.blake2s(f"{face.path}:{face.index}".encode(), digest_size=4).hexdigest()
    return f"{re.sub(r'[^A-Za-z0-9]+', '', face.family)}-{re.sub(r'[^A-Za-z0-9]+', '', face.style)}-{digest}"


BUNDLED_FONTS = DATA / "fonts"


def load_fonts(extra_folders: list[Path] = (), order: tuple[str, ...] = ORIGINS) -> FontBook:
    """The bundled fonts, then each extra folder (a manuscript's own fonts/) on top."""
    book = FontBook(order=tuple(order))
    book.add_folder(BUNDLED_FONTS, "bookpress")
    for folder in extra_folders:
        if folder.is_dir():
            book.add_folder(folder, "manuscript")
    return book
