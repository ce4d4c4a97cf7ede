"""Manuscript + templates -> LaidOutBook: the layout stage's driver (geometry only, no pixels, no PDF)."""

from __future__ import annotations

from dataclasses import replace

from ..book import LaidOutBook, PageGeometry, PhotosPlaced
from ..diagnostics import Diagnostics
from ..fonts.catalog import load_fonts
from ..load.printers import Preset
from ..load.templates import load_templates
from ..model import Manuscript
from .body import BodyBuilder
from .context import LayoutContext
from .finalize import body_label, finalize
from .furniture import families_used
from .matter import BackMatter, FrontMatter, TocEntry
from .recall import ChapterMemory
from .template_check import check_templates

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
    diag.raise_if_errors()

    body_builder = BodyBuilder(ctx, photos_placed, memory)
    body = body_builder.build(manuscript.chapters)
    body_labels = [body_label(i) for i in range(len(body))]
    style = manuscript.style
    # What the colophon and copyright page name: the families the text is actually set in.
    fonts = families_used(ctx, body, [style.body.font], [style.title.font, style.caption.font])
    back_builder = BackMatter(ctx, len(body), body, body_labels, fonts)
    back = back_builder.build(manuscript.back_matter)
    diag.raise_if_errors()

    def toc_entries(front_count: int) -> list[TocEntry]:
        entries = [TocEntry(title, body_label(i), level, front_count + i) for title, i, level in body_builder.outline
                   if level or "chapter" in style.toc_levels]
        entries += [TocEntry(title, body_label(len(body) + i), level, front_count + len(body) + i)
                    for title, i, level in back_builder.outline]
        return entries

    # The contents' length can change the front matter's length, which moves the links' targets
    # (never the printed numbers: the body restarts at 1). Two passes settle it.
    front_builder = FrontMatter(ctx, toc_entries(0), fonts)
    front = front_builder.build(manuscript.front_matter)
    front_builder = FrontMatter(ctx, toc_entries(len(front)), fonts)
    front = front_builder.build(manuscript.front_matter)

    offset = len(front)
    outline = [(title, i, level) for title, i, level in front_builder.outline]
    outline += [(title, offset + i, level) for title, i, level in body_builder.outline]
    outline += [(title, offset + len(body) + i, level) for title, i, level in back_builder.outline]
    book = finalize(ctx, front, body, back, outline, body_builder.notes)
    diag.raise_if_errors()
    return replace(book, notes=book.notes + diag.warnings)  # a face a family lacks, ...
