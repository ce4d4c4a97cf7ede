"""book.yaml `style:` -> the Style: text styles (font, size, leading, face, case, letter-spacing, figures),
heading levels, the contents' levels and the font fallback order.

A style that asks for a face its family lacks is warned about here, at its line, and
set in the family's nearest face: never in another family.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from ..diagnostics import did_you_mean
from ..fonts.catalog import ORIGINS, FontBook
from ..model import HEADING_LEVELS, SourceRef, Style, TextStyle
from . import schema
from .loader import Loader
from .values import MAX_LENGTH, key, length
from .yamlsrc import SourceMap

FONT_SIZES = (2.0, 300.0)  # points


def _text_style(loader: Loader, given: schema.TextStyleSchema, default: TextStyle, file: str,
                smap: SourceMap, path: tuple, fonts: FontBook, follows: str | None = None) -> TextStyle:
    """`follows`: the style whose family this one takes when book.yaml names none for it."""
    font = given.font or default.font
    if given.font and not fonts.has_family(given.font):
        loader.error_at(file, smap.value_at(path + ("font",)), f"font family '{given.font}' is not available",
                        did_you_mean(given.font, fonts.families) or f"available: {', '.join(fonts.families)}; "
                        "or put its .ttf files in the manuscript's fonts/ folder")
        font = default.font  # so that the rest of the book can still be checked
    size = length(loader, given.size, default.size, file, smap, path + ("size",), FONT_SIZES, "pt")
    leading = length(loader, given.leading, size * default.leading / default.size, file, smap,
                      path + ("leading",), (size * 0.5, size * 5), "pt")
    style = TextStyle(font, size, leading, default.color,
                      weight=given.weight or default.weight,
                      italic=default.italic if given.italic is None else given.italic,
                      case=given.case or default.case,
                      tracking=_tracking(loader, given.tracking, default.tracking, file, smap, path + ("tracking",)),
                      numerals=given.numerals or default.numerals,
                      features=tuple(given.features) if given.features is not None else default.features)
    chosen = given.font or given.weight or given.italic is not None  # the author chose family or face here
    _missing_face(loader, style, fonts, file, smap, path, given, None if chosen else follows)
    return style


def _tracking(loader: Loader, value: Any, default: float, file: str, smap: SourceMap, path: tuple) -> float:
    """Letter-spacing in ems: 0.1 or '0.1em'."""
    if value is None:
        return default
    text = str(value).strip().lower().removesuffix("em").strip()
    try:
        ems = float(text)
    except ValueError:
        ems = math.nan
    if not (math.isfinite(ems) and -0.1 <= ems <= 1.0):
        loader.error_at(file, smap.value_at(path), f"'{key(path)}' must be a letter-spacing in ems between -0.1 "
                        f"and 1, got {value!r}", "write it like 0.1em (a tenth of the type size)")
        return default
    return ems


def _missing_face(loader: Loader, style: TextStyle, fonts: FontBook, file: str, smap: SourceMap, path: tuple,
                  given: schema.TextStyleSchema, follows: str | None = None) -> None:
    """A style asking for a face its family lacks is set in the family's nearest face, and told so."""
    if style.variant == "regular" or not fonts.has_family(style.font) or fonts.has_face(style.font, style.variant):
        return
    asked = "weight" if given.weight else "italic" if given.italic is not None else "font"
    face = {"bold": "bold", "italic": "italic", "bolditalic": "bold italic"}[style.variant]
    # A style the author never wrote takes its family from another: say which, or the warning names a
    # style nobody asked for.
    taken = f" (it takes the family of 'style.{follows}')" if follows else ""
    where = smap.value_at(("style", follows, "font") if follows else path + (asked,))
    loader.diag.warning(f"font family '{style.font}' has no {face} face: '{key(path)}'{taken} is set in its "
                        f"{_nearest(fonts, style)} face instead", file, *where,
                        hint=f"choose a family with a {face} face, or add its .ttf file to the manuscript's fonts/")


def _nearest(fonts: FontBook, style: TextStyle) -> str:
    for candidate in ("bold", "italic", "regular"):
        if candidate in style.variant and fonts.has_face(style.font, candidate):
            return candidate
    return "regular"


def read_style(loader: Loader, given: schema.StyleSchema, file: str, smap: SourceMap, fonts: FontBook) -> Style:
    base = Style()

    def text(name: str, default: TextStyle, follows: str | None = None) -> TextStyle:
        return _text_style(loader, getattr(given, name), default, file, smap, ("style", name), fonts, follows)

    body = text("body", base.body)
    caption = text("caption", base.caption)
    heading = text("heading", base.heading)
    # Titles follow the body's family, labels the captions', unless the style names their own.
    return Style(
        body=body, caption=caption, heading=heading,
        subheading=text("subheading", replace(base.subheading, font=heading.font), "heading"),
        photoset=text("photoset", replace(base.photoset, font=body.font), "body"),
        title=text("title", replace(base.title, font=body.font), "body"),
        chapter_label=text("chapter_label", replace(base.chapter_label, font=caption.font), "caption"),
        folio=given.folio,
        running_heads=given.running_heads,
        toc_sections=given.toc_sections,
        toc_levels=_toc_levels(given),
        justify=given.justify,
        measure=length(loader, given.measure, 0.0, file, smap, ("style", "measure"), (36.0, MAX_LENGTH)) or None,
        fallback=_fallback(loader, given, file, smap, fonts),
        small_caps=given.small_caps,
        hyphenate_capitals=given.hyphenate_capitals,
        opener=given.opener,
        opener_source=SourceRef(file, *smap.value_at(("style", "opener"))) if given.opener else None,
    )


def _toc_levels(given: schema.StyleSchema) -> tuple[str, ...]:
    if given.toc_levels is not None:
        return tuple(level for level in HEADING_LEVELS if level in given.toc_levels)
    return Style().toc_levels if given.toc_sections else ("chapter",)


def _fallback(loader: Loader, given: schema.StyleSchema, file: str, smap: SourceMap,
              fonts: FontBook) -> tuple[str, ...]:
    if given.fallback is None:
        return Style().fallback
    entries = []
    for index, entry in enumerate(given.fallback):
        if entry in ORIGINS or fonts.has_family(entry):
            entries.append(entry)
        else:
            loader.error_at(file, smap.value_at(("style", "fallback", index)), f"'{entry}' is neither a font family "
                            f"nor one of {', '.join(ORIGINS)}", did_you_mean(entry, [*ORIGINS, *fonts.families])
                            or "name a font family, or manuscript, bookpress or system")
    return tuple(entries)
