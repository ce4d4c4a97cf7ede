"""Per-chapter rebuilds: a chapter whose inputs are unchanged is recalled, not laid out again; pages whose
content is unchanged reuse their drawing; the result is the book an uncached build makes, page for page."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from reportlab.pdfbase import pdfmetrics
from conftest import LOREM

from bookpress.layout import ChapterMemory, layout_book
from bookpress.layout.records import digest
from bookpress.load import load_manuscript
from bookpress.options import Request, build_options
from bookpress.pipeline import compile_book
from bookpress.render import draw_pdf

SERIAL = Request(jobs=1)


def chapter(title: str, paragraphs: int, photo: str | None = None) -> str:
    blocks = [f'  - text: "{word} {LOREM}"' for word in ["Morning", "Noon", "Evening", "Night"] * paragraphs]
    blocks = blocks[:paragraphs]
    if photo:
        blocks.insert(1, f"  - photo: {photo}\n    caption: Seen from the bridge.")
    return f"title: {title}\nblocks:\n" + "\n".join(blocks) + "\n"


@pytest.fixture
def book(make_book) -> Path:
    return make_book({"chapters/one.yaml": chapter("One", 6, "photos/wide1.jpg"),
                      "chapters/two.yaml": chapter("Two", 5),
                      "chapters/three.yaml": chapter("Three", 6, "photos/tall1.jpg")})


def lay_out(root: Path, memory: ChapterMemory | None):
    manuscript = load_manuscript(root)
    options = build_options(manuscript, SERIAL)
    return layout_book(manuscript, options.preset, None, memory), options


def replace_in(root: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = root / "chapters" / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, count))


def folios(book) -> list[tuple[str, str]]:
    """(page label, the folio printed on it) for every page that prints one."""
    return [(page.label, item.text) for page in book.pages for item in page.items
            if getattr(item, "role", None) == "folio"]


def test_a_one_word_edit_lays_out_only_its_chapter(book, tmp_path):
    records = tmp_path / "records"
    first = ChapterMemory(records)
    lay_out(book, first)
    assert first.laid == [1, 2, 3] and first.recalled == []

    replace_in(book, "two.yaml", "Noon", "Midday")
    again = ChapterMemory(records)
    cached, _ = lay_out(book, again)
    assert again.laid == [2] and again.recalled == [1, 3]
    fresh, _ = lay_out(book, None)
    assert cached == fresh  # every page, item and glyph as an uncached layout sets them
    assert any("Midday" in item.text for page in cached.pages for item in page.items if hasattr(item, "text"))


def test_a_chapter_laid_out_again_sets_only_its_changed_paragraph_again(book, tmp_path):
    from bookpress.layout.context import _set_text

    records = tmp_path / "records"
    lay_out(book, ChapterMemory(records))
    replace_in(book, "two.yaml", "Noon", "Midday")
    _set_text.cache_clear()  # as in a new process: the lines can only come from the records
    again = ChapterMemory(records)
    cached, _ = lay_out(book, again)
    assert again.laid == [2]
    assert again.paragraphs_set == 1  # the paragraph with the new word; the title and the other four recalled
    assert again.paragraphs_recalled >= 4
    _set_text.cache_clear()
    fresh, _ = lay_out(book, None)
    assert cached == fresh  # every line, fragment and glyph as setting the paragraphs afresh makes them


def test_a_one_word_edit_sets_no_contents_entry_folio_or_running_head_again(book, tmp_path, monkeypatch):
    from bookpress.layout import context

    records = tmp_path / "records"
    first, _ = lay_out(book, ChapterMemory(records))
    assert any(item.role == "toc" for page in first.pages for item in page.items if hasattr(item, "role"))
    replace_in(book, "two.yaml", "Noon", "Midday")
    context._set_text.cache_clear()  # as in a new process: the lines can only come from the records
    setter, set_again = context._set_text, []
    monkeypatch.setattr(context, "_set_text", lambda fonts, *inputs: set_again.append(inputs[1]) or
                        setter(fonts, *inputs))
    cached, _ = lay_out(book, ChapterMemory(records))
    assert len(set_again) == 1 and "Midday" in set_again[0]  # the edited paragraph, and nothing else
    monkeypatch.setattr(context, "_set_text", setter)
    setter.cache_clear()
    assert cached == lay_out(book, None)[0]


def test_a_damaged_paragraph_record_is_set_afresh(book, tmp_path):
    from bookpress.layout.context import _set_text

    records = tmp_path / "records"
    lay_out(book, ChapterMemory(records))
    for path in (records / "paragraphs").glob("*.json"):
        record = json.loads(path.read_bytes())
        for lines in record["value"]["paragraphs"].values():
            lines[0] = "not lines"
        (records / "paragraphs" / f"{path.name.split('-')[0]}-{digest(json.dumps(record).encode())[:16]}.json") \
            .write_text(json.dumps(record))
        path.unlink()
    replace_in(book, "one.yaml", "Morning", "Daybreak")
    replace_in(book, "two.yaml", "Noon", "Midday")
    _set_text.cache_clear()
    again = ChapterMemory(records)
    cached, _ = lay_out(book, again)
    assert again.laid == [1, 2] and again.paragraphs_recalled == 0 and again.paragraphs_set >= 11
    _set_text.cache_clear()
    assert cached == lay_out(book, None)[0]


def test_a_compile_with_errors_keeps_no_layout_but_reads_the_kept_one(book):
    records = book / "build" / ".cache" / "layout"
    replace_in(book, "two.yaml", "title: Two", "title: Two\nunknown_key: 1")
    assert compile_book_fails(book)
    assert not (book / "build").exists()  # a book never compiled gets no build/ folder from a failed compile

    replace_in(book, "two.yaml", "title: Two\nunknown_key: 1", "title: Two")
    compile_book(book, SERIAL)
    kept = sorted(path.name for path in records.rglob("*.json"))
    replace_in(book, "one.yaml", "Morning", "Daybreak")
    replace_in(book, "two.yaml", "title: Two", "title: Two\nunknown_key: 1")
    assert compile_book_fails(book)
    assert sorted(path.name for path in records.rglob("*.json")) == kept  # nothing written for the broken build


def compile_book_fails(root: Path) -> bool:
    from bookpress.diagnostics import ManuscriptError

    try:
        compile_book(root, SERIAL)
    except ManuscriptError:
        return True
    return False


def test_a_chapter_that_grows_by_pages_moves_the_later_chapters_folios(book, tmp_path):
    records = tmp_path / "records"
    before, _ = lay_out(book, ChapterMemory(records))
    longer = "\n".join(f'  - text: "More {LOREM}"' for _ in range(24))
    replace_in(book, "one.yaml", "blocks:\n", "blocks:\n" + longer + "\n")
    memory = ChapterMemory(records)
    after, _ = lay_out(book, memory)
    assert memory.laid == [1] and memory.recalled == [2, 3]
    assert after == lay_out(book, None)[0]
    # Chapter three was recalled from before, and its pages print their new numbers.
    start = next(entry.page_index for entry in after.outline if entry.title == "Three")
    old_start = next(entry.page_index for entry in before.outline if entry.title == "Three")
    assert start > old_start
    assert folios(after) and all(label == text for label, text in folios(after))
    contents = [item.text for page in after.pages if page.kind == "toc" for item in page.items
                if getattr(item, "role", None) == "toc-number"]
    assert after.pages[start].label in contents


def test_a_rebuild_redraws_only_the_changed_pages_and_draws_what_an_uncached_build_draws(book, tmp_path):
    pages_cache = tmp_path / "pages"
    records = tmp_path / "records"
    lay_out(book, ChapterMemory(records))
    laid, options = lay_out(book, ChapterMemory(records))
    first = {}
    draw_pdf(laid, tmp_path / "first.pdf", options.render, cache=pages_cache, counts=first)
    before = laid
    replace_in(book, "three.yaml", "Evening", "Morning")  # no glyph the book did not have: see pagecache.py
    laid, options = lay_out(book, ChapterMemory(records))
    counts = {}
    draw_pdf(laid, tmp_path / "cached.pdf", options.render, cache=pages_cache, counts=counts)
    draw_pdf(lay_out(book, None)[0], tmp_path / "fresh.pdf", options.render)
    # Only the pages that draw something else are drawn: the edited one, and those with links (their
    # annotations live outside the stream). Chapter three's other pages, and the front and back matter,
    # are reused, by origin or by what they draw.
    drawn_before = {_drawing(page) for page in before.pages}
    changed = [page for page in laid.pages
               if _drawing(page) not in drawn_before or (options.render.links and _links(page))]
    three = [page for page in laid.pages if page.chapter == "Three"]
    # A first build draws each drawing once (two blank versos are one drawing).
    assert first == {"drawn": len(drawn_before), "reused": len(laid.pages) - len(drawn_before)}
    assert counts == {"drawn": len(changed), "reused": len(laid.pages) - len(changed)}
    assert [page for page in changed if not _links(page)] and len(changed) < len(three)
    # A PDF/X book makes no annotations: its contents pages, links and all, are reused like the rest.
    assert not options.render.links and any(_links(page) for page in laid.pages if page not in changed)
    unchanged = [page for page in laid.pages if page not in changed]
    with pikepdf.open(tmp_path / "cached.pdf") as cached, pikepdf.open(tmp_path / "fresh.pdf") as fresh:
        assert len(cached.pages) == len(fresh.pages)
        for a, b in zip(cached.pages, fresh.pages):
            assert a.Contents.read_bytes() == b.Contents.read_bytes()  # the same operators, codes and forms
    assert _texts(tmp_path / "cached.pdf") == _texts(tmp_path / "fresh.pdf")

    # A letter the book never had (a code of its own) changes no other page's codes: they are reused still.
    replace_in(book, "three.yaml", "Morning", "Zanzibar")
    laid, options = lay_out(book, ChapterMemory(records))
    counts = {}
    draw_pdf(laid, tmp_path / "zed.pdf", options.render, cache=pages_cache, counts=counts)
    assert counts["reused"] == len(unchanged)
    draw_pdf(lay_out(book, None)[0], tmp_path / "zed-fresh.pdf", options.render)
    assert _texts(tmp_path / "zed.pdf") == _texts(tmp_path / "zed-fresh.pdf")
    assert "Zanzibar" in "".join(_texts(tmp_path / "zed.pdf"))


def _drawing(page) -> tuple:
    return page.side, page.kind, page.section, repr(page.items)


def _links(page) -> bool:
    return any(type(item).__name__ == "LinkArea" or any(f.link for f in getattr(item, "fragments", ()))
               for item in page.items)


def test_where_links_are_made_a_page_with_links_is_drawn_every_time(book, tmp_path):
    """A proof (or a pdfx: none book) makes the contents' links: annotations outside the stream, never reused."""
    laid, options = lay_out(book, None)
    linked = replace(options.render, links=True)
    pages_cache = tmp_path / "pages"
    draw_pdf(laid, tmp_path / "first.pdf", linked, cache=pages_cache)
    counts = {}
    draw_pdf(laid, tmp_path / "again.pdf", linked, cache=pages_cache, counts=counts)
    assert counts["drawn"] == sum(map(_links, laid.pages)) > 0
    with pikepdf.open(tmp_path / "again.pdf") as again:
        assert any("/Annots" in page.obj for page in again.pages)


