"""Property tests: random valid manuscripts compile to the book they describe; damaged ones compile or exit 1
with every error located and explained, never a crash (exit 3).

The example budget is fixed and the search derandomized, so CI runs the same
examples every time and stays well under a minute.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

import pikepdf
from conftest import image_placements, run_cli

from bookpress.book import PlacedImage
from bookpress.load.digest import bytes_digest
from bookpress.options import Request
from bookpress.pipeline import compile_book

SETTINGS = dict(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _jpeg(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=70)
    return out.getvalue()


PHOTOS = {  # small, so that a compile takes about a second
    "photos/wide1.jpg": _jpeg((360, 240), (150, 60, 40)),
    "photos/wide2.jpg": _jpeg((360, 240), (40, 90, 150)),
    "photos/tall.jpg": _jpeg((240, 360), (60, 140, 60)),
    "photos/set/01.jpg": _jpeg((360, 240), (90, 90, 20)),
    "photos/set/02.jpg": _jpeg((240, 360), (20, 90, 90)),
    "photos/set/03.jpg": _jpeg((360, 240), (120, 20, 90)),
}
SINGLE_PHOTOS = [p for p in PHOTOS if "/set/" not in p]
PHOTO_DIGESTS = {name: bytes_digest(data) for name, data in PHOTOS.items()}


def _photos_named(chapter: dict) -> list[str]:
    """The single photos a chapter names (its opener, photo blocks and page and spread slots)."""
    names = [chapter["opener"]["photo"]] if "opener" in chapter else []
    for block in chapter["blocks"]:
        names += [block["photo"]] if "photo" in block else []
        names += [fill["photo"] for fill in block.get("slots", {}).values()]
    return names
SLOTS = {"two-up": ("top", "bottom"), "side-by-side": ("left", "right"), "full-bleed": ("photo",),
         "photo-caption": ("photo",), "grid-4": ("p1", "p2", "p3", "p4")}


def write_manuscript(root: Path, book: dict, chapters: dict[str, dict], photoset: dict | None = None) -> Path:
    for name, data in PHOTOS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    (root / "book.yaml").write_text(dump(book), encoding="utf-8")
    for name, data in chapters.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(dump(data), encoding="utf-8")
    if photoset is not None:
        (root / "photos/set/photoset.yaml").write_text(dump(photoset), encoding="utf-8")
    return root


# -- valid manuscripts --------------------------------------------------------------------------------------
ALPHABET = st.characters(codec="latin-1", categories=("L", "N", "Zs", "Pd", "Po"), exclude_characters="*[]_`\\")
words = st.text(ALPHABET, min_size=1, max_size=12).map(str.strip).filter(bool)


def sentence(max_words: int) -> st.SearchStrategy[str]:
    return st.lists(words, min_size=1, max_size=max_words).map(" ".join)


captions = st.one_of(st.none(), sentence(5))
photo_names = st.sampled_from(SINGLE_PHOTOS)


@st.composite
def photo_block(draw) -> dict:
    block: dict[str, Any] = {"photo": draw(photo_names)}
    caption = draw(captions)
    if caption:
        block["caption"] = caption
    if draw(st.booleans()):
        block["fit"] = draw(st.sampled_from(["fill", "fit"]))
    if draw(st.booleans()):
        block["focus"] = [draw(st.floats(0, 1)), draw(st.floats(0, 1))]
    return block


@st.composite
def page_block(draw) -> dict:
    template = draw(st.sampled_from(sorted(SLOTS)))
    slots = {}
    for slot in SLOTS[template]:
        fill: dict[str, Any] = {"photo": draw(photo_names)}
        caption = draw(captions)
        if caption:
            fill["caption"] = caption
        slots[slot] = fill
    return {"page": template, "slots": slots}


blocks = st.one_of(
    st.lists(sentence(40), min_size=1, max_size=3).map(lambda ps: {"text": "\n\n".join(ps)}),
    sentence(8).map(lambda h: {"heading": h}),
    st.builds(lambda t, s: {"quote": {"text": t, "source": s}} if s else {"quote": t}, sentence(20), captions),
    photo_block(),
    st.just({"photoset": "photos/set"}),
    page_block(),
    photo_names.map(lambda p: {"spread": "panorama", "slots": {"photo": {"photo": p}}}),
    st.sampled_from(["any", "recto", "verso"]).map(lambda side: {"pagebreak": side}),
)


@st.composite
def chapter(draw) -> dict:
    data: dict[str, Any] = {"title": draw(sentence(5))}
    if draw(st.booleans()):
        data["opener"] = {"photo": draw(photo_names)}
    data["blocks"] = draw(st.lists(blocks, max_size=5))
    return data


@st.composite
def manuscripts(draw) -> tuple[dict, dict[str, dict]]:
    chapters = {f"chapters/{i:02}.yaml": draw(chapter()) for i in range(draw(st.integers(1, 2)))}
    book: dict[str, Any] = {"title": draw(sentence(6)), "chapters": list(chapters)}
    if draw(st.booleans()):
        book["author"] = draw(sentence(3))
    if draw(st.booleans()):
        book["format"] = {"trim": draw(st.sampled_from(["a4", "a5", "8x10in", "6x9in", "210x280mm"]))}
    return book, chapters


@settings(max_examples=6, **SETTINGS)
@given(manuscripts())
def test_random_valid_manuscripts_compile(manuscript: tuple[dict, dict[str, dict]]) -> None:
    book, chapters = manuscript
    with tempfile.TemporaryDirectory() as folder:
        root = write_manuscript(Path(folder) / "book", book, chapters)
        result = compile_book(root, Request(jobs=1, cache=False, output=Path(folder) / "out.pdf"))
        assert len(result.book.pages) >= 4
        placed = [[item.photo.image.digest for item in page.items if isinstance(item, PlacedImage)]
                  for page in result.book.pages]
        with pikepdf.open(result.pdf) as pdf:
            assert len(pdf.pages) == len(result.book.pages)
            drawn = [len(image_placements(pdf, page)) for page in pdf.pages]
        assert drawn == [len(images) for images in placed]  # every photo laid out is in the PDF, page by page
        written = {digest for images in placed for digest in images}
        named = {PHOTO_DIGESTS[name] for chapter in chapters.values() for name in _photos_named(chapter)}
        assert named <= written, "a photo the manuscript names is missing from the book"


# -- damaged manuscripts ------------------------------------------------------------------------------------
BASE_BOOK = {"title": "Damaged", "author": "A. Author", "isbn": "9780306406157",
             "format": {"trim": "a5", "margins": {"inside": "18mm", "top": "15mm"}},
             "style": {"body": {"font": "EB Garamond", "size": "10pt"}, "folio": "bottom-center"},
             "print": {"ppi": 300}, "chapters": ["chapters/01.yaml", "chapters/02.yaml"]}
BASE_CHAPTERS = {
    "chapters/01.yaml": {"title": "One", "opener": {"photo": "photos/wide1.jpg", "caption": "Dusk."}, "blocks": [
        {"text": "A first paragraph.\n\nA second one, with *emphasis*."},
        {"heading": "A section", "toc": True},
        {"photo": "photos/tall.jpg", "caption": "Tall.", "fit": "fit", "focus": [0.5, 0.3]},
        {"photoset": "photos/set", "layout": "auto"},
    ]},
    "chapters/02.yaml": {"title": "Two", "blocks": [
        {"quote": {"text": "Words.", "source": "Someone"}},
        {"page": "two-up", "slots": {"top": {"photo": "photos/wide1.jpg", "caption": "Top."},
                                     "bottom": {"photo": "photos/wide2.jpg"}}},
        {"spread": "panorama", "slots": {"photo": {"photo": "photos/wide2.jpg"}}},
        {"pagebreak": "recto"},
        {"text": "The end."},
    ]},
}
BASE_PHOTOSET = {"title": "A set", "photos": [{"file": "02.jpg", "caption": "Second first."}, {"file": "01.jpg"}]}
YAML_FILES = ["book.yaml", *BASE_CHAPTERS, "photos/set/photoset.yaml"]
WRONG_VALUES = [None, 0, -1, 1.5, True, "", "   ", "x", [], {}, [1, 2], {"a": 1}, "12 parsecs", "../x.jpg",
                "/etc/passwd", "photos", "a" * 400, float("nan")]


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a YAML document that holds a value."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, prefix + (index,))
    return found


def _parent(data: Any, path: tuple) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


HOSTILE_TEXT = ["!!bool maybe", "!!timestamp not-a-date", "!!int ''", "!!float ''", "!!binary x", "!!python/name:os.system",
                "[" * 300, "{a: " * 200, '"\\e[8m hidden"', "*undefined", "&a [*a]", "\t- tab", "?", "- -", "'unclosed"]


def _mutate_yaml(root: Path, draw) -> None:
    path = root / draw(st.sampled_from(YAML_FILES))
    text = path.read_bytes()
    how = draw(st.sampled_from(["delete", "retype", "truncate", "garbage", "hostile"]))
    if how == "hostile":  # a value the YAML layer itself chokes on, put where a value goes
        lines = text.split(b"\n")
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        key, sep, _ = lines[at].partition(b": ")
        lines[at] = (key + b": " if sep else key + b" ") + draw(st.sampled_from(HOSTILE_TEXT)).encode()
        path.write_bytes(b"\n".join(lines))
        return
    if how == "truncate":
        path.write_bytes(text[: draw(st.integers(0, len(text)))])
        return
    if how == "garbage":
        at = draw(st.integers(0, len(text)))
        path.write_bytes(text[:at] + draw(st.binary(min_size=1, max_size=12)) + text[at:])
        return
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:  # an earlier mutation broke it already
        return
    places = _paths(data)
    if not places:
        return
    place = draw(st.sampled_from(places))
    parent = _parent(data, place)
    if how == "delete":
        del parent[place[-1]]
    else:
        parent[place[-1]] = draw(st.sampled_from(WRONG_VALUES))
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _bad_huffman(data: bytes) -> bytes:
    """The same JPEG with a Huffman table that cannot be: its header still reads, its data does not decode."""
    at = data.index(b"\xff\xc4")
    return data[: at + 5] + b"\xff" * 16 + data[at + 21:]


def _damage_image(root: Path, draw) -> None:
    path = root / draw(st.sampled_from(sorted(PHOTOS)))
    data = path.read_bytes()
    how = draw(st.sampled_from(["truncate", "overwrite", "replace", "huffman"])) if data else "replace"
    if how == "huffman" and b"\xff\xc4" in data:
        path.write_bytes(_bad_huffman(data))
        return
    if how == "truncate":
        path.write_bytes(data[: draw(st.integers(0, len(data) - 1))])
    elif how == "overwrite":
        at = draw(st.integers(0, len(data) - 1))
        junk = draw(st.binary(min_size=1, max_size=64))
        path.write_bytes(data[:at] + junk + data[at + len(junk):])
    else:
        path.write_bytes(draw(st.binary(max_size=256)))


@st.composite
def damage(draw) -> list:
    return draw(st.lists(st.sampled_from([_mutate_yaml, _damage_image]), min_size=1, max_size=3))


def _base(folder: Path) -> Path:
    return write_manuscript(folder / "book", BASE_BOOK, BASE_CHAPTERS, BASE_PHOTOSET)


def test_the_undamaged_base_compiles(tmp_path: Path) -> None:
    result = compile_book(_base(tmp_path), Request(jobs=1, cache=False, output=tmp_path / "out.pdf"))
    assert result.pdf.exists()


# file:line:column: error: what (what to do); a problem with a whole file (too large, a broken font) has no line
LOCATED = re.compile(r"^(?P<file>[^:]+?)(:(?P<line>\d+):(?P<column>\d+))?: error: .+\)$")
WHOLE_FILE = ("is larger than", "not a usable TrueType font", "is a named pipe", "is a device")


@settings(max_examples=40, **SETTINGS)
@given(damage(), st.data())
def test_damaged_manuscripts_compile_or_exit_1_with_every_error_located(mutations, data) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = _base(Path(folder))
        for mutate in mutations:
            mutate(root, data.draw)
        out = Path(folder) / "out.pdf"
        result = run_cli("compile", root, "-o", out, "--quiet", "--jobs", "1", "--no-cache")
        assert result.exit_code in (0, 1), result.output  # never 3 (a crash) nor 2
        assert "Traceback" not in result.output and "internal error" not in result.output
        if result.exit_code == 0:
            with pikepdf.open(out) as pdf:
                assert len(pdf.pages) >= 4
        else:
            errors = [line for line in result.stderr.splitlines() if ": error: " in line]
            assert errors and not out.exists()
            for line in errors:
                match = LOCATED.match(line)
                assert match, f"not located or without what to do: {line}"
                assert match["line"] or any(words in line for words in WHOLE_FILE), line
                assert (root / match["file"]).exists() or match["file"] in ("fonts", "layouts"), line
        shutil.rmtree(root)
