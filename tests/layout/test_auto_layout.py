"""Auto layout on whole books: what a designer checks on the laid-out pages (no PDF needed)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from conftest import LOREM, lay_out, photo, write

from bookpress.book import PlacedImage, PlacedText
from bookpress.geometry import Rect

MM = 72 / 25.4
SHAPES = [(2400, 1600), (1600, 2400), (1800, 1800), (2560, 1440), (2000, 1500), (800, 2400), (2700, 900), (400, 300)]


def mixed_book(root: Path, trim: str, printer: str, count: int = 32, seed: int = 5) -> Path:
    """Chapters of notes and auto photo runs (photo sets and photo blocks) of every shape, tiny ones too."""
    rng = random.Random(seed)
    names = []
    for i in range(count):
        size = SHAPES[i % len(SHAPES)] if i < len(SHAPES) else rng.choice(SHAPES)
        names.append(f"{i:02d}.jpg")
        photo(root / "photos" / "all" / names[-1], size, (rng.randint(20, 200), 90, 120))
    blocks: list[dict] = []
    for part, start in enumerate(range(0, count, 8)):
        chunk = names[start:start + 8]
        blocks += [{"heading": f"Place {part}"}, {"text": LOREM[: 80 + 60 * part]}]
        if part % 2:
            folder = root / "photos" / f"set{part}"
            for name in chunk:
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes((root / "photos" / "all" / name).read_bytes())
            write(folder / "photoset.yaml", json.dumps({"photos": [
                {"file": n, **({"caption": "A caption of a few words."} if i % 2 else {})}
                for i, n in enumerate(chunk)]}))
            blocks.append({"photoset": f"photos/set{part}"})
        else:
            blocks += [{"photo": f"photos/all/{n}", **({"caption": "Seen from the bridge."} if i % 3 else {})}
                       for i, n in enumerate(chunk)]
    write(root / "chapters" / "one.yaml", json.dumps({"title": "Travels", "blocks": blocks}))
    write(root / "book.yaml", json.dumps({"title": "Mixed", "author": "T", "printer": printer, "format": {"trim": trim},
                                          "chapters": ["chapters/one.yaml"]}))
    return root


def live_rect(book, page) -> Rect:
    m, trim = book.geometry.margins, book.geometry.trim
    left = m.inside if page.side == "recto" else m.outside
    return Rect(left, m.top, trim.width - m.inside - m.outside, trim.height - m.top - m.bottom)


def used_share(book, page) -> float:
    live, area = live_rect(book, page), 0.0
    for item in page.items:
        if isinstance(item, PlacedImage):
            area += max(0.0, min(item.rect.right, live.right) - max(item.rect.x, live.x)) * \
                max(0.0, min(item.rect.bottom, live.bottom) - max(item.rect.y, live.y))
        elif isinstance(item, PlacedText) and item.role not in ("folio", "running-head"):
            area += item.width * max(f.size for f in item.fragments) * 1.3
    titles = [i.baseline for i in page.items if isinstance(i, PlacedText) and i.role == "title"]
    if page.kind == "chapter-start" and titles:  # the white above a chapter's title is the opening's own
        area += live.width * (min(titles) - live.y)
    return area / (live.width * live.height)


@pytest.fixture(scope="module", params=[("10x8in", "blurb"), ("8.5x8.5in", "kdp"), ("a4", "generic")])
def mixed(request, tmp_path_factory):
    trim, printer = request.param
    root = mixed_book(tmp_path_factory.mktemp(printer) / "book", trim, printer)
    return trim, lay_out(root)


def body_images(book):
    return [(page, item) for page in book.pages if page.section == "body" for item in page.items
            if isinstance(item, PlacedImage)]


def test_every_photo_once_in_order_most_of_it_kept_and_sharp_enough(mixed):
    _, book = mixed
    placed = body_images(book)
    assert [item.photo.image.path.name for _, item in placed] == [f"{i:02d}.jpg" for i in range(32)]
    kept = []
    for _, item in placed:
        left, top, right, bottom = item.crop
        info = item.photo.image
        kept.append((right - left) * (bottom - top) / (info.width * info.height))
        assert (right - left) / (item.rect.width / 72) >= 200 - 0.5  # blurb asks 300, the others 200
    assert min(kept) >= 0.7 and sum(kept) / len(kept) >= 0.9


def test_photo_pages_are_shared(mixed):
    trim, book = mixed
    per_page = [sum(isinstance(i, PlacedImage) for i in p.items) for p in book.pages if p.section == "body"]
    per_page = [n for n in per_page if n]
    assert sum(per_page) / len(per_page) >= (1.6 if trim == "10x8in" else 1.4)


def test_every_frame_inside_the_type_area_or_the_bleed(mixed):
    _, book = mixed
    for page, item in body_images(book):
        if item.bleeds:
            assert book.geometry.bleed_rect(page.side).contains(item.rect, 0.5), page.label
        else:
            assert live_rect(book, page).contains(item.rect, 0.5), (page.label, item.rect)


def test_one_gutter_between_photos_across_and_down(mixed):
    """Photos of one row are one gap apart; photo pages hang from the top of the type area."""
    _, book = mixed
    rows = 0
    for page in book.pages:
        images = sorted((i.rect for i in page.items if isinstance(i, PlacedImage)), key=lambda r: (r.y, r.x))
        if page.kind == "photo" and images:
            assert abs(min(r.y for r in images) - live_rect(book, page).y) < 0.5, page.label
        for a, b in zip(images, images[1:]):
            if abs(a.y - b.y) < 0.01:  # side by side, tops aligned
                assert b.x - a.right > 4 * MM - 0.05, page.label  # never closer than the gap
                if abs(a.height - b.height) < 0.01:  # one row of photos at one height: exactly the gap
                    assert abs(b.x - a.right - 4 * MM) < 0.05, page.label
                    rows += 1
    assert rows


def test_no_near_empty_pages(mixed):
    _, book = mixed
    body = [p for p in book.pages if p.section == "body" and p.kind not in ("blank", "full-bleed", "spread")]
    near = [p.label for p in body[:-1] if used_share(book, p) < 0.25]  # the chapter's last page may be short
    assert not near


def test_a_short_note_shares_the_page_of_its_photos(make_book):
    root = make_book({"chapters/c.yaml": f"""
        title: Notes
        blocks:
          - text: "{LOREM}"
          - heading: A place
          - text: Two lines about the place, no more.
          - photo: photos/wide1.jpg
          - photo: photos/wide2.jpg
          - heading: Another place
          - text: A note about it.
          - photo: photos/tall1.jpg
          - photo: photos/tall2.jpg
    """})
    book = lay_out(root)
    for note in ("Two lines about the place", "A note about it"):
        page = next(p for p in book.pages if any(isinstance(t, PlacedText) and note in t.text for t in p.items))
        assert any(isinstance(i, PlacedImage) for i in page.items), note
    body = [p for p in book.pages if p.section == "body" and p.kind != "blank"]
    assert all(used_share(book, p) >= 0.25 for p in body[:-1])


def last_page(book):
    return [p for p in book.pages if p.section == "body" and p.kind != "blank"][-1]


def few_lines_alone(book) -> bool:
    page = last_page(book)
    lines = [t for t in page.items if isinstance(t, PlacedText) and t.role == "body"]
    return bool(lines) and not any(isinstance(i, PlacedImage) for i in page.items) and used_share(book, page) < 0.1


def test_a_chapters_last_few_lines_are_pulled_back_by_smaller_figures(make_book, monkeypatch):
    """A chapter ending with a few lines on a page of their own: its inline figures shrink a little instead."""
    import bookpress.layout.filling as filling

    found = None
    for paragraphs in range(2, 14):
        text = "\n\n".join([LOREM] * paragraphs)
        body = "".join(f"      {line}\n" for line in text.split("\n"))
        chapter = {"chapters/c.yaml": f"title: Ending\nblocks:\n  - text: |\n{body}  - photo: photos/wide1.jpg\n"
                   f"  - text: |\n{body}"}
        root = make_book(chapter)
        with monkeypatch.context() as patch:
            patch.setattr(filling, "FIGURE_SCALES", (1.0,))  # figures as large as ever: the old layout
            before = lay_out(root)
        # What the patched rule laid out is kept under the real code's hash: not to be recalled below.
        shutil.rmtree(root / "build" / ".cache" / "layout", ignore_errors=True)
        if few_lines_alone(before):
            found = root
            break
    assert found is not None, "no text length left a few lines alone on the last page"
    after = lay_out(found)
    assert not few_lines_alone(after)
    assert len(after.pages) <= len(before.pages)


def test_the_authors_focus_holds_in_every_slot_of_that_photo(make_book):
    """Focus given once (here in photoset.yaml) is used where the same photo fills a named template's slot."""
    root = make_book({"chapters/c.yaml": """
        title: Focus
        blocks:
          - photoset: photos/set
          - page: full-bleed
            slots: {photo: {photo: photos/set/wide.jpg}}
    """}, book_extra="format: {trim: a4}\n")
    photo(root / "photos" / "set" / "wide.jpg", (3000, 1000))
    write(root / "photos" / "set" / "photoset.yaml", "photos:\n  - file: wide.jpg\n    focus: [0.9, 0.5]\n")
    book = lay_out(root)
    bleed_page = next(p for p in book.pages if p.kind == "full-bleed")
    (item,) = [i for i in bleed_page.items if isinstance(i, PlacedImage)]
    assert item.crop[2] == 3000.0  # slid to the right, as the focus asks (centred it would stop near 2000)