def test_a_page_whose_font_file_changed_is_drawn_again(book, tmp_path):
    """A font replaced on disk under the same name draws other outlines and advances: no page is reused."""
    fonts = book / "fonts"
    fonts.mkdir()
    own = fonts / "GentiumBookPlus-Regular.ttf"  # the body face, the manuscript's own copy
    own.write_bytes((Path(__file__).parents[2] / "fonts" / own.name).read_bytes())
    laid, options = lay_out(book, None)
    assert any(Path(pdfmetrics.getFont(name).face.filename) == own for name in laid.fonts)
    pages_cache = tmp_path / "pages"
    draw_pdf(laid, tmp_path / "first.pdf", options.render, cache=pages_cache, counts={})
    counts = {}
    draw_pdf(laid, tmp_path / "again.pdf", options.render, cache=pages_cache, counts=counts)
    assert counts["drawn"] == 0  # nothing changed: everything reused
    own.write_bytes(own.read_bytes() + b"\0" * 4)  # another file now (size and time), the same tables
    counts = {}
    draw_pdf(laid, tmp_path / "changed.pdf", options.render, cache=pages_cache, counts=counts)
    assert counts["drawn"] == len({_drawing(page) for page in laid.pages})  # none kept from before


def test_a_cached_rebuild_compiles_the_book_an_uncached_one_does(book, tmp_path):
    compile_book(book, SERIAL)
    replace_in(book, "one.yaml", "Morning", "Daybreak")
    cached = compile_book(book, SERIAL).pdf
    uncached = compile_book(book, Request(jobs=1, cache=False, output=tmp_path / "uncached.pdf")).pdf
    assert _texts(cached) == _texts(uncached)
    assert _boxes_and_images(cached) == _boxes_and_images(uncached)


