"""Text + a font -> shaped glyphs (HarfBuzz): kerning, ligatures, small capitals, joined scripts.

Layout and render ask for the same shaping, so what was measured is what is drawn.
Shaping does not depend on the size (no hinting), so a run is shaped once, in ems,
and kept: a book shapes the same words thousands of times.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb

from ..book import Glyph

# Features are written as OpenType tags; a leading "-" turns a default one off ("-liga").
Features = tuple[str, ...]


@dataclass(frozen=True)
class Shaped:
    glyphs: tuple[Glyph, ...]  # in visual order
    advance: float  # ems, the sum of the glyphs' advances
    missing: tuple[str, ...] = ()  # characters the font drew as .notdef (never drawn: see fallback)
    clusters: tuple[int, ...] = ()  # for each glyph, the offset in the text of the cluster it belongs to

    def advance_of(self, start: int, end: int) -> float:
        """Ems of the glyphs that belong to text[start:end] (a syllable's share of a shaped word)."""
        return sum(g.advance for g, c in zip(self.glyphs, self.clusters) if start <= c < end)


class HbFont:
    """One font file's HarfBuzz font, and what it covers."""

    def __init__(self, path: Path, index: int = 0) -> None:
        self.face = hb.Face(hb.Blob.from_file_path(str(path)), index)
        self.font = hb.Font(self.face)
        self.upem = self.face.upem
        self._tags: frozenset[str] | None = None

    def has(self, char: str) -> bool:
        return self.font.get_nominal_glyph(ord(char)) is not None

    def advance(self, gid: int) -> int:
        return self.font.get_glyph_h_advance(gid)

    def feature_tags(self) -> frozenset[str]:
        """Every GSUB and GPOS feature the font defines, under any script and language."""
        if self._tags is None:
            tags: set[str] = set()
            for table in ("GSUB", "GPOS"):
                for script, _ in enumerate(self.face.get_table_script_tags(table)):
                    languages = range(len(self.face.get_script_language_tags(table, script)))
                    for language in [0xFFFF, *languages]:  # 0xFFFF: the script's default language
                        tags.update(self.face.get_language_feature_tags(table, script, language))
            self._tags = frozenset(tags)
        return self._tags

    @property
    def table_tags(self) -> frozenset[str]:
        return frozenset(self.face.table_tags)

    @property
    def weight(self) -> int:
        """The OS/2 weight class (400 regular, 700 bold); 400 for a font that does not say."""
        table = bytes(self.face.reference_table("OS/2").data)
        return int.from_bytes(table[4:6], "big") if len(table) >= 6 else 400


_FONTS: dict[str, HbFont] = {}  # registered font name -> its HarfBuzz font


def register(name: str, font: HbFont) -> None:
    _FONTS[name] = font


def hb_font(name: str) -> HbFont:
    return _FONTS[name]


def weight_of(name: str) -> int:
    return hb_font(name).weight


def has_feature(name: str, tag: str) -> bool:
    return tag in hb_font(name).feature_tags()


def _feature_dict(features: Features) -> dict[str, bool]:
    return {tag.lstrip("-"): not tag.startswith("-") for tag in features}


@lru_cache(maxsize=131072)
def shape(name: str, text: str, features: Features = (), rtl: bool | None = None, language: str = "") -> Shaped:
    """`text` set in the registered font `name`; `rtl` None: the direction its script implies."""
    font = _FONTS[name]
    if not text:
        return Shaped((), 0.0)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS  # marks keep a cluster of their own
    buf.guess_segment_properties()
    if rtl is not None:
        buf.direction = "rtl" if rtl else "ltr"
    if language:
        buf.language = language
    hb.shape(font.font, buf, _feature_dict(features))
    scale = 1.0 / font.upem
    infos, positions = buf.glyph_infos, buf.glyph_positions
    clusters = [info.cluster for info in infos]
    texts = _glyph_texts(text, clusters)
    if buf.direction == "rtl":
        # Text extractors reverse a right-to-left line character by character, a ligature's
        # characters too: written backwards here, a lam-alef reads as lam-alef again.
        texts = [piece[::-1] for piece in texts]
    glyphs, missing = [], []
    for info, pos, piece in zip(infos, positions, texts):
        if info.codepoint == 0 and piece.strip():
            missing.append(piece)
        glyphs.append(Glyph(info.codepoint, pos.x_advance * scale, pos.x_offset * scale, pos.y_offset * scale, piece))
    return Shaped(tuple(glyphs), sum(g.advance for g in glyphs), tuple(missing), tuple(clusters))


def _glyph_texts(text: str, clusters: list[int]) -> list[str]:
    """The characters each glyph stands for: a cluster's text is shared out among its glyphs.

    A ligature takes all of its cluster; a character drawn as several glyphs (a letter and a
    mark the font has no composed form of) gives its decomposed parts to them in turn.
    """
    bounds = sorted(set(clusters)) + [len(text)]
    spans = {start: text[start:end] for start, end in zip(bounds, bounds[1:])}
    count: dict[int, int] = {}
    for cluster in clusters:
        count[cluster] = count.get(cluster, 0) + 1
    seen: dict[int, int] = {}
    texts = []
    for cluster in clusters:
        piece, total = spans[cluster], count[cluster]
        index = seen[cluster] = seen.get(cluster, -1) + 1
        if total == 1:
            texts.append(piece)
            continue
        parts = list(piece) if len(piece) >= total else list(unicodedata.normalize("NFD", piece))
        if len(parts) < total:
            texts.append(piece if index == 0 else "")
        elif index < total - 1:
            texts.append(parts[index])
        else:
            texts.append("".join(parts[index:]))
    return texts
