"""A shaped fragment -> PDF text operators that draw its glyphs at the advances layout measured.

Each glyph is shown by the code its font assigned it (fonts/pdffont.py), and TJ
adjustments move the pen from the font's own advance to the shaped one (kerning,
letter-spacing); a glyph raised or lowered by the shaper (a mark) is drawn with a
text rise. The pen therefore ends exactly `fragment.width` from where it started.
"""

from __future__ import annotations

import weakref

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics

from ..book import Fragment, Glyph
from ..fonts.pdffont import GlyphFont
from ..fonts.shaping import shape


def glyphs_of(fragment: Fragment) -> tuple[Glyph, ...]:
    """The fragment's shaped glyphs; a fragment made without them is shaped here, with the font's defaults."""
    return fragment.glyphs or shape(fragment.font, fragment.text).glyphs


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_MADE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # document -> operators already made in it


def fragment_operators(doc, fragment: Fragment) -> list[str]:
    """Operators to put inside BT/ET after the text position is set to the fragment's origin.

    A word drawn again in the same document (in the same font and size) reuses its operators:
    its glyphs have their codes in that document's subsets already.
    """
    made = _MADE.setdefault(doc, {})
    # The glyphs by identity: a word's uses share one tuple (the shaper's cache, a record's word table),
    # and hashing the glyphs themselves cost more than the lookup saved. The tuple is held in the
    # entry, so that its id stays its own; an equal tuple elsewhere only makes the same operators again.
    key = (fragment.font, fragment.size, fragment.tracking, fragment.text, id(fragment.glyphs))
    found = made.get(key)
    if found is None:
        found = made[key] = (fragment.glyphs, _operators(doc, fragment))
    return found[1]


def _operators(doc, fragment: Fragment) -> list[str]:
    font = pdfmetrics.getFont(fragment.font)
    glyphs = glyphs_of(fragment)
    if not glyphs:
        return []
    size = fragment.size
    ops: list[str] = []
    rise = 0.0
    array: list[str] = []
    current_subset = None
    pending = 0.0  # thousandths of an em to move the pen before the next glyph (TJ sign: negative = right)

    run = bytearray()  # glyph codes shown together: one string until the pen must move between them

    def close_run() -> None:
        if run:
            array.append(f"({escapePDF(bytes(run))})")
            run.clear()

    def flush() -> None:
        close_run()
        if array:
            ops.append(f"[{' '.join(array)}] TJ")
            array.clear()

    codes = [glyph_code(font, glyph) for glyph in glyphs]
    chunks = font.splitString("".join(map(chr, codes)), doc)
    placed = [(subset, byte) for subset, data in chunks for byte in data]
    last = len(glyphs) - 1
    for index, (glyph, code, (subset, byte)) in enumerate(zip(glyphs, codes, placed)):
        if subset != current_subset:
            flush()
            ops.append(f"{font.getSubsetInternalName(subset, doc)} {_num(size)} Tf")
            current_subset = subset
        if abs(glyph.dy * size - rise) > 1e-6:
            flush()
            rise = glyph.dy * size
            ops.append(f"{_num(rise)} Ts")
        nominal = font.face.charWidths.get(code, 0.0)  # what the PDF viewer advances by
        pending -= glyph.dx * 1000
        if abs(pending) > 1e-6:
            close_run()
            array.append(_num(pending))
        run.append(byte)
        wanted = glyph.advance + (fragment.tracking if index < last else 0.0)
        pending = nominal - (wanted - glyph.dx) * 1000
    if abs(pending) > 1e-6:
        close_run()
        array.append(_num(pending))
    flush()
    if rise:
        ops.append("0 Ts")
    return ops


def glyph_code(font, glyph: Glyph) -> int:
    """The character code that draws `glyph` in `font` (a private one for a glyph no character names)."""
    if isinstance(font, GlyphFont):
        return font.code(glyph.gid, glyph.text)
    return ord(glyph.text[:1] or " ")  # not one of ours (never in a book): its characters, unshaped
