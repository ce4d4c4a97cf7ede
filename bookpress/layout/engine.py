"""Manuscript + templates -> LaidOutBook: the layout stage's driver (geometry only, no pixels, no PDF)."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace

from ..book import LaidOutBook, LinkArea, PageGeometry, PhotosPlaced
from ..diagnostics import Diagnostics
from ..fonts.catalog import load_fonts
from ..load.printers import Preset
from ..load.templates import load_templates
from ..model import Manuscript
from .body import BodyBuilder
from .context import LayoutContext
from .finalize import body_label, finalize
from .furniture import families_used, fonts_in
from .backmatter import BackMatter
from .matter import FrontMatter, TocEntry
from .recall import ChapterMemory
from .template_check import check_opener, check_templates

REQUIRED_TEMPLATES = ("chapter-opener", "text")


def layout_pass(manuscript: Manuscript, preset: Preset, photos_placed: PhotosPlaced | None = None,
                memory: ChapterMemory | None = None) -> LaidOutBook:
    """Lay out the whole book once, with the margins as given; raises ManuscriptError with every layout problem.

    `photos_placed` hears of each chapter's photos once their pages are final, before the
    rest of the book is laid out.
    """
    diag = Diagnostics()
    templates = load_templates(manuscript.layout_folders, diag, manuscript.root)
    for name in REQUIRED_TEMPLATES:
        if templates.get(name) is None:
            diag.error(f"the built-in template '{name}' is missing", "layouts", hint="reinstall bookpress")
    diag.raise_if_errors()
    fmt = manuscript.format
    geometry = PageGeometry(fmt.trim, fmt.bleed, fmt.bleed_inside, fmt.margins)
    fonts = load_fonts(list(manuscript.font_folders), manuscript.style.fallback)
    ctx = LayoutContext(manuscript, preset, fonts, templates, geometry, diag)
    check_templates(ctx)
    check_opener(ctx)
    diag.raise_if_errors()

    body_builder = BodyBuilder(ctx, photos_placed, memory)
    body = body_builder.build(manuscript.chapters)
    # The contents, the other front and back matter, folios and running heads: their paragraphs (a contents
    # entry, a folio) are mostly what the last build set, and a long book's contents took a tenth of a rebuild.
    with memory.paragraphs_of(ctx, "matter") if memory is not None else nullcontext():
        return _front_and_back(ctx, body, body_builder)


def _front_and_back(ctx: LayoutContext, body: list, body_builder: BodyBuilder) -> LaidOutBook:
    manuscript, diag = ctx.manuscript, ctx.diag
    style = manuscript.style
    # What the colophon and copyright page name: the families the text is actually set in, front and back
    # matter and fallback fonts included, so that they are the fonts the PDF embeds. Naming a font
    # sets no text in another, so the list settles by the second pass.
    body_fonts = fonts_in(body)  # walked once: the body is most of the book, and the same in every pass
    fonts = families_used(ctx, [body_fonts], [style.body.font], [style.title.font, style.caption.font])
    for _ in range(3):
        front, front_builder, back, back_builder = _matter(ctx, body, body_builder, fonts)
        used = families_used(ctx, [fonts_in(front), body_fonts, fonts_in(back)], [style.body.font], [])
        if used == fonts:
            break
        fonts = used

    offset = len(front)
    outline = [(title, i, level) for title, i, level in front_builder.outline]
    outline += [(title, offset + i, level) for title, i, level in body_builder.outline]
    outline += [(title, offset + len(body) + i, level) for title, i, level in back_builder.outline]
    book = finalize(ctx, front, body, back, outline, body_builder.notes)
    diag.raise_if_errors()
    return replace(book, notes=book.notes + diag.warnings)  # a face a family lacks, ...


def _matter(ctx: LayoutContext, body: list, body_builder: BodyBuilder, fonts: list[str]):
    """Front and back matter naming `fonts`: (front pages, their builder, back pages, their builder)."""
    manuscript, style = ctx.manuscript, ctx.manuscript.style
    back_builder = BackMatter(ctx, len(body), body, [body_label(i) for i in range(len(body))], fonts)
    back = back_builder.build(manuscript.back_matter)
    ctx.diag.raise_if_errors()

    def toc_entries(front_count: int) -> list[TocEntry]:
        entries = [TocEntry(title, body_label(i), level, front_count + i) for title, i, level in body_builder.outline
                   if level or "chapter" in style.toc_levels]
        entries += [TocEntry(title, body_label(len(body) + i), level, front_count + len(body) + i)
                    for title, i, level in back_builder.outline]
        return entries

    # The contents' length sets the front matter's length, which moves the links' targets but never
    # the printed numbers (the body restarts at 1): set once with the targets counted from the body's
    # first page, the links are then moved on by the front matter's length.
    front_builder = FrontMatter(ctx, toc_entries(0), fonts)
    front = front_builder.build(manuscript.front_matter)
    for page in front:
        page.items = [replace(item, page_index=item.page_index + len(front))
                      if isinstance(item, LinkArea) and item.page_index is not None else item
                      for item in page.items]
    return front, front_builder, back, back_builder
