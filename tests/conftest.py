"""Shared fixtures: small manuscripts written into tmp_path, and the compiled demo book."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _workers_stopped_at_the_end():
    """The tests that compile in this process share its image workers; they are shut down before the
    interpreter exits, as the CLI does, so that no pool is torn down half-way through its exit."""
    yield
    from bookpress.images import stop_workers

    stop_workers()


def photo(path: Path, size: tuple[int, int] = (1200, 800), colour: tuple[int, int, int] = (40, 90, 160),
          mode: str = "RGB", **save) -> Path:
    """A JPEG (or any format by suffix) with a gradient and a mark, so crops and rotations are visible."""
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(im)
    w, h = size
    for x in range(0, w, max(1, w // 32)):
        draw.line([(x, 0), (x, h)], fill=(colour[0], min(255, colour[1] + x * 100 // w), colour[2]), width=2)
    im = im.convert(mode) if mode != "RGB" else im
    im.save(path, **save)
    return path


DISC = (60, 330, 360, 630)  # left, top, right, bottom in a 2400 x 1600 photo: near its left edge


def subject_photo(path: Path, disc=DISC, size=(2400, 1600)) -> Path:
    """A soft sky-to-ground gradient with one red disc: the subject."""
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.new("RGB", size)
    draw = ImageDraw.Draw(im)
    for y in range(size[1]):
        draw.line([(0, y), (size[0], y)], fill=(90 + 40 * y // size[1], 120, 160 - 50 * y // size[1]))
    draw.ellipse(disc, fill=(220, 40, 30))
    im.save(path, quality=90)
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


LOREM = (
    "The committee met in the long room above the square, where the windows looked out on the river "
    "and the grey roofs of the old town. Nobody spoke of the harvest, though everybody thought of it. "
    "Reports arrived by train each morning and were read aloud, paragraph by paragraph, until the "
    "afternoon light failed and the lamps were lit along the embankment."
)


@pytest.fixture
def make_book(tmp_path: Path) -> Callable[..., Path]:
    """make_book(book_yaml_extra='', chapters={name: yaml}) -> the manuscript folder, with four photos."""

    def build(chapters: dict[str, str] | None = None, book_extra: str = "", title: str = "Test Book") -> Path:
        root = tmp_path / "book"
        photo(root / "photos" / "wide1.jpg", (1500, 1000), (30, 80, 150))
        photo(root / "photos" / "wide2.jpg", (1500, 1000), (150, 80, 30))
        photo(root / "photos" / "tall1.jpg", (800, 1200), (40, 140, 60))
        photo(root / "photos" / "tall2.jpg", (800, 1200), (140, 40, 120))
        chapters = chapters or {
            "chapters/one.yaml": f"""
                title: First Light
                opener: {{photo: photos/wide1.jpg}}
                blocks:
                  - text: |
                      {LOREM}

                      {LOREM}
                  - heading: A section
                  - text: "{LOREM}"
            """,
            "chapters/two.yaml": f"""
                title: Second Chapter
                blocks:
                  - text: "{LOREM}"
                  - photo: photos/wide2.jpg
                    caption: A wide photo.
                    credit: A. Photographer
                  - photo: photos/tall1.jpg
                    caption: A tall photo.
                  - photo: photos/tall2.jpg
            """,
        }
        listing = "\n".join(f"  - {name}" for name in chapters)
        write(root / "book.yaml", f"title: {title}\nauthor: Test Author\nchapters:\n{listing}\n" + textwrap.dedent(book_extra))
        for name, text in chapters.items():
            write(root / name, text)
        return root

    return build


@pytest.fixture(scope="session")
def demo_pdf(tmp_path_factory) -> Path:
    """The demo manuscript compiled once for the whole test session (into a temporary folder)."""
    from bookpress.options import Request
    from bookpress.pipeline import compile_book

    out = tmp_path_factory.mktemp("demo") / "demo.pdf"
    compile_book(REPO / "manuscript", Request(jobs=2, output=out))
    return out


def lay_out(root: Path, printer: str | None = None):
    """Load and lay out a manuscript as the compile does, without preparing a photo: its LaidOutBook."""
    from bookpress.options import Request
    from bookpress.pipeline import load_and_lay_out

    return load_and_lay_out(root, Request(printer=printer, jobs=1))[2]


@pytest.fixture(scope="session")
def demo_book():
    return lay_out(REPO / "manuscript")


# -- print production (issue 3): one small book per printer preset, compiled once a session ---------------------

PRINT_TRIMS = {"generic": "a5", "kdp": "6x9in", "ingramspark": "6x9in", "lulu": "6x9in", "blurb": "8x10in"}


def ink_photo(path: Path, size: tuple[int, int] = (1600, 1200)) -> Path:
    """A photo that asks for a lot of ink: black, deep blue, dark brown, saturated red and a rainbow."""
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.new("RGB", size, (0, 0, 0))
    draw = ImageDraw.Draw(im)
    w, h = size
    for i, colour in enumerate([(0, 0, 0), (10, 10, 90), (60, 30, 10), (200, 0, 0)]):
        draw.rectangle([i * w // 4, 0, (i + 1) * w // 4, h // 2], fill=colour)
    for x in range(w):
        hue = x / w
        draw.line([(x, h // 2), (x, h)], fill=tuple(int(255 * max(0.0, min(1.0, abs(hue * 6 - k) - 1)))
                                                    for k in (3, 2, 4)))
    im.save(path, quality=92)
    return path


def print_manuscript(root: Path, printer: str, extra: str = "", trim: str | None = None, margins: str = "") -> Path:
    """A book with text, a full-bleed oversized photo, a dark photo and a small photo on a full page.

    `margins`: a YAML flow mapping for format.margins, such as "{top: 0.8in}".
    """
    photo(root / "photos" / "big.jpg", (3000, 4000), (30, 80, 150))
    photo(root / "photos" / "small.jpg", (300, 200), (150, 80, 30))
    ink_photo(root / "photos" / "dark.jpg")
    write(root / "chapters" / "one.yaml", f"""
        title: Printing
        blocks:
          - text: |
              {LOREM}

              {LOREM}
          - page: full-bleed
            slots: {{photo: {{photo: photos/big.jpg, credit: Test Photographer}}}}
          - page: photo-caption
            slots: {{photo: {{photo: photos/dark.jpg, fit: fit, caption: Dark and saturated., credit: Test Photographer}}}}
          - page: photo-caption
            slots: {{photo: {{photo: photos/small.jpg, caption: Far too small for a full page., credit: Test Photographer}}}}
    """)
    book = f"""
        title: Print Test
        author: Test Author
        printer: {printer}
        format: {{trim: {trim or PRINT_TRIMS[printer]}{", margins: " + margins if margins else ""}}}
        chapters: [chapters/one.yaml]
        cover: {{photo: photos/big.jpg, back_text: A book made to test the printers' rules.}}
    """
    write(root / "book.yaml", textwrap.dedent(book).lstrip("\n") + textwrap.dedent(extra))
    return root


@pytest.fixture(scope="session")
def printed(tmp_path_factory) -> Callable[..., object]:
    """printed(printer, extra='') -> BuildResult of print_manuscript compiled once per (printer, extra)."""
    from bookpress.options import Request
    from bookpress.pipeline import compile_book

    built: dict[tuple[str, str], object] = {}

    def build(printer: str, extra: str = "") -> object:
        if (printer, extra) not in built:
            root = print_manuscript(tmp_path_factory.mktemp(f"print-{printer}"), printer, extra)
            built[printer, extra] = compile_book(root, Request(jobs=2))
        return built[printer, extra]

    return build


# -- the prepress audit: real photos from the demo manuscript, measured with Ghostscript ---------------------------

AUDIT_PHOTOS = {  # what each asks of a press
    "dusk": "water/lake-at-dusk.jpg",  # dark: the shadows a 240% press cannot reach
    "forest": "woods/forest-path.jpg",  # deep greens outside a 240% gamut; heavy ink
    "boats": "water/rowing-boats-at-sunset.jpg",  # saturated warm colours at the ink limit
    "facade": "town/curved-facade.jpg",  # a greyscale JPEG
    "cups": "town/colourful-cups.jpg",  # an ICC-tagged photo
}
AUDIT_PPI = 150  # the images' resolution in the audit books: what Ghostscript renders at to count ink


def audit_manuscript(root: Path, printer: str, extra: str = "", photos: tuple[str, ...] = tuple(AUDIT_PHOTOS)) -> Path:
    """The demo's real photos (all five AUDIT_PHOTOS, or `photos`) on pages of their own (the dusk
    lake full-bleed), a caption each, 6 x 9 in."""
    import shutil

    for name in photos:
        source = AUDIT_PHOTOS[name]
        (root / "photos").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "manuscript" / "photos" / source, root / "photos" / f"{name}.jpg")
    pages = "\n".join(f"  - page: {'full-bleed' if name == 'dusk' else 'photo-caption'}\n"
                      f"    slots: {{photo: {{photo: photos/{name}.jpg, caption: The {name}.}}}}"
                      for name in photos)
    write(root / "chapters" / "one.yaml", f"title: Audit\nblocks:\n  - text: \"{LOREM}\"\n{pages}\n")
    book = f"""
        title: Audit Test
        subtitle: Photographs measured
        author: Test Author
        printer: {printer}
        format: {{trim: 6x9in, margins: {{top: 0.8in, bottom: 0.9in, outside: 0.6in, inside: 0.9in}}}}
        print: {{ppi: {AUDIT_PPI}, min_ppi: 100{extra}}}
        chapters: [chapters/one.yaml]
        front_matter: [title]
        back_matter: []
        cover: {{photo: photos/boats.jpg, back_text: A book made to audit the print output.}}
    """
    write(root / "book.yaml", textwrap.dedent(book).lstrip("\n"))
    return root


@pytest.fixture(scope="session")
def audited(tmp_path_factory) -> Callable[..., object]:
    """audited(printer, extra='', cover=False) -> the BuildResult (or the CoverResult) of audit_manuscript,
    each built once per session. `extra`: more `print:` keys, written as ", key: value"."""
    from bookpress.options import Request
    from bookpress.pipeline import compile_book
    from bookpress.products.cover import build_cover

    roots: dict[tuple[str, str], Path] = {}
    built: dict[tuple[str, str, bool], object] = {}

    def build(printer: str, extra: str = "", cover: bool = False) -> object:
        if (printer, extra) not in roots:
            roots[printer, extra] = audit_manuscript(tmp_path_factory.mktemp(f"audit-{printer}"), printer, extra)
        if (printer, extra, cover) not in built:
            make = build_cover if cover else compile_book
            built[printer, extra, cover] = make(roots[printer, extra], Request(jobs=1))
        return built[printer, extra, cover]

    return build


# -- proofs and the author's loop (issue 6): the `bookpress init` sample, proofed once a session --------------


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory) -> Path:
    """The sample manuscript `bookpress init` writes, with its image cache warmed by one proof."""
    from bookpress.options import Request
    from bookpress.products.proof.build import ProofOptions, make_proof
    from bookpress.scaffold import create_manuscript

    root = tmp_path_factory.mktemp("sample") / "sample"
    create_manuscript(root, "Sample Book")
    make_proof(root, Request(jobs=2), ProofOptions(report=False))
    return root


@pytest.fixture
def sample_book(sample_template: Path, tmp_path: Path) -> Path:
    """A fresh, editable copy of the sample manuscript (its build/ folder holds only the image cache)."""
    import shutil

    root = tmp_path / "sample"
    shutil.copytree(sample_template, root, ignore=shutil.ignore_patterns("*.pdf"))
    return root


def pdf_texts(path: Path) -> list[str]:
    """The text of every page of a PDF as pdfium extracts it: what a reader can search and copy."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def word_boxes(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, (x0, y0, x1, y1, word) in points from the media's top left, as poppler's pdftotext -bbox finds them."""
    import re
    import subprocess

    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)'
    return [[(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, page)]
            for page in html.split("<page ")[1:]]


