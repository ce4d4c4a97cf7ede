"""What every layout step needs: the manuscript, fonts, templates, page areas, diagnostics."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..book import Fragment, PageGeometry, PlacedText, Side
from ..diagnostics import Diagnostic, Diagnostics, Severity
from ..fonts.catalog import FontBook, describe, needs_no_glyph
from ..fonts.shaping import shape
from ..geometry import Rect
from ..load.printers import Preset
from ..load.templates import Frame, Template, TemplateSet
from ..model import Manuscript, SourceRef, TextStyle
from .paragraphs import ParagraphMemo, SetText
from .photos.flex import FlexItem, solve
from .text.inline import parse_inline
from .text.lines import Line, Typesetting, break_paragraph
from .text.smarten import base_language, smarten_spans

CAPITALISED_NOUNS = {"de", "lb"}  # languages that capitalise every noun: a capital there does not mark a name

BASELINE_RISE = 0.78  # first baseline sits this many ems below a frame's top (about the cap height)


@dataclass
class LayoutContext:
    manuscript: Manuscript
    preset: Preset  # the printer's figures: page multiple, gutter by page count
    fonts: FontBook
    templates: TemplateSet
    geometry: PageGeometry
    diag: Diagnostics
    reported: set = field(default_factory=set)  # problems already told (a missing face, once per family)
    once_log: dict | None = None  # while a chapter is recorded: id(diagnostic told once) -> its key (recall.py)
    paragraphs: ParagraphMemo | None = None  # while a chapter is recorded: its paragraphs as last set (paragraphs.py)

    @property
    def language(self) -> str:
        return self.manuscript.meta.language

    # -- areas -----------------------------------------------------------------------------
    def live(self, side: Side) -> Rect:
        m = self.geometry.margins
        trim = self.geometry.trim
        left = m.inside if side == "recto" else m.outside
        return Rect(left, m.top, trim.width - m.inside - m.outside, trim.height - m.top - m.bottom)

    def text_column(self, side: Side) -> Rect:
        """Where running text goes: the type area, or a narrower column centred in it (style.measure)."""
        live = self.live(side)
        measure = self.manuscript.style.measure
        if not measure or measure >= live.width:
            return live
        return Rect(live.x + (live.width - measure) / 2, live.y, measure, live.height)

    def trim_rect(self) -> Rect:
        return Rect(0, 0, self.geometry.trim.width, self.geometry.trim.height)

    def area(self, frame: Frame, side: Side) -> Rect:
        if frame.area == "bleed":
            return self.geometry.bleed_rect(side)
        if frame.area == "trim":
            return self.trim_rect()
        return self.live(side)

    def spread_area(self, frame: Frame) -> Rect:
        """A two-page template's area: the verso and recto side by side, verso at x = 0."""
        width, height = self.geometry.trim.width, self.geometry.trim.height
        m = self.manuscript.format.margins
        if frame.area == "bleed":
            bleed = self.geometry.bleed
            return Rect(-bleed, -bleed, 2 * width + 2 * bleed, height + 2 * bleed)
        if frame.area == "trim":
            return Rect(0, 0, 2 * width, height)
        return Rect(m.outside, m.top, 2 * width - 2 * m.outside, height - m.top - m.bottom)

    def frame_rect(self, template: Template, frame: Frame, side: Side) -> Rect:
        if frame.box is None:  # a flex frame: where it falls for 3:2 photos with two-line captions (specimens)
            return nominal_flex(template, self.live(side), self.manuscript.style.caption.leading * 2)[frame.name]
        if template.pages == 2:
            return frame.rect(self.spread_area(frame))
        return frame.rect(self.area(frame, side))

    # -- text ------------------------------------------------------------------------------
    def set_text(self, source: str, style: TextStyle, width: float, *, variant: str | None = None,
                 align: str = "justify", indent: float = 0.0, hyphenate: bool = True, small_caps: bool = False,
                 where: SourceRef | None = None) -> tuple[Line, ...]:
        """`source` (inline markup) set in `style`, broken into lines of `width`; a character no font has
        is an error at `where` (the manuscript's own text was checked at its line and column on loading)."""
        book_style = self.manuscript.style
        typesetting = Typesetting(style.opentype, style.tracking, small_caps and book_style.small_caps,
                                  self.hyphenate_capitals)
        inputs = (self.language, source, style.font, style.size, width, variant or style.variant, align, indent,
                  hyphenate, typesetting, style.case)
        # While a chapter is laid out again, its paragraphs that did not change come from its last layout.
        result = self.paragraphs.set_text(_set_text, inputs) if self.paragraphs is not None \
            else _set_text(self.fonts, *inputs)
        for char in result.missing:
            if char in self.manuscript.unprintable:
                continue  # reported where the author wrote it
            self._once(("missing", char), lambda c=char: self.error(
                where, f"no font has the character '{c}' ({describe(c)})",
                "add a TrueType font that has it to the manuscript's fonts/ folder, or remove the character"))
        # A style's own face that its family lacks was told on loading, at the style's line in book.yaml.
        told = style.variant if variant in (None, style.variant) else None
        for face in result.faces:
            if face != told and not self.fonts.has_face(style.font, face):
                self._once(("face", style.font, face), lambda f=face: self._missing_face(style.font, f, where))
        for other, chars in result.borrowed:
            self._once(("borrowed", style.font, other), lambda o=other, c=chars: self._borrowed(style.font, o, c, where))
        return result.lines

    @property
    def hyphenate_capitals(self) -> bool:
        allowed = self.manuscript.style.hyphenate_capitals
        return base_language(self.language) in CAPITALISED_NOUNS if allowed is None else allowed

    def fragment(self, text: str, style: TextStyle, x: float = 0.0) -> Fragment:
        """One shaped fragment of `text` in the style's regular face (dot leaders, page numbers)."""
        font = self.fonts.face(style.font, style.variant)
        shaped = shape(font, text, style.opentype)
        return Fragment(x, text, font, style.size, shaped.advance * style.size, None, shaped.glyphs)

    def _once(self, key: tuple, report) -> None:
        if key not in self.reported:
            self.reported.add(key)
            told = len(self.diag.items)
            report()
            if self.once_log is not None:
                self.once_log.update((id(d), key) for d in self.diag.items[told:])

    def _borrowed(self, family: str, other: str, chars: str, where: SourceRef | None) -> None:
        sample = " ".join(f"'{c}'" for c in chars[:4]) + (" ..." if len(chars) > 4 else "")
        self.diag.items.append(Diagnostic(
            Severity.NOTE, f"font family '{family}' lacks {sample}: those characters are set in '{other}'",
            where.file if where else None, (where.line or None) if where else None,
            (where.column or None) if where else None,
            "style.fallback sets the order fonts are tried in; a family that has them all keeps one typeface",
            check="fonts"))

    def _missing_face(self, family: str, face: str, where: SourceRef | None) -> None:
        name = {"bold": "bold", "italic": "italic", "bolditalic": "bold italic"}[face]
        self.diag.items.append(Diagnostic(
            Severity.WARNING, f"font family '{family}' has no {name} face: {name} text is set in its "
            f"{'italic' if face == 'bolditalic' and self.fonts.has_face(family, 'italic') else 'regular'} face",
            where.file if where else None, (where.line or None) if where else None,
            (where.column or None) if where else None,
            f"choose a family with a {name} face (the default, Gentium Book Plus, has them all), or add its .ttf "
            "file to the manuscript's fonts/ folder", check="fonts"))

    def text_height(self, lines: tuple[Line, ...], style: TextStyle) -> float:
        """From the top of a frame to the lowest descender of the last line."""
        if not lines:
            return 0.0
        font = self.fonts.face(style.font, style.variant)
        return BASELINE_RISE * style.size + (len(lines) - 1) * style.leading + self.fonts.descent(font, style.size)

    def place_lines(self, lines: tuple[Line, ...], style: TextStyle, x: float, top: float, role: str,
                    width: float | None = None, align: str = "left",
                    source: SourceRef | None = None) -> list[PlacedText]:
        placed = []
        baseline = top + BASELINE_RISE * style.size
        for line in lines:
            dx = 0.0
            if width is not None and align in ("center", "right") and line.fragments:
                # Measure the ink, not Line.width: the line may already carry an alignment offset.
                start = min(f.x for f in line.fragments)
                extent = max(f.x + f.width for f in line.fragments) - start
                dx = (width - extent) / (2 if align == "center" else 1) - start
            placed.append(PlacedText(x + dx, baseline, line.fragments, style.color, role, source=source))
            baseline += style.leading
        return placed

    def error(self, source: SourceRef | None, message: str, hint: str | None = None) -> None:
        if source is None:
            self.diag.error(message, hint=hint)
        else:
            self.diag.error(message, source.file, source.line or None, source.column or None, hint)