def test_a_damaged_or_foreign_record_is_ignored_and_rebuilt(book, tmp_path):
    records = tmp_path / "records"
    lay_out(book, ChapterMemory(records))
    files = sorted(records.glob("*.json"))
    assert len(files) == 3
    files[0].write_bytes(files[0].read_bytes()[:-40])  # cut short, as by a full disk
    # Another chapter's record under this one's name, with a checksum that matches its bytes.
    key = files[1].name.split("-")[0]
    other = files[2].read_bytes()
    files[1].unlink()
    (records / f"{key}-{digest(other)[:16]}.json").write_bytes(other)
    memory = ChapterMemory(records)
    cached, _ = lay_out(book, memory)
    assert len(memory.laid) == 2 and len(memory.recalled) == 1
    assert memory.store.damaged == 2
    assert cached == lay_out(book, None)[0]
    assert len(list(records.glob("*.json"))) == 3  # the damaged ones replaced by good ones


def test_no_cache_keeps_no_records_and_the_limit_prunes_them(book):
    compile_book(book, Request(jobs=1, cache=False))
    assert not (book / "build" / ".cache" / "layout").exists()
    compile_book(book, SERIAL)
    assert list((book / "build" / ".cache" / "layout").glob("*.json"))
    assert list((book / "build" / ".cache" / "pages").glob("*.json"))
    compile_book(book, Request(jobs=1, cache_limit=0))
    assert not list((book / "build" / ".cache" / "layout").glob("*.json"))
    assert not list((book / "build" / ".cache" / "pages").glob("*.json"))