def text_gaps(path: Path) -> list[tuple[int, float, str]]:
    """(page index, nearest distance of a word to the trim in points, that word) for every page with text."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        boxes = [([float(v) for v in p.obj.MediaBox], [float(v) for v in p.obj.TrimBox]) for p in pdf.pages]
    gaps = []
    for index, words in enumerate(word_boxes(path)):
        (_, _, _, top), (left, bottom, right, trim_top) = boxes[index]
        nearest = [(min(x0 - left, right - x1, y0 - (top - trim_top), (top - bottom) - y1), word)
                   for x0, y0, x1, y1, word in words]
        if nearest:
            gap, word = min(nearest)
            gaps.append((index, gap, word))
    return gaps


def image_placements(pdf, page) -> list[tuple[object, list[float]]]:
    """(image, [x0, y0, x1, y1]) for every image drawn on the page, from the content stream's matrices."""
    import pikepdf

    placements, stack, ctm = [], [], [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    xobjects = page.obj.Resources.get("/XObject", {})
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name == "q":
            stack.append(ctm)
        elif name == "Q":
            ctm = stack.pop()
        elif name == "cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            A, B, C, D, E, F = ctm
            ctm = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F]
        elif name == "Do":
            image = xobjects[operands[0]]
            if image.get("/Subtype") == pikepdf.Name.Image:
                placements.append((image, [ctm[4], ctm[5], ctm[4] + ctm[0], ctm[5] + ctm[3]]))
    return placements


