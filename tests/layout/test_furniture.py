"""Running heads and folios: placed inside each printer's safety, or left out (with a note) where the margin has no room."""

from __future__ import annotations

import pytest
from conftest import lay_out, print_manuscript

from bookpress.load.printers import INCH, PRESETS
from bookpress.preflight.book_checks import text_box

ROOMY = "{top: 0.8in, bottom: 0.9in, outside: 0.6in, inside: 0.9in}"


def furniture(book) -> list[tuple[str, float]]:
    """(role, nearest distance of its glyph box to the top, bottom or outside trim) for every folio and head."""
    height, width = book.geometry.trim.height, book.geometry.trim.width
    found = []
    for page in book.pages:
        for item in page.items:
            if getattr(item, "role", None) in ("folio", "running-head"):
                box = text_box(item)
                found.append((item.role, min(box.y, height - box.bottom, box.x, width - box.right)))
    return found


@pytest.mark.parametrize("printer", sorted(PRESETS))
def test_heads_and_folios_keep_the_printers_safety(tmp_path, printer):
    book = lay_out(print_manuscript(tmp_path / "book", printer, margins=ROOMY), printer)
    placed = furniture(book)
    assert {role for role, _ in placed} == {"folio", "running-head"}
    nearest = min(gap for _, gap in placed)
    assert nearest >= PRESETS[printer].safety, f"{nearest / INCH:.3f} in"


def test_heads_stay_where_the_margin_puts_them_when_that_is_safe(tmp_path):
    """generic's 3 mm safety: the head sits at 45% of the top margin, as before, not pushed down."""
    book = lay_out(print_manuscript(tmp_path / "book", "generic", margins=ROOMY), "generic")
    head = next(i for p in book.pages for i in p.items if getattr(i, "role", None) == "running-head")
    assert head.baseline == pytest.approx(0.8 * INCH * 0.45)


def test_a_margin_too_small_for_a_safe_head_leaves_the_heads_out_and_says_so(tmp_path):
    # 16 mm: less than IngramSpark's 0.5 in safety plus a line of 9 pt type and its gap to the text
    book = lay_out(print_manuscript(tmp_path / "book", "ingramspark", margins="{top: 16mm}"), "ingramspark")
    roles = {role for role, _ in furniture(book)}
    assert "running-head" not in roles and "folio" in roles
    note, = [n for n in book.notes if n.check == "safe-area"]
    assert "no running heads" in note.message and "0.500 in safety" in note.message
    assert note.hint == "widen format.margins.top"