def _texts(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def _boxes_and_images(pdf: Path) -> list:
    """Every page's boxes and the bytes of every image drawn on it."""
    import hashlib

    found = []
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            boxes = [list(map(float, page.obj[name])) for name in ("/MediaBox", "/TrimBox", "/BleedBox")
                     if name in page.obj]
            images = sorted(hashlib.sha256(image.read_raw_bytes()).hexdigest()
                            for image in _images(page))
            found.append((boxes, images))
    return found


def _images(page):
    for _, xobject in (page.obj.get("/Resources", {}).get("/XObject", {}) or {}).items():
        if xobject.get("/Subtype") == "/Image":
            yield xobject
        elif xobject.get("/Subtype") == "/Form":
            for _, inner in (xobject.get("/Resources", {}).get("/XObject", {}) or {}).items():
                if inner.get("/Subtype") == "/Image":
                    yield inner


def test_a_paragraph_that_needed_a_font_it_lacked_or_borrowed_is_not_kept():
    """Whether a character is missing, or which family sets it, depends on the machine's fonts too."""
    from bookpress.layout.paragraphs import ParagraphMemo, SetText

    memo = ParagraphMemo(fonts=None, earlier=None)
    memo.now = {"missing": SetText((), ("\u2603",), frozenset({"regular"})),
                "borrowed": SetText((), (), frozenset({"regular"}), (("Noto Sans CJK", "東京"),)),
                "plain": SetText((), (), frozenset({"regular"}))}
    assert set(memo.record()["paragraphs"]) == {"plain"}


def test_a_page_record_that_is_not_a_deflated_stream_is_drawn_afresh(book, tmp_path):
    """A record of the right key but the wrong content (the raw operators an older version kept, or base64
    that does not inflate) is never written into the PDF: the page is drawn again."""
    pages_cache = tmp_path / "pages"
    laid, options = lay_out(book, None)
    draw_pdf(laid, tmp_path / "first.pdf", options.render, cache=pages_cache)
    kept = sorted(pages_cache.glob("*.json"))
    assert kept
    for number, path in enumerate(kept):
        key = json.loads(path.read_bytes())["key"]
        wrong = ["BT /F1 12 Tf (raw) Tj ET", []] if number % 2 else ["deflated", "bm90IHpsaWI=", []]
        data = json.dumps({"key": key, "value": wrong}, separators=(",", ":")).encode()
        path.unlink()
        (pages_cache / f"{key}-{digest(data)[:16]}.json").write_bytes(data)
    counts = {}
    draw_pdf(laid, tmp_path / "again.pdf", options.render, cache=pages_cache, counts=counts)
    # Every drawing drawn afresh (once: a second blank verso takes what the first one drew this build).
    assert counts["drawn"] == len({_drawing(page) for page in laid.pages})
    with pikepdf.open(tmp_path / "again.pdf") as again, pikepdf.open(tmp_path / "first.pdf") as first:
        for a, b in zip(again.pages, first.pages):
            assert a.Contents.read_bytes() == b.Contents.read_bytes()


def test_a_font_file_changed_on_disk_lays_every_chapter_out_again(book, tmp_path):
    """The records are keyed by the state of every font file the book may be set in: a changed file recalls
    nothing, even one rewritten to the same size and given back its old time."""
    fonts = book / "fonts"
    fonts.mkdir()
    own = fonts / "GentiumBookPlus-Regular.ttf"
    own.write_bytes((Path(__file__).parents[2] / "fonts" / own.name).read_bytes())
    records = tmp_path / "records"
    lay_out(book, ChapterMemory(records))
    unchanged = ChapterMemory(records)
    lay_out(book, unchanged)
    assert unchanged.recalled == [1, 2, 3] and unchanged.laid == []
    own.write_bytes(own.read_bytes() + b"\0" * 4)
    changed = ChapterMemory(records)
    lay_out(book, changed)
    assert changed.recalled == [] and changed.laid == [1, 2, 3]
    stamp = own.stat()
    own.write_bytes(own.read_bytes()[:-4] + b"\1" * 4)
    os.utime(own, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert own.stat().st_size == stamp.st_size and own.stat().st_mtime_ns == stamp.st_mtime_ns
    rewritten = ChapterMemory(records)
    lay_out(book, rewritten)
    assert rewritten.recalled == [] and rewritten.laid == [1, 2, 3]


def test_a_one_word_edit_asks_the_locale_data_nothing_and_prints_the_same_words(book, tmp_path, monkeypatch):
    """The lists of names, the date and the trim in the copyright page and colophon come from Babel once; a
    rebuild recalls them with the paragraphs of the front and back matter (Babel costs ~35 ms to load)."""
    import babel.lists

    replace_in(book, "../book.yaml", "title:", "date: 2026-03\ntitle:")
    records = tmp_path / "records"
    first, _ = lay_out(book, ChapterMemory(records))
    asked = []
    real = babel.lists.format_list
    monkeypatch.setattr(babel.lists, "format_list", lambda *a, **k: asked.append(a) or real(*a, **k))
    replace_in(book, "two.yaml", "Noon", "Midday")
    again, _ = lay_out(book, ChapterMemory(records))
    assert asked == []
    fresh, _ = lay_out(book, None)
    assert asked  # without the records, Babel is asked
    words = [item.text for page in again.pages for item in page.items if getattr(item, "role", "") == "copyright"]
    assert words == [item.text for page in fresh.pages for item in page.items
                     if getattr(item, "role", "") == "copyright"]
    assert any("March 2026" in text for text in words)