def nominal_flex(template: Template, live: Rect, caption: float) -> dict[str, Rect]:
    flex = template.flex
    names = flex.names
    items = [FlexItem(1.5, caption=(lambda _w: caption) if template.caption_frame(n) else None) for n in names]
    position = {name: i for i, name in enumerate(names)}
    laid = solve(flex.direction, [[position[n] for n in g] for g in flex.groups], items, flex.region(live), flex.gap,
                 flex.align)
    rects: dict[str, Rect] = {}
    for name, rect, cap in zip(names, laid.photos if laid else (), laid.captions if laid else ()):
        rects[name] = rect
        caption_frame = template.caption_frame(name)
        if caption_frame is not None and cap is not None:
            rects[caption_frame.name] = cap
    return rects


@lru_cache(maxsize=4096)
def _set_text(fonts: FontBook, language: str, source: str, family: str, size: float, width: float, variant: str,
              align: str, indent: float, hyphenate: bool, typesetting: Typesetting, case: str) -> SetText:
    spans = parse_inline(source)
    spans = tuple(type(s)(s.text, _combine(variant, s.style), s.link) for s in smarten_spans(spans, language))
    if case == "upper":
        spans = tuple(replace(s, text=upper(s.text, language)) for s in spans)
    lines = break_paragraph(spans, width=width, family=family, size=size, fonts=fonts, language=language,
                            align=align, indent=indent, hyphenate=hyphenate, typesetting=typesetting)
    faces = frozenset(s.style for s in spans)
    return SetText(lines, _missing(fonts, spans, family), faces, _borrowed(fonts, lines, family))


