"""Font folders -> a FontBook: families registered with reportlab, and text measurement.

Layout and render share one FontBook so that what was measured is what is drawn.
Fonts are TrueType only (reportlab embeds and subsets them); base-14 fonts are never
used, because they are not embedded and printers reject them.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from .. import DATA
from .names import FontNames, read_names

STYLES = ("regular", "italic", "bold", "bolditalic")

# When a family lacks a face (EB Garamond has no bold here), this family lends it.
FALLBACK_FAMILY = "Charis SIL"


class FontError(Exception):
    """A font file or family that cannot be used; the message names it."""


@dataclass(frozen=True)
class FontFace:
    family: str
    style: str
    name: str  # the name registered with reportlab, e.g. "EBGaramond12-Regular"
    path: Path


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
def _parsed(path: Path, stamp: tuple[int, int]) -> TTFont:
    """One parse per font file and process (`stamp` = size and mtime, so an edited file is read again)."""
    try:
        return TTFont(path.stem, str(path))
    except (TTFError, OSError, ValueError, struct.error, IndexError, KeyError) as exc:
        raise FontError(f"{path}: not a usable TrueType font ({exc})") from exc


def _register(path: Path, name: str | None = None) -> TTFont:
    """Parse and register the font (once), under `name` or its own PostScript name."""
    stat = path.stat()
    font = _parsed(path, (stat.st_size, stat.st_mtime_ns))
    font.fontName = name or _text(font.face.name)
    if font.fontName not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(font)
    return font


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


@dataclass(eq=False)  # hashed by identity: layout caches measurements per FontBook
class FontBook:
    faces: dict[tuple[str, str], FontFace] = field(default_factory=dict)
    _registered: set[str] = field(default_factory=set)  # names face() has made usable with reportlab

    def add_folder(self, folder: Path) -> None:
        """Register every TrueType font in `folder`; later folders override earlier ones."""
        for path in sorted(folder.glob("*.ttf")) + sorted(folder.glob("*.TTF")):
            stat = path.stat()
            # Only the names now: a face is parsed when layout first asks for it (see face()).
            family, style_name, name = _names(path, (stat.st_size, stat.st_mtime_ns))
            style = _style_of(style_name)
            if style is None:
                # "Light", "AllSC": a family of its own, e.g. "Lato Light".
                family, style = f"{family} {style_name}".strip(), "regular"
            for alias in _family_aliases(family):
                self.faces[(alias.lower(), style)] = FontFace(alias, style, name, path)

    @property
    def families(self) -> list[str]:
        return sorted({face.family for face in self.faces.values()})

    def face(self, family: str, style: str = "regular") -> str:
        """The registered font name for a family and style, borrowing missing faces."""
        for candidate in ((family, style), (FALLBACK_FAMILY, style), (family, "regular")):
            face = self.faces.get((candidate[0].lower(), candidate[1]))
            if face:
                if face.name not in self._registered:
                    _register(face.path, face.name)
                    self._registered.add(face.name)
                return face.name
        raise FontError(f"font family '{family}' is not available; known families: {', '.join(self.families)}")

    @staticmethod
    def width(text: str, font: str, size: float) -> float:
        return pdfmetrics.stringWidth(text, font, size)

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


BUNDLED_FONTS = DATA / "fonts"


def load_fonts(extra_folders: list[Path] = ()) -> FontBook:
    """The bundled fonts, then each extra folder (a manuscript's own fonts/) on top."""
    book = FontBook()
    book.add_folder(BUNDLED_FONTS)
    for folder in extra_folders:
        if folder.is_dir():
            book.add_folder(folder)
    return book
