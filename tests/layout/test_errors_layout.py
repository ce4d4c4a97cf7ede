"""Layout problems -> exit 1 naming the block's file:line; every problem of a run (load and layout) reported at once."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import assert_rejected, edit, write
from conftest import run_compile as compile_

from bookpress.layout.photos.plan import auto_candidates
from bookpress.load.templates import load_templates


def test_an_unknown_template_names_the_ones_that_exist(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "page: two-up", "page: two-upp")
    assert_rejected(compile_(small_book), "chapters/01.yaml:8:5:", "unknown template 'two-upp'",
                    "did you mean 'two-up'?")


def test_an_unknown_template_far_from_any_name_lists_them_all(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "page: two-up", "page: zzz")
    line = assert_rejected(compile_(small_book), "chapters/01.yaml:8:5:", "unknown template 'zzz'")
    assert all(name in line for name in ("full-bleed", "grid-4", "panorama", "side-by-side", "two-up"))


def test_an_unknown_slot(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "      bottom: {", "      botom: {")
    assert_rejected(compile_(small_book), "chapters/01.yaml:8:5:", "template 'two-up' has no slot 'botom'",
                    "did you mean 'bottom'?")


def test_a_spread_template_used_with_page_and_the_reverse(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "  - text: |\n",
         "  - page: panorama\n    slots: {photo: {photo: photos/a.jpg}}\n  - spread: full-bleed\n"
         "    slots: {photo: {photo: photos/b.jpg}}\n  - text: |\n")
    result = compile_(small_book)
    assert_rejected(result, "chapters/01.yaml:3:5:", "template 'panorama' has 2 page(s)", "write 'spread: panorama'")
    assert_rejected(result, "chapters/01.yaml:5:5:", "template 'full-bleed' has 1 page(s)", "write 'page: full-bleed'")


def test_a_caption_too_long_for_its_frame_names_the_caption(small_book: Path) -> None:
    # caption frames grow with their captions (the photos shrink), up to a point: this one leaves no room
    edit(small_book / "chapters/01.yaml", "caption: Top.}", "caption: " + "A caption that goes on. " * 150 + "}")
    assert_rejected(compile_(small_book), "chapters/01.yaml:10:20:", "caption does not fit its frame",
                    "A caption that goes on", "shorten the caption")


def test_a_photo_set_layout_that_does_not_exist(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "photoset: photos/set", "photoset: photos/set\n    layout: gird-4")
    assert_rejected(compile_(small_book), "chapters/01.yaml:7:5:", "unknown photo set layout 'gird-4'",
                    "did you mean 'grid-4'?")


def test_a_photo_set_layout_without_photo_frames(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "photoset: photos/set", "photoset: photos/set\n    layout: text")
    assert_rejected(compile_(small_book), "chapters/01.yaml:7:5:", "template 'text' has no photo frames",
                    "templates with photo frames")


def test_text_given_to_a_photo_slot(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "top: {photo: photos/a.jpg, caption: Top.}", "top: {text: Hello}")
    assert_rejected(compile_(small_book), "chapters/01.yaml:8:5:", "slot 'top' of template 'two-up' holds a photo")


def test_a_chapter_title_that_cannot_fit_its_page(small_book: Path) -> None:
    edit(small_book / "book.yaml", "author: Test Author", "author: Test Author\nstyle: {title: {size: 120pt}}")
    edit(small_book / "chapters/01.yaml", "title: One", "title: " + "Word " * 28)
    assert_rejected(compile_(small_book), "chapters/01.yaml:1:1:", "does not fit on its page", "shorten the title")


def test_problems_of_every_file_and_stage_come_in_one_report_sorted(small_book: Path) -> None:
    edit(small_book / "book.yaml", "author: Test Author", "auhtor: Test Author\nprinter: nope")
    chapter = small_book / "chapters/01.yaml"
    edit(chapter, "    caption: A landscape.", "    captoin: A landscape.")  # load: unknown key
    edit(chapter, "page: two-up", "page: two-upp")  # layout: unknown template
    edit(chapter, "photoset: photos/set", "photoset: photos/sett")  # load: missing folder
    result = compile_(small_book)
    assert_rejected(result, "book.yaml:2:1:", "unknown key 'auhtor'")
    assert_rejected(result, "book.yaml:3:10:", "unknown printer preset 'nope'")
    assert_rejected(result, "chapters/01.yaml:6:5:", "unknown key 'captoin'")
    assert_rejected(result, "chapters/01.yaml:7:15:", "photo set folder 'photos/sett' not found")
    assert_rejected(result, "chapters/01.yaml:8:5:", "unknown template 'two-upp'")
    places = [tuple(int(n) if n.isdigit() else n for n in m.groups())
              for m in re.finditer(r"^([\w/.]+):(\d+):(\d+): error", result.stderr, re.M)]
    assert places == sorted(places) and len(places) == 5
    assert "5 errors; nothing was written." in result.stderr


def test_a_template_frame_outside_the_page_is_an_error_at_its_line(small_book: Path) -> None:
    write(small_book / "layouts/wide.yaml", """
        name: wide
        frames:
          photo: {kind: photo, box: [0, 0, 100%, 60%]}
          note: {kind: caption, box: [50%, 70%, 80%, 10%], for: photo}
    """)
    assert_rejected(compile_(small_book), "layouts/wide.yaml:4:3:", "frame 'note' of template 'wide' reaches "
                    "outside the page")


def test_overlapping_template_frames_are_an_error(small_book: Path) -> None:
    write(small_book / "layouts/pile.yaml", """
        name: pile
        frames:
          a: {kind: photo, box: [0, 0, 60%, 60%]}
          b: {kind: photo, box: [40%, 40%, 60%, 60%]}
    """)
    assert_rejected(compile_(small_book), "layouts/pile.yaml:4:3:", "frames 'a' and 'b' of template 'pile' overlap")


def test_flex_rows_must_name_photo_frames_and_frames_need_a_box(small_book: Path) -> None:
    write(small_book / "layouts/rows.yaml", """
        name: rows
        suits: [any, any]
        flex: {rows: [[a, c]]}
        frames:
          a: {kind: photo}
          b: {kind: photo}
    """)
    result = compile_(small_book)
    assert_rejected(result, "layouts/rows.yaml:3:", "flex rows: 'c' is not a photo frame of this template")
    write(small_book / "layouts/rows.yaml", """
        name: rows
        suits: [any, any]
        flex: {rows: [[a]]}
        frames:
          a: {kind: photo}
          b: {kind: photo}
    """)
    assert_rejected(compile_(small_book), "layouts/rows.yaml:6:3:", "frame 'b' has no box", "flex rows")


def test_a_user_flex_template_is_picked_by_auto_layout(small_book: Path) -> None:
    """A manuscript's own template with `suits` joins the auto layout's choice."""
    from conftest import lay_out, photo

    for i in range(3, 5):
        photo(small_book / "photos" / "set" / f"{i:02}.jpg", (600, 400), (60 * i, 100, 100))
    # the figure before the set large enough to fill its page's width at print.min_ppi (a figure never
    # prints coarser), so that the set starts on a page of its own
    photo(small_book / "photos" / "a.jpg", (1800, 1200), (120, 80, 40))
    write(small_book / "layouts/five.yaml", """
        name: two-three
        description: Two photos side by side over three.
        suits: [landscape, landscape, landscape, landscape, landscape]
        flex: {rows: [[a, b], [c, d, e]], gap: 3mm}
        frames:
          a: {kind: photo}
          b: {kind: photo}
          c: {kind: photo}
          d: {kind: photo}
          e: {kind: photo}
    """)
    assert "two-three" in [t.name for t in auto_candidates(load_templates((small_book / "layouts",)))]
    book = lay_out(small_book)
    counts = [sum(1 for i in p.items if hasattr(i, "crop")) for p in book.pages]
    assert 5 in counts  # the set of five small photos went on one page of the author's template


def test_a_template_is_read_once_per_file_its_problems_told_at_every_call_and_an_edit_read_again(tmp_path: Path) -> None:
    """Load and layout (and a watch, rebuild after rebuild) ask for the same templates: each file is parsed once
    while it is unchanged, but a broken one is reported to every caller, and an edited one is read afresh."""
    from bookpress.diagnostics import Diagnostics
    from bookpress.load import templates as loader

    folder = tmp_path / "layouts"
    path = write(folder / "mine.yaml", "name: mine\nframes:\n  photo: {kind: photo, boxx: [0, 0, 100%, 60%]}\n")
    reads = []
    real = loader._read_template
    loader._read_template = lambda *args: reads.append(args[0]) or real(*args)
    try:
        told = [Diagnostics(), Diagnostics()]
        for diag in told:
            loader.load_templates((folder,), diag, tmp_path)
        assert reads.count(path) == 1
        assert all(d.has_errors and any("mine.yaml" in (item.file or "") for item in d.items) for d in told)
        write(path, "name: mine\nframes:\n  photo: {kind: photo, box: [0, 0, 100%, 60%]}\n")
        again = Diagnostics()
        assert loader.load_templates((folder,), again, tmp_path).get("mine") is not None
        assert reads.count(path) == 2 and not again.has_errors
    finally:
        loader._read_template = real
