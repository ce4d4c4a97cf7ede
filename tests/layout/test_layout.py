"""Layout geometry checked on the LaidOutBook itself: no PDF involved."""

from __future__ import annotations

from conftest import LOREM, lay_out

from bookpress.book import LinkArea, PlacedImage, PlacedText

FLOW_ROLES = {"body", "heading", "quote", "toc", "credits"}


def test_chapters_start_on_recto_pages(demo_book):
    starts = [e for e in demo_book.outline if e.level == 0 and demo_book.pages[e.page_index].section == "body"]
    assert len(starts) == 4
    for entry in starts:
        page = demo_book.pages[entry.page_index]
        assert page.side == "recto", f"{entry.title} starts on page {page.label}, a verso"


def test_blank_pages_are_truly_blank(demo_book):
    blanks = [p for p in demo_book.pages if p.kind == "blank"]
    assert blanks, "the demo needs at least one blank verso before a chapter"
    assert all(p.items == () for p in blanks)


def test_front_matter_roman_body_arabic(demo_book):
    front = [p for p in demo_book.pages if p.section == "front"]
    body = [p for p in demo_book.pages if p.section != "front"]
    assert [p.label for p in front[:4]] == ["i", "ii", "iii", "iv"]
    assert body[0].label == "1" and body[0].side == "recto"
    assert [p.label for p in body] == [str(i) for i in range(1, len(body) + 1)]


def test_toc_numbers_are_the_real_page_labels(demo_book):
    toc_pages = [p for p in demo_book.pages if p.kind == "toc"]
    assert toc_pages
    checked = 0
    for page in toc_pages:
        numbers = [t for t in page.items if isinstance(t, PlacedText) and t.role == "toc-number"]
        links = [t for t in page.items if isinstance(t, LinkArea)]
        assert len(numbers) == len(links) > 0
        for number, link in zip(numbers, links):
            target = demo_book.pages[link.page_index]
            assert number.text == target.label
            checked += 1
    # Every outline entry of the body appears in the contents with its page label.
    body_entries = [e for e in demo_book.outline if demo_book.pages[e.page_index].section != "front"]
    assert checked == len(body_entries)


def test_outline_points_at_the_pages_where_headings_are(demo_book):
    for entry in demo_book.outline:
        page = demo_book.pages[entry.page_index]
        texts = " ".join(t.text for t in page.items if isinstance(t, PlacedText))
        first_word = entry.title.split()[0].replace("'", "’")
        assert first_word in texts, f"'{entry.title}' not found on page {page.label}"


def test_no_text_outside_the_type_area(demo_book):
    margins_ok = 0
    for page in demo_book.pages:
        for item in page.items:
            if isinstance(item, PlacedText) and item.role in FLOW_ROLES:
                from bookpress.geometry import Rect

                trim = demo_book.geometry.trim
                # The live area of this side, from the demo's margins (22/16/18/22 mm).
                mm = 72 / 25.4
                left = 22 * mm if page.side == "recto" else 16 * mm
                live = Rect(left, 18 * mm, trim.width - 38 * mm, trim.height - 40 * mm)
                assert live.contains(item.bounds(), tolerance=0.6), (page.label, item.text[:40])
                margins_ok += 1
    assert margins_ok > 150  # the demo sets some 165 lines of running text and headings


def test_every_image_inside_the_page_or_its_bleed(demo_book):
    for page in demo_book.pages:
        bleed = demo_book.geometry.bleed_rect(page.side)
        for item in page.items:
            if isinstance(item, PlacedImage):
                assert bleed.contains(item.rect, tolerance=0.01), page.label
                left, top, right, bottom = item.crop
                assert 0 <= left < right <= item.photo.image.width + 0.01
                assert 0 <= top < bottom <= item.photo.image.height + 0.01
                # `fill` crops keep the frame's shape: no distortion
                crop_aspect = (right - left) / (bottom - top)
                assert abs(crop_aspect - item.rect.width / item.rect.height) < 0.01


