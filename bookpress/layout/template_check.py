"""Templates + the book's page geometry -> errors for frames that leave the page or overlap, at the frame's line.

Boxes may mix units (mm and %), so whether a frame fits is known only on the book's
real page: it is checked here, once per layout, for every template the book could use.
"""

from __future__ import annotations

from itertools import combinations

from ..geometry import Rect
from ..load.templates import Template
from ..model import SourceRef
from .context import LayoutContext

TOLERANCE = 0.5  # points: rounding in percentages of odd page sizes


def check_templates(ctx: LayoutContext) -> None:
    for template in ctx.templates.templates.values():
        _check(ctx, template)


def _page(ctx: LayoutContext, template: Template) -> Rect:
    """The page (or spread) with its bleed on every side: no frame may reach beyond it."""
    trim, bleed = ctx.geometry.trim, ctx.geometry.bleed
    width = trim.width * template.pages
    return Rect(-bleed, -bleed, width + 2 * bleed, trim.height + 2 * bleed)


def _check(ctx: LayoutContext, template: Template) -> None:
    page = _page(ctx, template)
    fixed = [(frame, ctx.frame_rect(template, frame, "recto")) for frame in template.frames if frame.box is not None]
    for frame, rect in fixed:
        if not page.contains(rect, TOLERANCE):
            ctx.diag.error(f"frame '{frame.name}' of template '{template.name}' reaches outside the page and its "
                           f"bleed", template.source, *frame.where,
                           "keep x + width and y + height within 100% of the frame's area")
    if template.flex is not None:
        region = template.flex.region(ctx.live("recto"))
        if not page.contains(region, TOLERANCE):
            ctx.diag.error(f"the flex box of template '{template.name}' reaches outside the page", template.source,
                           1, 1, "keep the flex box within 100% of the type area")
        fixed.append((None, region))
    for (a, ra), (b, rb) in combinations(fixed, 2):
        overlap_w = min(ra.right, rb.right) - max(ra.x, rb.x)
        overlap_h = min(ra.bottom, rb.bottom) - max(ra.y, rb.y)
        if overlap_w > TOLERANCE and overlap_h > TOLERANCE:
            later = b if b is not None else a
            names = f"'{a.name}' and '{b.name}'" if a is not None and b is not None else \
                f"'{(a or b).name}' and the flex rows"
            ctx.diag.error(f"frames {names} of template '{template.name}' overlap", template.source, *later.where,
                           "move or shrink one of them: a frame's box is [x, y, width, height]")


def opener_name(ctx: LayoutContext) -> str:
    """style.opener, else the photo opener if any chapter has an opener photo, else the plain one."""
    if ctx.manuscript.style.opener:
        return ctx.manuscript.style.opener
    photos = any(chapter.opener for chapter in ctx.manuscript.chapters)
    return "chapter-opener" if photos else "chapter-opener-plain"


def check_opener(ctx: LayoutContext) -> None:
    """The opener template: one page with a title frame, and a photo frame if a chapter has an opener photo."""
    style, name = ctx.manuscript.style, opener_name(ctx)
    template = ctx.templates.get(name)
    if template is None:
        ctx.error(style.opener_source, f"style.opener names no template: '{name}'", ctx.templates.suggestion(name))
        return
    kinds = [frame.kind for frame in template.frames]
    if template.pages != 1 or "title" not in kinds or kinds.count("photo") > 1:
        ctx.error(style.opener_source or SourceRef(template.source),
                  f"template '{template.name}' cannot open a chapter",
                  "an opener is one page with a 'title' frame and at most one 'photo' frame "
                  "(chapter-opener, chapter-opener-inset and chapter-opener-plain are)")
        return
    if "photo" not in kinds:
        for chapter in ctx.manuscript.chapters:
            if chapter.opener:
                ctx.error(chapter.opener.source, f"the opener photo would not be shown: style.opener "
                          f"'{template.name}' has no photo frame",
                          "choose an opener with a photo frame (chapter-opener, chapter-opener-inset), or "
                          "place the photo as a block of the chapter")
