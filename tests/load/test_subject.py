"""Subjects found at probe time: in ImageInfo, kept in the probe cache by content hash, kept whole by crops."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import DISC, lay_out, subject_photo, write
from PIL import Image

from bookpress.book import PlacedImage
from bookpress.load import load_manuscript, probe_cache
from bookpress.load import subject as subject_module
from bookpress.load.subject import find_subject

def test_the_subject_box_holds_the_disc(tmp_path):
    box = find_subject(subject_photo(tmp_path / "a.jpg"))
    assert box is not None
    x0, y0, x1, y1 = box[0] * 2400, box[1] * 1600, box[2] * 2400, box[3] * 1600
    cx, cy = (DISC[0] + DISC[2]) / 2, (DISC[1] + DISC[3]) / 2
    assert x0 <= cx <= x1 and y0 <= cy <= y1
    assert (x1 - x0) * (y1 - y0) < 0.25 * 2400 * 1600  # a box around the disc, not the whole photo


def test_a_photo_with_nothing_standing_out_has_no_subject(tmp_path):
    path = tmp_path / "flat.jpg"
    Image.new("RGB", (1200, 800), (120, 140, 160)).save(path)
    assert find_subject(path) is None


def test_the_subject_follows_exif_orientation(tmp_path):
    path = subject_photo(tmp_path / "turned.jpg")
    im = Image.open(path)
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned 90 degrees clockwise: the disc ends up near the top
    im.save(tmp_path / "turned6.jpg", exif=exif.tobytes(), quality=90)
    box = find_subject(tmp_path / "turned6.jpg")
    assert box is not None and box[1] < 0.5 and box[3] < 0.6


def one_photo_book(root: Path) -> Path:
    subject_photo(root / "photos" / "a.jpg")
    write(root / "chapters" / "one.yaml", """
        title: Subject
        blocks:
          - page: full-bleed
            slots: {photo: {photo: photos/a.jpg}}
    """)
    write(root / "book.yaml", "title: S\nauthor: A\nformat: {trim: a4}\nchapters: [chapters/one.yaml]\n")
    return root


def loaded_subject(root: Path):
    with probe_cache(root / "build" / ".cache"):
        manuscript = load_manuscript(root)
    (photo,) = manuscript.all_photos()
    return photo.image.subject


def test_a_warm_load_decodes_nothing_and_a_copy_is_known_by_its_content(tmp_path, monkeypatch):
    root = one_photo_book(tmp_path / "book")
    first = loaded_subject(root)
    assert first is not None

    def no_decoding(_path):
        raise AssertionError("decoded again")

    monkeypatch.setattr(subject_module, "find_subject", no_decoding)
    assert loaded_subject(root) == first  # unchanged file: the cache entry stands
    os.utime(root / "photos" / "a.jpg", (1, 1))  # touched: hashed again, but the same content is not decoded
    assert loaded_subject(root) == first
    (root / "photos" / "a.jpg").rename(root / "photos" / "b.jpg")  # renamed: known by its content
    write(root / "chapters" / "one.yaml", (root / "chapters" / "one.yaml").read_text().replace("a.jpg", "b.jpg"))
    assert loaded_subject(root) == first


def test_fill_in_a_frame_of_another_shape_keeps_the_whole_subject(tmp_path):
    """A landscape with its subject near the left edge, full-bleed on a portrait page, no focus."""
    book = lay_out(one_photo_book(tmp_path / "book"))
    (item,) = [i for p in book.pages for i in p.items if isinstance(i, PlacedImage)]
    left, top, right, bottom = item.crop
    assert right - left < 1600  # it is cropped hard (a portrait frame) ...
    assert left <= DISC[0] and right >= DISC[2] and top <= DISC[1] and bottom >= DISC[3]  # ... the disc kept whole
