"""Bad files and paths -> exit 1 naming the image or path and the line that refers to it; nothing escapes the folder."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

from conftest import assert_rejected, edit, photo, write
from conftest import run_compile as compile_
from PIL import Image


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header claims width x height pixels: a decompression bomb for any reader that trusts it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    return path


# -- images -----------------------------------------------------------------------------------------
def test_a_missing_image_suggests_the_near_name(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "  - photo: photos/a.jpg", "  - photo: photos/aa.jpg")
    assert_rejected(compile_(small_book), "chapters/01.yaml:5:12:", "photo 'photos/aa.jpg' not found",
                    "did you mean 'photos/a.jpg'?")


def test_an_empty_image(small_book: Path) -> None:
    (small_book / "photos/b.jpg").write_bytes(b"")
    assert_rejected(compile_(small_book), "chapters/01.yaml:11:23:", "photo 'photos/b.jpg' is empty",
                    "copy it again")


def test_a_truncated_image(small_book: Path) -> None:
    path = small_book / "photos/b.jpg"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert_rejected(compile_(small_book), "chapters/01.yaml:11:23:", "photo 'photos/b.jpg' is truncated")


def test_a_text_file_named_jpg(small_book: Path) -> None:
    (small_book / "photos/b.jpg").write_text("this is not a photo")
    assert_rejected(compile_(small_book), "chapters/01.yaml:11:23:", "photo 'photos/b.jpg' is not an image",
                    "JPEG, PNG, TIFF or WebP")


def test_a_decompression_bomb_is_refused_from_its_header(small_book: Path) -> None:
    png_header_only(small_book / "photos/b.png", 30_000, 30_000)
    edit(small_book / "chapters/01.yaml", "photos/b.jpg", "photos/b.png")
    assert_rejected(compile_(small_book), "chapters/01.yaml:11:23:", "photo 'photos/b.png'", "decompression bomb",
                    "scale it down")


def test_an_image_that_fails_only_when_decoded_is_named_where_it_is_used(small_book: Path) -> None:
    path = small_book / "photos/b.png"
    Image.new("RGB", (600, 400), (5, 6, 7)).save(path)
    data = bytearray(path.read_bytes())
    start = data.index(b"IDAT") + 8  # keep the header and the chunk structure; spoil the pixels
    data[start:start + 40] = b"A" * 40
    path.write_bytes(bytes(data))
    edit(small_book / "chapters/01.yaml", "photos/b.jpg", "photos/b.png")
    assert_rejected(compile_(small_book), "chapters/01.yaml:11:23:", "photo 'photos/b.png'", "damaged")


def test_a_folder_where_an_image_should_be(small_book: Path) -> None:
    (small_book / "photos/folder.jpg").mkdir()
    edit(small_book / "chapters/01.yaml", "  - photo: photos/a.jpg", "  - photo: photos/folder.jpg")
    assert_rejected(compile_(small_book), "chapters/01.yaml:5:12:", "is a folder, not a file")


def test_a_broken_image_in_a_photo_set_names_the_set_line(small_book: Path) -> None:
    (small_book / "photos/set/zz.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    assert_rejected(compile_(small_book), "chapters/01.yaml:7:15:", "photo 'photos/set/zz.jpg'", "replace it")


def test_every_broken_image_is_reported_once_per_use(small_book: Path) -> None:
    (small_book / "photos/a.jpg").write_bytes(b"")
    (small_book / "photos/b.jpg").write_text("text")
    result = compile_(small_book)
    assert_rejected(result, "chapters/01.yaml:5:12:", "photos/a.jpg")
    assert_rejected(result, "chapters/01.yaml:11:23:", "photos/b.jpg")
    assert result.stderr.count("photos/a.jpg' is empty") == 1  # used twice, probed once: reported at first use


# -- paths that leave the manuscript -----------------------------------------------------------------
def test_a_path_with_dot_dot_is_refused(small_book: Path) -> None:
    photo(small_book.parent / "outside.jpg", (600, 400))
    edit(small_book / "chapters/01.yaml", "  - photo: photos/a.jpg", "  - photo: ../outside.jpg")
    assert_rejected(compile_(small_book), "chapters/01.yaml:5:12:", "'../outside.jpg' leads outside the manuscript",
                    "copy the file into the manuscript folder")


def test_an_absolute_path_is_refused(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "  - photo: photos/a.jpg", f"  - photo: {small_book / 'photos/a.jpg'}")
    assert_rejected(compile_(small_book), "chapters/01.yaml:5:12:", "is absolute", "relative to the manuscript")


def test_a_symlink_pointing_out_is_refused(small_book: Path) -> None:
    outside = photo(small_book.parent / "outside.jpg", (600, 400))
    os.symlink(outside, small_book / "photos/link.jpg")
    edit(small_book / "chapters/01.yaml", "  - photo: photos/a.jpg", "  - photo: photos/link.jpg")
    assert_rejected(compile_(small_book), "chapters/01.yaml:5:12:", "leads outside the manuscript folder through a "
                    "symbolic link")


def test_a_symlink_inside_a_photo_set_pointing_out_is_refused(small_book: Path) -> None:
    outside = photo(small_book.parent / "outside.jpg", (600, 400))
    os.symlink(outside, small_book / "photos/set/99.jpg")
    assert_rejected(compile_(small_book), "chapters/01.yaml:7:15:", "photos/set/99.jpg", "symbolic link")


def test_a_symlink_that_stays_inside_is_fine(small_book: Path) -> None:
    os.symlink(small_book / "photos/a.jpg", small_book / "photos/alias.jpg")
    edit(small_book / "chapters/01.yaml", "  - photo: photos/a.jpg", "  - photo: photos/alias.jpg")
    assert compile_(small_book).exit_code == 0
    from conftest import lay_out

    from bookpress.book import PlacedImage

    placed = {item.photo.image.path for page in lay_out(small_book).pages for item in page.items
              if isinstance(item, PlacedImage)}
    assert (small_book / "photos/a.jpg").resolve() in placed  # the link's photo is in the book


def test_a_chapter_file_linked_from_outside_is_refused(small_book: Path) -> None:
    outside = write(small_book.parent / "elsewhere.yaml", "title: Elsewhere\n")
    os.symlink(outside, small_book / "chapters/02.yaml")
    edit(small_book / "book.yaml", "  - chapters/01.yaml", "  - chapters/01.yaml\n  - chapters/02.yaml")
    assert_rejected(compile_(small_book), "book.yaml:5:5:", "chapter file path 'chapters/02.yaml' leads outside")


# -- chapter files, fonts, layouts, photo sets ---------------------------------------------------------
def test_a_chapter_listed_twice(small_book: Path) -> None:
    edit(small_book / "book.yaml", "  - chapters/01.yaml", "  - chapters/01.yaml\n  - ./chapters/01.yaml")
    assert_rejected(compile_(small_book), "book.yaml:5:5:", "is listed twice (also at line 4)", "remove one")


def test_a_missing_chapter_file(small_book: Path) -> None:
    edit(small_book / "book.yaml", "  - chapters/01.yaml", "  - chapters/01.yaml\n  - chapters/02.yml")
    assert_rejected(compile_(small_book), "book.yaml:5:5:", "chapter file 'chapters/02.yml' not found",
                    "did you mean 'chapters/01.yaml'?")


def test_a_folder_listed_as_a_chapter(small_book: Path) -> None:
    edit(small_book / "book.yaml", "  - chapters/01.yaml", "  - chapters")
    assert_rejected(compile_(small_book), "book.yaml:4:5:", "chapter file 'chapters' is a folder")


def test_a_corrupt_font_in_the_manuscript(small_book: Path) -> None:
    (small_book / "fonts").mkdir()
    (small_book / "fonts/Broken-Regular.ttf").write_bytes(b"\x00\x01\x00\x00" + b"garbage" * 40)
    assert_rejected(compile_(small_book), "fonts/Broken-Regular.ttf:", "not a usable TrueType font",
                    "replace it with a working .ttf")


def test_a_layout_file_with_broken_yaml(small_book: Path) -> None:
    write(small_book / "layouts/mine.yaml", "name: mine\nframes:\n  a: {kind: photo, box: [0, 0, 100%\n")
    assert_rejected(compile_(small_book), "layouts/mine.yaml:4:", "invalid YAML")


def test_a_layout_file_with_bad_keys_and_values(small_book: Path) -> None:
    write(small_book / "layouts/mine.yaml", """
        name: mine
        sutis: [any]
        frames:
          a: {kind: foto, box: [0, 0, 100%, 50%]}
          b: {kind: photo, box: [0, 0, 100%]}
    """)
    result = compile_(small_book)
    assert_rejected(result, "layouts/mine.yaml:2:1:", "unknown key 'sutis'", "did you mean 'suits'?")
    assert_rejected(result, "layouts/mine.yaml:4:", "expected 'photo', 'caption', 'text' or 'title', got 'foto'")
    assert_rejected(result, "layouts/mine.yaml:5:", "'frames.b.box': expected a list of 4 values")


def test_a_photo_set_folder_with_no_images(small_book: Path) -> None:
    (small_book / "photos/empty").mkdir()
    (small_book / "photos/empty/notes.txt").write_text("to do")
    edit(small_book / "chapters/01.yaml", "photoset: photos/set", "photoset: photos/empty")
    assert_rejected(compile_(small_book), "chapters/01.yaml:7:15:", "photo set folder 'photos/empty' holds no images",
                    "add JPEG, PNG")


def test_a_file_given_as_a_photo_set(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "photoset: photos/set", "photoset: photos/a.jpg")
    assert_rejected(compile_(small_book), "chapters/01.yaml:7:15:", "is a file, not a folder")


def test_a_broken_photoset_yaml_reports_only_itself(small_book: Path) -> None:
    write(small_book / "photos/set/photoset.yaml", "photos: [\n")
    result = compile_(small_book)
    assert_rejected(result, "photos/set/photoset.yaml:2:", "invalid YAML")
    assert "holds no images" not in result.stderr


def test_a_photoset_yaml_naming_a_missing_photo(small_book: Path) -> None:
    write(small_book / "photos/set/photoset.yaml", "photos:\n  - file: 07.jpg\n")
    assert_rejected(compile_(small_book), "photos/set/photoset.yaml:2:5:", "photo '07.jpg' is not in the folder",
                    "did you mean")


def test_a_symlink_that_points_to_itself(small_book: Path) -> None:
    os.symlink("loop.jpg", small_book / "photos/loop.jpg")
    os.symlink("zz.jpg", small_book / "photos/set/zz.jpg")
    edit(small_book / "chapters/01.yaml", "  - photo: photos/a.jpg", "  - photo: photos/loop.jpg")
    result = compile_(small_book)
    assert_rejected(result, "chapters/01.yaml:5:12:", "'photos/loop.jpg' cannot be used", "leads to itself")
    assert_rejected(result, "chapters/01.yaml:7:15:", "'photos/set/zz.jpg'", "points to itself")


def test_a_layout_frame_without_area(small_book: Path) -> None:
    write(small_book / "layouts/flat.yaml", "name: flat\nframes:\n  photo: {kind: photo, box: [0, 0, 100%, 0]}\n")
    assert_rejected(compile_(small_book), "layouts/flat.yaml:3:24:", "frame 'photo' has no area",
                    "positive width and height")


def test_a_builtin_template_replaced_without_its_frames(small_book: Path) -> None:
    write(small_book / "layouts/text.yaml", "name: text\nframes:\n  p: {kind: photo, box: [0, 0, 100%, 100%]}\n")
    assert_rejected(compile_(small_book), "layouts/text.yaml:1:1:", "template 'text' needs a frame of kind 'text'",
                    "another name")
