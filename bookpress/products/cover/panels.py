"""The wrap's content -> placed items: the front (photo, title, subtitle, author), the spine, the back.

All type is 100% black on paper: nothing is reversed out of the photo or out of a solid
built from several inks, whose plates never land exactly on one another (see
preflight/reversed_type.py). The front photo runs from the spine fold into the bleed at the
head and the outer edge and stops at the panel that carries the title; the back sets the
title, the author and the blurb in one column at a reading measure (about 66 characters a
line, in the body font at a reading size), the imprint at its foot, and the barcode in the
printer's box.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ...book import LaidOutBook, Page, PageGeometry, PlacedBox, PlacedText
from ...diagnostics import Diagnostics
from ...fonts import load_fonts
from ...geometry import Rect, Sides
from ...layout.context import LayoutContext
from ...layout.photos.place import place_photo
from ...load.printers import INCH, SPINE_TEXT_CLEARANCE
from ...load.templates import TemplateSet
from ...model import Manuscript, TextStyle
from ...options import BuildOptions
from .barcode import Barcode, lay_out_barcode
from .frame import CoverGeometry

INK = (0.0, 0.0, 0.0, 1.0)  # type in one plate: sharp at any size
PAPER = (0.0, 0.0, 0.0, 0.0)
SPINE_TEXT_MIN = 6.0  # points: the smallest spine type that is still read from a shelf
MEASURE_CHARACTERS = 66  # the blurb's line, in characters: inside the 60 to 75 a reader takes in comfortably
BARCODE_FAMILY = "Lato"  # bundled; a plain sans keeps the digits unmistakable
FRONT_PANEL_SHARE = 0.27  # of the front's height, at least, for the title panel under the photo


@dataclass
class CoverLayout:
    """The laid-out wrap, and what layout had to give up (reported as notes)."""

    book: LaidOutBook
    barcode: Barcode | None = None
    blurb_lines_cut: int = 0
    measure_characters: float = 0.0  # the blurb column's width in average characters of the blurb
    blurb_lines: tuple[str, ...] = field(default=())


def lay_out_cover(manuscript: Manuscript, options: BuildOptions, geometry: CoverGeometry, barcode: Rect,
                  spine_text: bool) -> CoverLayout:
    """The wrap as a one-page LaidOutBook, for render and press like any page."""
    page_geometry = PageGeometry(geometry.trim, geometry.bleed, True, Sides(0, 0, 0, 0))
    ctx = LayoutContext(manuscript, options.preset, load_fonts(list(manuscript.font_folders)), TemplateSet({}),
                        page_geometry, Diagnostics())
    painter = _Painter(ctx, geometry, barcode)
    items = painter.barcode_box() + painter.front() + painter.back()
    if spine_text:
        items += painter.spine()
    page = Page(0, "Cover", "cover", "cover", tuple(items))
    fonts = sorted({f.font for item in items if isinstance(item, PlacedText) for f in item.fragments})
    meta = replace(manuscript.meta, title=f"{manuscript.meta.title} (cover)")
    book = LaidOutBook(meta, page_geometry, (page,), (), tuple(fonts))
    return CoverLayout(book, painter.symbol, painter.cut, painter.measure_characters, tuple(painter.blurb))


class _Painter:
    def __init__(self, ctx: LayoutContext, geometry: CoverGeometry, barcode: Rect) -> None:
        self.ctx, self.g, self.box = ctx, geometry, barcode
        self.m = ctx.manuscript
        # Half a point beyond the safety, so that rounding never lands a line on it.
        self.safety = max(ctx.preset.safety, 0.5 * INCH) + 0.5
        self.symbol: Barcode | None = None
        self.cut, self.measure_characters, self.blurb = 0, 0.0, []

    def barcode_box(self) -> list:
        """The printer's box as bare paper (the quiet zones), with the ISBN's symbol in it when there is one."""
        items: list = [PlacedBox(self.box, PAPER)]
        if self.m.meta.isbn:
            family = BARCODE_FAMILY if self.ctx.fonts.has_family(BARCODE_FAMILY) else self.m.style.caption.font
            self.symbol = lay_out_barcode(self.m.meta.isbn, self.m.cover.price, self.box,
                                          lambda text, size: self._set(text, _style(family, size, size), 1e4)[0]
                                          .fragments)
            items += list(self.symbol.items) if self.symbol else []
        return items

    # The front ---------------------------------------------------------------------------------------------

    def front(self) -> list:
        """The photo above, and under it a panel of paper with the title, subtitle and author."""
        front, style = self.g.front(), self.m.style
        width = front.width - 2 * self.safety
        title_style = _style(style.title.font, style.title.size * 1.4, style.title.size * 1.4 * 1.12)
        sub_style = replace(_style(style.title.font, style.title.size * 0.56, style.title.size * 0.56 * 1.3),
                            italic=True)
        author_style = replace(_style(style.chapter_label.font, 11.0, 15.0), case="upper", tracking=0.12)
        title = self._set(self.m.meta.title, title_style, width)
        subtitle = self._set(self.m.meta.subtitle, sub_style, width) if self.m.meta.subtitle else ()
        author = self._set(self.m.meta.author, author_style, width) if self.m.meta.author else ()
        x = front.x + self.safety
        lines = self._lines(title, title_style, x, 0.0)
        y = len(title) * title_style.leading + title_style.size * 0.15  # the subtitle clear of the descenders
        lines += self._lines(subtitle, sub_style, x, y)
        y += len(subtitle) * sub_style.leading + title_style.size * 0.4
        lines += self._lines(author, author_style, x, y)
        # The block's ink, from the title's capitals to the last baseline: set a little above the middle
        # of the panel (as the eye reads a centre), never nearer the trim than the safety.
        ink_top = min(line.baseline - 0.72 * max(f.size for f in line.fragments) for line in lines)
        ink_bottom = max(line.baseline for line in lines)
        height = max(front.height * FRONT_PANEL_SHARE, ink_bottom - ink_top + 2 * self.safety)
        top = front.bottom - height
        room = height - (ink_bottom - ink_top)
        shift = top + max(min(room * 0.42, room - self.safety), 0.6 * self.safety) - ink_top
        items: list = []
        if self.m.cover.photo is not None:
            b = self.g.bleed
            items.append(place_photo(self.m.cover.photo, Rect(front.x, -b, front.width + b, top + b), bleeds=True))
        return items + [replace(line, baseline=line.baseline + shift) for line in lines]

    # The back ----------------------------------------------------------------------------------------------

    def back(self) -> list:
        """Title and author, the blurb under them, the imprint at the foot; one column at a reading measure."""
        back, style = self.g.back(), self.m.style
        body = style.body
        size = min(14.0, max(11.0, body.size * 1.1))
        blurb_style = replace(_style(body.font, size, size * body.leading / body.size), features=body.features)
        text = self.m.cover.back_text or ""
        paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
        sample = " ".join(paragraphs) or self.m.meta.title
        average = self.ctx.fonts.width(sample, self.ctx.fonts.face(body.font), size) / max(1, len(sample))
        measure = min(MEASURE_CHARACTERS * average, back.width - 2 * self.safety)
        self.measure_characters = measure / average
        x = back.x + (back.width - measure) / 2
        title_style = _style(style.title.font, min(28.0, style.title.size * 0.8), min(28.0, style.title.size * 0.8) * 1.15)
        author_style = replace(_style(style.chapter_label.font, 9.5, 13.0), case="upper", tracking=0.12)
        y = back.y + max(self.safety, back.height * 0.12)
        items: list = []
        title = self._set(self.m.meta.title, title_style, measure)
        items += self._lines(title, title_style, x, y)
        y += len(title) * title_style.leading + 4
        if self.m.meta.author:
            author = self._set(self.m.meta.author, author_style, measure)
            items += self._lines(author, author_style, x, y)
            y += len(author) * author_style.leading
        y += blurb_style.leading * 1.5
        floor = self.box.y - blurb_style.leading  # the blurb stops a line above the barcode box's top
        for paragraph in paragraphs:
            lines = self._set(paragraph, blurb_style, measure, align="justify", hyphenate=True)
            fits = [line for i, line in enumerate(lines) if y + (i + 1) * blurb_style.leading <= floor]
            self.cut += len(lines) - len(fits)
            items += self._lines(tuple(fits), blurb_style, x, y)
            self.blurb += [_line_text(line) for line in fits]
            y += (len(fits) + 0.6) * blurb_style.leading
        return items + self._imprint(x)

    def _imprint(self, x: float) -> list:
        """The publisher (and the price as read), at the foot of the column, level with the barcode's foot."""
        label = replace(_style(self.m.style.chapter_label.font, 9.0, 12.5), case="upper", tracking=0.12)
        parts = [p for p in (self.m.cover.price_label if self.m.meta.isbn else None, self.m.meta.publisher) if p]
        # The last baseline: level with the barcode's foot, unless that is nearer the trim than the safety.
        bottom = min(self.box.bottom - 0.2 * label.size, self.g.back().bottom - self.safety - 0.25 * label.size)
        items = []
        for i, part in enumerate(reversed(parts)):
            lines = self._set(part, label, self.box.x - x - 12)[:1]
            items += self.ctx.place_lines(lines, label, x, bottom - i * label.leading - label.size * 0.78, "cover")
        return items

    # The spine ---------------------------------------------------------------------------------------------

    def spine(self) -> list:
        """Title — author, reading top to bottom (the US and UK convention), centred on the spine.

        The capitals are centred across the spine, and the size is the largest (up to 14 pt) at which
        the glyph box (ascenders and descenders) keeps SPINE_TEXT_CLEARANCE from each fold; below
        SPINE_TEXT_MIN the spine carries no text (it would not be legible, and would not survive the
        folds' wander).
        """
        rect = self.g.spine_rect()
        text = " — ".join(part for part in (self.m.meta.title, self.m.meta.author) if part)
        fonts, family = self.ctx.fonts, self.m.style.heading.font
        font = fonts.face(family, "bold")
        ascent, descent, cap = fonts.ascent(font, 1.0), fonts.descent(font, 1.0), fonts.cap_height(font, 1.0)
        # From the spine's centre line to the nearer limit, a quarter point inside it (rounding never lands on it).
        half = rect.width / 2 - SPINE_TEXT_CLEARANCE - 0.25
        size = min(14.0, half / max(ascent - cap / 2, descent + cap / 2, 0.01))
        length = rect.height - 2 * self.safety
        size = min(size, size * length / max(1.0, fonts.width(text, font, size)))
        if size < SPINE_TEXT_MIN:
            return []
        style = _style(family, size, size)
        lines = self.ctx.set_text(text, style, length + 1, align="left", variant="bold", hyphenate=False)[:1]
        if not lines:
            return []
        extent = max(f.x + f.width for f in lines[0].fragments)
        # Turned a quarter clockwise, the baseline runs down the spine: x is across it, y along it,
        # and the letters' tops face the front cover (+x), so the ascenders reach toward its fold.
        start = rect.y + (rect.height - extent) / 2
        across = rect.x + rect.width / 2 - cap * size / 2
        return [PlacedText(across, start, lines[0].fragments, INK, "spine", angle=90.0)]

    def _set(self, text: str, style: TextStyle, width: float, align: str = "left", hyphenate: bool = False):
        return self.ctx.set_text(text, style, width, align=align, hyphenate=hyphenate)

    def _lines(self, lines, style: TextStyle, x: float, top: float) -> list[PlacedText]:
        return self.ctx.place_lines(tuple(lines), style, x, top, "cover")


def _line_text(line) -> str:
    """A set line as read: a space wherever the fragments leave a word space between them."""
    text, end = "", None
    for fragment in line.fragments:
        if end is not None and fragment.x - end > 0.1 * fragment.size and not text.endswith(" "):
            text += " "
        text, end = text + fragment.text, fragment.x + fragment.width
    return " ".join(text.split())


def _style(font: str, size: float, leading: float) -> TextStyle:
    return TextStyle(font, size, leading, INK)
