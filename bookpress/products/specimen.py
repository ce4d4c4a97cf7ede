"""Page templates -> a table of their slots and a specimen PDF: one page per template, frames outlined and labelled.

The frames are placed by the layout stage's own geometry (LayoutContext), on the
manuscript's trim and margins when there is a manuscript, else on A4 with the
default margins, so the specimen shows exactly where layout would put things.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from reportlab.pdfgen import canvas as rl_canvas
from rich.table import Table

from ..book import PageGeometry
from ..diagnostics import Diagnostics
from ..fonts.catalog import FontBook, load_fonts
from ..geometry import Rect, Sides, parse_trim
from ..layout.context import LayoutContext
from ..load.manuscript import DEFAULT_MARGINS, find_book_file, load_manuscript
from ..load.printers import MM, PRESETS
from ..load.templates import Frame, Template, TemplateSet, load_templates
from ..model import BookMeta, Manuscript, PageFormat, PrintSettings, Style

KIND_COLOURS = {"photo": (0.16, 0.45, 0.85), "caption": (0.90, 0.45, 0.05), "text": (0.15, 0.60, 0.30),
                "title": (0.55, 0.25, 0.75)}
TRIM_COLOUR = (0.85, 0.0, 0.75)
LIVE_COLOUR = (0.45, 0.65, 0.95)
HEADING_ROOM = 20.0  # points below the trim's top kept for the template's heading line


def specimen_manuscript(root: Optional[Path]) -> Manuscript:
    """The manuscript in `root` when it has a book.yaml, else a default A4 book (for the built-ins)."""
    if root is not None and find_book_file(root.resolve()) is not None:
        return load_manuscript(root)
    preset = PRESETS["generic"]
    page_format = PageFormat(parse_trim("a4"), preset.bleed, Sides(**DEFAULT_MARGINS), preset.bleed_inside)
    return Manuscript(Path.cwd(), BookMeta("Template specimens"), page_format, Style(), PrintSettings(), ())


def manuscript_templates(manuscript: Manuscript) -> TemplateSet:
    return load_templates(manuscript.layout_folders, root=manuscript.root)


def slot_summary(template: Template) -> str:
    """'top (+caption), bottom (+caption)': what a `page:` block's `slots:` may name."""
    parts = []
    for frame in template.frames:
        if frame.kind in ("photo", "text", "title"):
            extra = " +caption" if frame.kind == "photo" and template.caption_frame(frame.name) else ""
            parts.append(f"{frame.name} ({frame.kind}{extra})")
    return ", ".join(parts)


def suits_text(template: Template) -> str:
    """'landscape ×4' rather than the same word four times; '-' when auto layout never picks it."""
    if not template.suits:
        return "-"
    if len(set(template.suits)) == 1 and len(template.suits) > 1:
        return f"{template.suits[0]} ×{len(template.suits)}"
    return ", ".join(template.suits)


def templates_table(templates: TemplateSet) -> Table:
    table = Table(title="Page templates", title_justify="left", show_lines=False)
    for column in ("template", "pages", "suits", "slots", "description"):
        table.add_column(column, overflow="fold")
    for name in templates.names():
        template = templates.templates[name]
        table.add_row(name, str(template.pages), suits_text(template), slot_summary(template),
                      template.description)
    return table


def write_specimens(manuscript: Manuscript, templates: TemplateSet, out: Path) -> int:
    """Draw every template on its own sheet into `out`; returns the number of sheets."""
    fmt = manuscript.format
    geometry = PageGeometry(fmt.trim, fmt.bleed, fmt.bleed_inside, fmt.margins)
    fonts = load_fonts(list(manuscript.font_folders))
    ctx = LayoutContext(manuscript, PRESETS[manuscript.print.printer], fonts, templates, geometry, Diagnostics())
    out.parent.mkdir(parents=True, exist_ok=True)
    c = rl_canvas.Canvas(str(out), invariant=1, pageCompression=1)
    c.setTitle(f"Page templates: {manuscript.meta.title}")
    c.setCreator("bookpress layouts --sheet")
    for number, name in enumerate(templates.names()):
        _SpecimenPage(c, ctx, fonts, templates.templates[name]).draw()
        c.bookmarkPage(f"t{number}")
        c.addOutlineEntry(name, f"t{number}", 0)
        c.showPage()
    c.save()
    return len(templates.names())


