"""`bookpress init DIR`: a new manuscript that compiles at once and shows the format by example."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import yaml
from conftest import pdf_texts
from PIL import Image
from typer.testing import CliRunner

from bookpress.cli import app
from bookpress.load.schema import BLOCK_KINDS


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def test_init_then_compile_gives_a_clean_book(tmp_path: Path) -> None:
    folder = tmp_path / "my-first-book"
    result = run("init", str(folder))
    assert result.exit_code == 0, result.output
    assert f"created {folder}" in result.output
    compiled = run("compile", str(folder), "-j", "2")
    assert compiled.exit_code == 0, compiled.output
    pdf = folder / "build" / "my-first-book.pdf"
    with pikepdf.open(pdf) as book:
        assert len(book.pages) >= 12
        assert str(book.docinfo["/Title"]) == "My First Book"
    report = json.loads((folder / "build" / "my-first-book.preflight.json").read_text())
    assert report["summary"] == {"errors": 0, "warnings": 0}, report["findings"]
    text = "\n".join(pdf_texts(pdf))
    for words in ("First light", "The hills", "The best camera is the one you have with you", "Contents"):
        assert words in text
    # 03-evening.jpg has no caption in photoset.yaml: its embedded EXIF description is used.
    assert "The last light of the evening on the hills" in text


def test_the_sample_uses_every_kind_of_block_and_explains_itself(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    assert run("init", str(folder), "--title", "Walks: a book").exit_code == 0
    book = yaml.safe_load((folder / "book.yaml").read_text())
    assert book["title"] == "Walks: a book"
    kinds, openers = set(), 0
    for chapter_file in book["chapters"]:
        text = (folder / chapter_file).read_text()
        assert sum(1 for line in text.splitlines() if line.lstrip().startswith("#")) >= 3, "explained by comments"
        chapter = yaml.safe_load(text)
        openers += "opener" in chapter
        kinds |= {next(k for k in block if k in BLOCK_KINDS) for block in chapter["blocks"]}
    assert kinds == set(BLOCK_KINDS)
    assert openers == len(book["chapters"])
    assert (folder / "photos" / "hills" / "photoset.yaml").is_file()


def test_sample_photos_are_real_images_with_descriptions(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    assert run("init", str(folder)).exit_code == 0
    photos = sorted((folder / "photos").rglob("*.jpg"))
    assert len(photos) >= 4
    orientations = set()
    for photo in photos:
        with Image.open(photo) as im:
            im.load()
            assert im.format == "JPEG" and min(im.size) >= 1000
            assert im.getexif().get(0x010E), f"{photo.name} has an EXIF description"
            orientations.add("landscape" if im.width > im.height else "portrait")
            colours = im.resize((16, 16)).getcolors(maxcolors=256)  # None: more than 256
            assert colours is None or len(colours) > 8, "a picture, not a flat colour"
    assert orientations == {"landscape", "portrait"}


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    result = run("init", str(folder))
    assert result.exit_code == 2
    assert "already exists and is not an empty folder" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_init_accepts_an_empty_existing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    assert run("init", str(folder), "-q").exit_code == 0
    assert (folder / "book.yaml").is_file()


def test_the_sample_has_a_cover_with_its_photo_on_the_front(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    assert run("init", str(folder)).exit_code == 0
    built = run("cover", str(folder))
    assert built.exit_code == 0, built.output
    cover = folder / "build" / "book-cover.pdf"
    report = json.loads((folder / "build" / "book-cover.preflight.json").read_text())
    assert report["summary"] == {"errors": 0, "warnings": 0}, report["findings"]
    with pikepdf.open(cover) as pdf:
        assert len(pdf.pages[0].get_images()) == 1  # the front's photo
    assert "A few lines for the back of the book" in "\n".join(pdf_texts(cover))
    # The photo is on the front, the right half of the wrap: the back is paper and type.
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(cover))
    grey = document[0].render(scale=0.1).to_pil().convert("L")
    document.close()
    half = grey.width // 2
    dark = [sum(grey.crop(box).histogram()[:128]) for box in
            ((0, 0, half, grey.height), (half, 0, grey.width, grey.height))]
    assert dark[1] > 20 * max(1, dark[0]), dark