def test_full_bleed_photo_reaches_the_bleed_edges(make_book):
    # the demo has no full-bleed page (its photos are too small for one at 250 ppi): a book of its own
    root = make_book({"chapters/one.yaml": """
        title: One
        blocks:
          - text: A line.
          - page: full-bleed
            slots: {photo: {photo: photos/wide1.jpg}}
          - page: full-bleed
            slots: {photo: {photo: photos/wide2.jpg}}
    """}, book_extra="print: {min_ppi: 50}\n")
    book = lay_out(root)
    pages = [p for p in book.pages if p.kind == "full-bleed"]
    assert len(pages) == 2 and {p.side for p in pages} == {"recto", "verso"}
    for page in pages:
        image = next(i for i in page.items if isinstance(i, PlacedImage))
        assert image.rect == book.geometry.bleed_rect(page.side)


def test_no_folio_or_head_on_openers_blank_or_full_bleed(demo_book):
    for page in demo_book.pages:
        roles = {t.role for t in page.items if isinstance(t, PlacedText)}
        if page.kind in ("opener", "full-bleed", "blank"):
            assert not roles & {"folio", "running-head"}, page.label
        if page.kind == "text":
            assert "folio" in roles, page.label


def test_running_heads_verso_book_title_recto_chapter(demo_book):
    seen = {"verso": 0, "recto": 0}
    for page in demo_book.pages:
        heads = [t for t in page.items if isinstance(t, PlacedText) and t.role == "running-head"]
        if not heads:
            continue
        text = heads[0].text.replace("’", "'")
        if page.side == "verso":
            assert text == demo_book.meta.title
        else:
            assert text == page.chapter
        seen[page.side] += 1
    assert seen["verso"] and seen["recto"]


def test_page_count_is_a_multiple_of_four(demo_book):
    assert len(demo_book.pages) % 4 == 0


def test_layout_twice_is_identical():
    from conftest import REPO

    first = lay_out(REPO / "manuscript")
    second = lay_out(REPO / "manuscript")
    assert first == second


def test_split_paragraphs_keep_two_lines_on_each_page():
    """No widows, no orphans: a split leaves at least two lines on both pages, or moves the paragraph."""
    from bookpress.layout.flow import Flow

    for total in range(1, 30):
        for capacity in range(0, total):
            keep = Flow._split_point(total, capacity, keep_together=False)
            assert keep <= capacity
            assert keep == 0 or (keep >= 2 and total - keep >= 2), (total, capacity, keep)


def test_long_text_flows_without_widows(make_book):
    paragraphs = "\n\n".join(f"Paragraph {n}. " + LOREM for n in range(60))
    root = make_book({"chapters/c.yaml": "title: Long\nblocks:\n  - text: |\n" +
                      "\n".join("      " + line for line in paragraphs.splitlines()) + "\n"})
    book = lay_out(root)
    pages = [p for p in book.pages if p.kind in ("text", "chapter-start")]
    assert len(pages) >= 4
    for page in pages:
        body = [t for t in page.items if isinstance(t, PlacedText) and t.role == "body"]
        # every page's text starts at a paragraph start or carries at least two lines over
        first_lines = [t.text for t in body[:2]]
        assert len(body) >= 2, (page.label, first_lines)


def test_auto_layout_keeps_order_and_shows_every_photo(make_book):
    root = make_book({"chapters/c.yaml": """
        title: Gallery
        blocks:
          - photo: photos/wide1.jpg
          - photo: photos/wide2.jpg
          - photo: photos/tall1.jpg
          - photo: photos/tall2.jpg
          - photo: photos/wide1.jpg
    """})
    book = lay_out(root)
    placed = [(p, i) for p in book.pages if p.section == "body" for i in p.items if isinstance(i, PlacedImage)]
    assert [i.photo.image.path.name for _, i in placed] == ["wide1.jpg", "wide2.jpg", "tall1.jpg", "tall2.jpg",
                                                            "wide1.jpg"]
    for _, item in placed:  # frames take the photos' shapes: nothing cropped, nothing letterboxed
        info = item.photo.image
        assert item.crop == (0.0, 0.0, float(info.width), float(info.height))
        assert abs(item.rect.width / item.rect.height - info.aspect) < 1e-6
    pages = {p.index for p, _ in placed}
    assert len(pages) <= 3  # shared pages, not one photo a page
    tall_pages = {p.index for p, i in placed if i.photo.image.path.name.startswith("tall")}
    assert len(tall_pages) == 1  # the two portraits side by side
    left, right = sorted((i.rect for _, i in placed if i.photo.image.path.name.startswith("tall")),
                         key=lambda r: r.x)
    assert abs(left.y - right.y) < 0.01 and abs(left.height - right.height) < 0.01


