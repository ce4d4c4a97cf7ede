"""What every layout step needs: the manuscript, fonts, templates, page areas, diagnostics."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..book import PageGeometry, PlacedText, Side
from ..diagnostics import Diagnostics
from ..fonts.catalog import FontBook
from ..geometry import Rect
from ..load.printers import Preset
from ..load.templates import Frame, Template, TemplateSet
from ..model import Manuscript, SourceRef, TextStyle
from .photos.flex import FlexItem, solve
from .text.inline import parse_inline
from .text.lines import Line, break_paragraph
from .text.smarten import smarten_spans

BASELINE_RISE = 0.78  # first baseline sits this many ems below a frame's top (about the cap height)


@dataclass
class LayoutContext:
    manuscript: Manuscript
    preset: Preset  # the printer's figures: page multiple, gutter by page count
    fonts: FontBook
    templates: TemplateSet
    geometry: PageGeometry
    diag: Diagnostics

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
    def set_text(self, source: str, style: TextStyle, width: float, *, variant: str = "regular",
                 align: str = "justify", indent: float = 0.0, hyphenate: bool = True) -> tuple[Line, ...]:
        return _set_text(self.fonts, self.language, source, style.font, style.size, width, variant, align,
                         indent, hyphenate)

    def text_height(self, lines: tuple[Line, ...], style: TextStyle) -> float:
        """From the top of a frame to the lowest descender of the last line."""
        if not lines:
            return 0.0
        font = self.fonts.face(style.font)
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
              align: str, indent: float, hyphenate: bool) -> tuple[Line, ...]:
    spans = parse_inline(source)
    spans = tuple(type(s)(s.text, _combine(variant, s.style), s.link) for s in smarten_spans(spans, language))
    return break_paragraph(spans, width=width, family=family, size=size, fonts=fonts, language=language,
                           align=align, indent=indent, hyphenate=hyphenate)


def _combine(base: str, style: str) -> str:
    """A paragraph set in italic makes its *emphasis* upright, as typographers do."""
    if base == "regular":
        return style
    if base == "italic":
        return {"regular": "italic", "italic": "regular", "bold": "bolditalic", "bolditalic": "bold"}[style]
    if base == "bold":
        return {"regular": "bold", "italic": "bolditalic", "bold": "bold", "bolditalic": "bolditalic"}[style]
    return base
