"""Press writes the pressed file beside the drawn one: an interrupt half-way leaves nothing behind."""

from __future__ import annotations

import pytest


def test_a_press_interrupted_while_saving_leaves_no_file_beside_the_book(make_book, tmp_path, monkeypatch):
    """Ctrl-C (or any failure) half-way through writing the pressed file: the drawn file is as it was and no
    `.pressed` file is left in the build folder (a watch stopped by a signal must leave its folder clean)."""
    from bookpress.layout import layout_book
    from bookpress.load import load_manuscript
    from bookpress.options import Request, build_options
    from bookpress.press import document
    from bookpress.render import draw_pdf

    manuscript = load_manuscript(make_book())
    options = build_options(manuscript, Request(jobs=1))
    book = layout_book(manuscript, options.preset)
    build = tmp_path / "build"
    build.mkdir()
    drawn = build / "book.drawn"
    draw_pdf(book, drawn, options.render)
    before = drawn.read_bytes()

    def interrupted(pdf, path, *args):
        path.write_bytes(b"%PDF-1.6 half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(document, "save_pressed", interrupted)
    with pytest.raises(KeyboardInterrupt):
        document.press_pdf(book, drawn, options.press)
    assert sorted(p.name for p in build.iterdir()) == ["book.drawn"] and drawn.read_bytes() == before