def test_spread_starts_on_a_verso_and_splits_at_the_gutter(make_book):
    root = make_book({"chapters/c.yaml": """
        title: Wide
        blocks:
          - text: Some words before the panorama.
          - spread: panorama
            slots: {photo: {photo: photos/wide1.jpg, caption: Across two pages.}}
    """})
    book = lay_out(root)
    spread = [p for p in book.pages if p.kind == "spread"]
    assert [p.side for p in spread] == ["verso", "recto"]
    left = next(i for i in spread[0].items if isinstance(i, PlacedImage))
    right = next(i for i in spread[1].items if isinstance(i, PlacedImage))
    width, bleed = book.geometry.trim.width, book.geometry.bleed
    # each half runs on past the fold into its page's inner bleed (the generic preset bleeds there)
    assert abs(left.rect.right - (width + bleed)) < 0.01 and abs(right.rect.x + bleed) < 0.01
    per_pt = (left.crop[2] - left.crop[0]) / left.rect.width

    def source_x(part, page_x):  # the source pixel column drawn at page_x
        return part.crop[0] + (page_x - part.rect.x) * per_pt

    # the two halves meet in the source image at the fold, and what runs on is the picture's continuation
    assert abs(source_x(left, width) - source_x(right, 0.0)) < 0.01
    assert abs(source_x(left, width + bleed) - source_x(right, bleed)) < 0.01


def test_no_text_prints_over_a_photo(demo_book):
    for page in demo_book.pages:
        images = [i.rect for i in page.items if isinstance(i, PlacedImage)]
        for item in page.items:
            if isinstance(item, PlacedText):
                assert not any(r.intersects(item.bounds()) for r in images), (page.label, item.role, item.text)


def test_a_chapter_of_photos_only_opens_with_its_title(make_book):
    root = make_book({"chapters/c.yaml": """
        title: Only Pictures
        blocks:
          - photo: photos/wide1.jpg
          - photo: photos/wide2.jpg
          - photo: photos/tall1.jpg
    """})
    book = lay_out(root)
    body = [p for p in book.pages if p.section == "body"]
    assert body[0].kind == "chapter-start"
    assert "Only Pictures" in " ".join(t.text for t in body[0].items if isinstance(t, PlacedText))
    first_photo = next(i for i, p in enumerate(body) if any(isinstance(x, PlacedImage) for x in p.items))
    assert first_photo <= 1
    assert not any(p.kind == "chapter-start" for p in body[1:])


def test_measure_narrows_running_text_but_not_photos(make_book):
    # EB Garamond: a narrow face, so the wide photo still shares the text's page (what is measured here)
    root = make_book(book_extra="format: {trim: a4, margins: {inside: 20mm, outside: 20mm, top: 20mm, bottom: 20mm}}\n"
                                "style: {measure: 100mm, body: {font: EB Garamond}}\n")
    book = lay_out(root)
    mm = 72 / 25.4
    live_width = (210 - 40) * mm
    column_left = 20 * mm + (live_width - 100 * mm) / 2
    body = [t for p in book.pages if p.kind in ("text", "chapter-start") for t in p.items
            if isinstance(t, PlacedText) and t.role == "body"]
    assert body
    for line in body:
        assert line.x >= column_left - 0.5 and line.x + line.width <= column_left + 100 * mm + 0.5
    assert max(line.width for line in body) > 95 * mm  # justified lines fill the column
    figures = [i for p in book.pages if p.kind in ("text", "chapter-start", "photo") for i in p.items
               if isinstance(i, PlacedImage)]
    assert figures and max(f.rect.width for f in figures) > 100 * mm + 1  # photos use the whole type area