def _borrowed(fonts: FontBook, lines: tuple[Line, ...], family: str) -> tuple[tuple[str, str], ...]:
    """The characters set in another family than the style's, by family (a font with only capitals, CJK)."""
    found: dict[str, dict[str, None]] = {}
    for line in lines:
        for fragment in line.fragments:
            if not fonts.in_family(fragment.font, family) and fonts.has_family(family):
                chars = dict.fromkeys(c for c in fragment.text if not needs_no_glyph(c))
                found.setdefault(fonts.family_of(fragment.font), {}).update(chars)
    return tuple((other, "".join(chars)) for other, chars in found.items())


def _missing(fonts: FontBook, spans: tuple, family: str) -> tuple[str, ...]:
    missing: list[str] = []
    for span in spans:
        face = fonts.face(family, span.style)
        if fonts.covers_all(face, span.text.replace(" ", "")):
            continue  # nearly always: the style's own font has every character
        missing += [text for font, text in fonts.runs(span.text, face, span.style) if font is None]
    return tuple(dict.fromkeys(char for text in missing for char in text if not needs_no_glyph(char)))


def upper(text: str, language: str) -> str:
    """Capitals as the language writes them (Turkish and Azerbaijani keep the dot: i -> İ; Greek drops its
    accents: Κεφάλαιο -> ΚΕΦΑΛΑΙΟ)."""
    if base_language(language) in ("tr", "az"):
        text = text.replace("i", "\u0130")
    elif base_language(language) == "el":
        text = _greek_unaccented(text)
    return text.upper()


# tonos (oxia), varia, perispomeni and the breathings; an iota subscript stays, for upper() to write it
# beside its vowel (ᾳ -> ΑΙ)
_GREEK_ACCENTS = {"\u0301", "\u0300", "\u0342", "\u0313", "\u0314"}
_DIPHTHONGS = {"αι", "ει", "οι", "υι", "ου", "αυ", "ευ", "ηυ"}


def _greek_unaccented(text: str) -> str:
    """Greek written in capitals carries no accents; where the accent kept two vowels apart (Μάιος: má-i-os)
    the second takes a diaeresis instead, or the capitals would read as a diphthong (ΜΑΪΟΣ, not ΜΑΙΟΣ)."""
    chars = unicodedata.normalize("NFD", text)
    out: list[str] = []
    parted_at = -1  # the vowel that takes the diaeresis, by its place in `chars`
    for i, char in enumerate(chars):
        if char in _GREEK_ACCENTS:
            base = next((c for c in reversed(out) if not unicodedata.combining(c)), "")
            after, has_diaeresis = chars[i + 1:i + 2], chars[i + 2:i + 3] == "\u0308"
            if char == "\u0301" and (base + after).lower() in _DIPHTHONGS and not has_diaeresis:
                parted_at = i + 1
            continue
        out.append(char)
        if i == parted_at:
            out.append("\u0308")
    return unicodedata.normalize("NFC", "".join(out))


def _combine(base: str, style: str) -> str:
    """A paragraph set in italic makes its *emphasis* upright, as typographers do."""
    if base == "regular":
        return style
    if base == "italic":
        return {"regular": "italic", "italic": "regular", "bold": "bolditalic", "bolditalic": "bold"}[style]
    if base == "bold":
        return {"regular": "bold", "italic": "bolditalic", "bold": "bold", "bolditalic": "bolditalic"}[style]
    return base