class _SpecimenPage:
    """One template drawn on a page (or, for a spread, two facing pages) with its bleed around it."""

    def __init__(self, c: rl_canvas.Canvas, ctx: LayoutContext, fonts: FontBook, template: Template) -> None:
        self.c, self.ctx, self.template = c, ctx, template
        self.regular, self.bold = fonts.face("Lato"), fonts.face("Lato", "bold")
        self.bleed = ctx.geometry.bleed
        trim = ctx.geometry.trim
        self.trim = Rect(0, 0, trim.width * template.pages, trim.height)
        self.width, self.height = self.trim.width + 2 * self.bleed, trim.height + 2 * self.bleed

    def box(self, rect: Rect) -> tuple[float, float, float, float]:
        """y-down page rect -> reportlab's x, y (bottom), width, height."""
        return rect.x + self.bleed, self.height - (rect.bottom + self.bleed), rect.width, rect.height

    def draw(self) -> None:
        self.c.setPageSize((self.width, self.height))
        self.c.setFillColorRGB(0.93, 0.93, 0.95)  # the bleed: what the trim cuts away
        self.c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        self.c.setFillColorRGB(1, 1, 1)
        self.c.rect(*self.box(self.trim), stroke=0, fill=1)
        self._page_outlines()
        frames = [(frame, self.frame_rect(frame)) for frame in self.template.frames]
        for frame, rect in frames:
            self._frame(frame, rect)
        for frame, rect in frames:
            self._label(frame, rect)
        self._heading()

    def frame_rect(self, frame: Frame) -> Rect:
        return self.ctx.frame_rect(self.template, frame, "recto")  # a spread ignores the side

    def _page_outlines(self) -> None:
        c = self.c
        c.setLineWidth(0.6)
        c.setStrokeColorRGB(*TRIM_COLOUR)
        c.rect(*self.box(self.trim), stroke=1, fill=0)
        c.setDash(3, 2)
        c.setStrokeColorRGB(*LIVE_COLOUR)
        pages = ("verso", "recto") if self.template.pages == 2 else ("recto",)
        for number, side in enumerate(pages):
            live = self.ctx.live(side)
            c.rect(*self.box(Rect(live.x + number * self.ctx.geometry.trim.width, live.y, live.width, live.height)),
                   stroke=1, fill=0)
        if self.template.pages == 2:  # the spine
            x = self.ctx.geometry.trim.width + self.bleed
            c.setStrokeColorRGB(*TRIM_COLOUR)
            c.line(x, 0, x, self.height)
        c.setDash()

    def _frame(self, frame: Frame, rect: Rect) -> None:
        colour = KIND_COLOURS.get(frame.kind, (0.4, 0.4, 0.4))
        self.c.saveState()
        self.c.setFillColorRGB(*colour, alpha=0.16)
        self.c.setStrokeColorRGB(*colour)
        self.c.setLineWidth(1.0)
        self.c.rect(*self.box(rect), stroke=1, fill=1)
        self.c.restoreState()

    def _label(self, frame: Frame, rect: Rect) -> None:
        size = max(4.5, min(10.0, rect.height * 0.4))
        x, y, _, height = self.box(rect)
        x = max(x, self.bleed)  # labels of bleed frames start at the trim, where a reader looks
        detail = frame.kind + (f" for {frame.caption_for}" if frame.caption_for else "")
        detail += f", {frame.area} area" if frame.area != "live" else ""
        detail += f", {rect.width / MM:.0f} × {rect.height / MM:.0f} mm"
        # Frames that reach the top edge get their label below the heading line.
        top = min(y + height, self.height - self.bleed - HEADING_ROOM) - size * 1.15
        self.c.setFillColorRGB(*KIND_COLOURS.get(frame.kind, (0.3, 0.3, 0.3)))
        self.c.setFont(self.bold, size)
        self.c.drawString(x + 4, top, frame.name)
        self.c.setFont(self.regular, size * 0.8)
        if rect.height > size * 3:  # room for a second line
            self.c.drawString(x + 4, top - size * 1.1, detail)
        else:
            self.c.drawString(x + 8 + self.c.stringWidth(frame.name, self.bold, size), top, detail)

    def _heading(self) -> None:
        t = self.template
        suits = suits_text(t) if t.suits else "not used by auto layout"
        pages = "two-page spread" if t.pages == 2 else "one page"
        text = f"{t.name}: {t.description}  [{pages}; suits: {suits}; {t.source}]"
        size = 7.5
        x, y = self.bleed + 6, self.height - self.bleed - 12
        self.c.setFillColorRGB(1, 1, 1, alpha=0.85)
        self.c.rect(x - 3, y - 3, self.c.stringWidth(text, self.regular, size) + 6, size + 5, stroke=0, fill=1)
        self.c.setFillColorRGB(0.1, 0.1, 0.12)
        self.c.setFont(self.regular, size)
        self.c.drawString(x, y, text)
