"""Preflight on photos: placed again (unless meant), crops that cut a detected subject."""

from __future__ import annotations

import json

from conftest import photo, subject_photo, write

from bookpress.options import Request
from bookpress.pipeline import compile_book


def findings(root, check):
    compile_book(root, Request(jobs=1))
    report = json.loads(next((root / "build").glob("*.preflight.json")).read_text())
    return [f for f in report["findings"] if f["check"] == check]


def book(root, blocks: str):
    photo(root / "photos" / "a.jpg", (1500, 1000))
    photo(root / "photos" / "b.jpg", (1500, 1000), (150, 60, 20))
    photo(root / "photos" / "c.jpg", (1500, 1000), (20, 150, 60))
    write(root / "chapters" / "one.yaml", "title: Twice\nblocks:\n" + blocks)
    write(root / "book.yaml", "title: T\nauthor: A\nchapters: [chapters/one.yaml]\n")
    return root


def full(path: str, extra: str = "") -> str:
    return f"  - page: photo-caption\n    slots: {{photo: {{photo: {path}{extra}}}}}\n"


def test_a_photo_placed_again_is_a_warning_naming_both_pages(tmp_path):
    root = book(tmp_path / "b", full("photos/a.jpg") + full("photos/b.jpg") + full("photos/c.jpg")
                + full("photos/a.jpg"))
    (found,) = findings(root, "repeat")
    assert found["severity"] == "warning" and "a.jpg is placed again (first on p." in found["message"]
    assert found["where"].startswith("chapters/one.yaml:10:")  # the second use (the fourth block)


def test_twice_on_one_spread_is_said_so(tmp_path):
    root = book(tmp_path / "b", full("photos/a.jpg") + full("photos/a.jpg") + full("photos/b.jpg"))  # pp. 2 and 3
    (found,) = findings(root, "repeat")
    assert "twice on the same spread" in found["message"]


def test_repeat_true_says_it_is_meant(tmp_path):
    root = book(tmp_path / "b", full("photos/a.jpg") + full("photos/b.jpg") + full("photos/a.jpg", ", repeat: true"))
    assert findings(root, "repeat") == []


def one_page(root, slot: str):
    write(root / "chapters" / "one.yaml", f"""
        title: Cut
        blocks:
          - page: full-bleed
            slots: {{photo: {{{slot}}}}}
    """)
    write(root / "book.yaml", "title: T\nauthor: A\nformat: {trim: a4}\nchapters: [chapters/one.yaml]\n")
    return root


def test_a_crop_that_cuts_the_subject_is_reported_unless_the_author_chose_it(tmp_path):
    root = tmp_path / "b"
    subject_photo(root / "photos" / "edge.jpg", disc=(2100, 600, 2390, 900))
    assert findings(one_page(root, "photo: photos/edge.jpg"), "subject") == []  # the crop slides to keep the disc
    # a subject wider than a portrait page's share of a landscape: no crop can keep it whole
    subject_photo(root / "photos" / "wide.jpg", disc=(150, 650, 2250, 950))
    (found,) = findings(one_page(root, "photo: photos/wide.jpg"), "subject")
    assert found["severity"] == "warning" and "the crop of wide.jpg cuts its subject" in found["message"]
    assert found["where"].startswith("chapters/one.yaml:")
    # the author's focus wins and is not second-guessed
    assert findings(one_page(root, "photo: photos/wide.jpg, focus: [0.2, 0.5]"), "subject") == []