# -- broken manuscripts: tests/test_errors*.py and tests/test_fuzz*.py ------------------------------
SMALL_BOOK = """\
title: Small Book
author: Test Author
chapters:
  - chapters/01.yaml
"""
SMALL_CHAPTER = """\
title: One
blocks:
  - text: |
      A paragraph of text.
  - photo: photos/a.jpg
    caption: A landscape.
  - photoset: photos/set
  - page: two-up
    slots:
      top: {photo: photos/a.jpg, caption: Top.}
      bottom: {photo: photos/b.jpg, caption: Bottom.}
"""


def write_small_book(root: Path) -> Path:
    """A valid one-chapter manuscript with small photos; its line numbers are the ones tests break."""
    (root / "book.yaml").parent.mkdir(parents=True, exist_ok=True)
    (root / "book.yaml").write_text(SMALL_BOOK, encoding="utf-8")
    write(root / "chapters" / "01.yaml", SMALL_CHAPTER)
    photo(root / "photos" / "a.jpg", (600, 400), (120, 80, 40))
    photo(root / "photos" / "b.jpg", (600, 400), (20, 90, 160))
    for i in range(3):
        photo(root / "photos" / "set" / f"{i:02}.jpg", (600, 400), (60 * i, 100, 100))
    return root


@pytest.fixture
def small_book(tmp_path: Path) -> Path:
    return write_small_book(tmp_path / "book")


def edit(path: Path, old: str, new: str) -> Path:
    """Replace `old` (which must be there) with `new` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def run_cli(*args: object):
    """`bookpress ARGS` in-process; the result has exit_code, stdout, stderr and output."""
    from typer.testing import CliRunner

    from bookpress.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def run_compile(root: Path, *extra: object):
    """`bookpress compile ROOT --quiet --jobs 1 EXTRA...` in-process."""
    return run_cli("compile", root, "--quiet", "--jobs", "1", *extra)


def assert_rejected(result, where: str, *words: str, code: int = 1) -> str:
    """Exit `code`, a stderr line naming `where` (file:line:) that contains `words` and says what to do; no traceback.

    Returns that line.
    """
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith(where)]
    assert lines, f"nothing about {where!r} in:\n{result.stderr}"
    line = next((ln for ln in lines if all(w in ln for w in words)), None)
    assert line is not None, f"no line about {where!r} with {words} in:\n{result.stderr}"
    # what to do: a hint in parentheses at the end, or the value that was expected
    assert line.rstrip().endswith(")") or ": expected " in line or " must be " in line, line
    return line
