"""An image file -> ImageInfo, from the header only (no pixels are decoded); image problems -> located diagnostics."""

from __future__ import annotations

import functools
import importlib
import os
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, Iterator

from PIL import Image, UnidentifiedImageError

from ..diagnostics import Diagnostic, ImageProblem, ImageProblems, ManuscriptError, Severity
from ..model import ImageInfo, Manuscript, SourceRef
from .ahead import taken_ahead
from .digest import file_digest
from .files import size_problem
from .libmessages import heard, install
from .metadata import read_artist, read_description, read_orientation
from .probecache import active, file_state

# Medium-format backs reach 150 MP and stitched panoramas more, so Pillow's default
# limit (~89 MP) is too low for a photo book; beyond this a file is refused as a
# possible decompression bomb (a small file that would need gigabytes to decode).
MAX_PIXELS = 250_000_000
MAX_FILE_BYTES = 4 << 30  # a 250 MP, 16-bit, uncompressed TIFF with layers; checked before anything is read
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# Only these decoders may look at a file (camera MPO files open through JPEG).
FORMATS = ("JPEG", "PNG", "TIFF", "WEBP", "GIF", "BMP", "AVIF")
_PLUGINS = {"WEBP": "WebP"}  # the plugin module's name where it is not the format's, capitalised
EXPECTED = "JPEG, PNG, TIFF or WebP expected"
IMAGE_HINT = "replace it with a readable JPEG, PNG, TIFF or WebP image"


def probe(path: Path) -> ImageInfo:
    """Size after EXIF orientation, mode, ICC, content hash and caption of one image.

    Inside `probe_cache(folder)` an unchanged file (same stat) is not read again; its subject
    box (subject.py, found for the whole manuscript at once) comes back with it, and so does
    that of a file whose content was seen before (same hash).
    """
    path = Path(path)
    state = file_state(_check_file(path))
    cache = active()
    known = cache.get(path, state) if cache is not None else None
    if known is not None:
        return known
    info = taken_ahead(path, state) or _probe(path)
    known = cache.subject(info.digest) if cache is not None else None
    if known is not None:  # the same content was looked at before (a copy, a touched file)
        info = replace(info, subject=known[0])
    if cache is not None:
        cache.put(path, state, info, subject_known=known is not None)
    return info


def probe_with_state(path: Path) -> tuple[list[int], ImageInfo | None]:
    """For the image workers (ahead.py): the file's state and its probe (no cache); None for a file with a
    problem, which the loader then probes itself and reports where the manuscript uses it."""
    path = Path(path)
    try:
        state = file_state(_check_file(path))
        return state, _probe(path)
    except ImageProblem:
        return [], None


def _probe(path: Path) -> ImageInfo:
    with heard() as messages, open(path, "rb") as fp:  # Pillow's warnings about its metadata, kept with the facts
        with open_image(path, fp) as im:
            orientation = read_orientation(im)
            width, height = im.size
            if orientation >= 5:
                width, height = height, width
            info = dict(mode=im.mode, format="JPEG" if im.format == "MPO" else im.format,
                        has_icc=bool(im.info.get("icc_profile")), description=read_description(im),
                        artist=read_artist(im))
            if not _complete(fp, im):  # last: it moves the file position under Pillow
                raise ImageProblem(path, "is truncated (the file ends before the image data "
                                         "does); copy it again from the original")
    digest = file_digest(path)
    return ImageInfo(path=path, width=width, height=height, orientation=orientation,
                     digest=digest, warnings=tuple(dict.fromkeys(messages)), **info)


def open_image(path: Path, fp: BinaryIO) -> Image.Image:
    """Image.open with every failure turned into an ImageProblem naming `path`."""
    install()  # a bomb is refused by its size below; Pillow's own warning about it is silenced there
    try:
        im = Image.open(fp, formats=_known_formats())
    except Image.DecompressionBombError:
        raise _too_big(path) from None
    except UnidentifiedImageError:
        raise ImageProblem(path, f"not an image ({EXPECTED})") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # Pillow's ways of saying "corrupt"
        raise ImageProblem(path, f"is damaged and cannot be read ({exc}); {EXPECTED}") from None
    if im.width * im.height > MAX_PIXELS:
        im.close()
        raise _too_big(path)
    return im


@functools.cache
def _known_formats() -> tuple[str, ...]:
    # Only these formats' plugins are imported: Image.init() imports all of Pillow's ~45 (~20 ms in
    # every process that opens a photo: the main one and each image worker).
    for name in FORMATS:
        if name not in Image.OPEN:
            try:
                importlib.import_module(f"PIL.{_PLUGINS.get(name, name.capitalize())}ImagePlugin")
            except ImportError:  # AVIF needs a Pillow built with it; looked for once, not at every photo
                pass
    return tuple(name for name in FORMATS if name in Image.OPEN)


def _too_big(path: Path) -> ImageProblem:
    return ImageProblem(path, f"is larger than {MAX_PIXELS // 1_000_000} megapixels (possible "
                              "decompression bomb); scale it down before placing it")


def _check_file(path: Path) -> os.stat_result:
    try:
        stat = path.stat()
        size = stat.st_size
    except FileNotFoundError:
        raise ImageProblem(path, "not found; check the file name and folder") from None
    except OSError as exc:
        raise ImageProblem(path, f"cannot be read ({exc.strerror})") from None
    refused = size_problem(stat, MAX_FILE_BYTES)
    if refused is not None:
        raise ImageProblem(path, f"{refused.message}; {refused.hint}")
    if size == 0:
        raise ImageProblem(path, "is empty (0 bytes); copy it again from the original")
    return stat


def _complete(fp: BinaryIO, im: Image.Image) -> bool:
    """Cheap structural check that the file holds all of its image data."""
    size = fp.seek(0, 2)
    if im.format in ("JPEG", "MPO"):
        return _jpeg_complete(fp)
    if im.format == "PNG":
        return _png_complete(fp)
    if im.format == "WEBP":
        fp.seek(4)
        return size >= 8 + int.from_bytes(fp.read(4), "little")
    if im.format == "TIFF":
        return _tiff_complete(im, size)
    return True  # other formats are caught when prepare decodes them


def _jpeg_complete(fp: BinaryIO) -> bool:
    """Walk the marker segments to the first scan, then look for the end-of-image marker.

    Only the entropy-coded data is searched, where 0xFF is always stuffed, so an
    EXIF thumbnail's EOI cannot be mistaken for ours; data after the EOI (MPF
    images, motion-photo video) is allowed.
    """
    fp.seek(2)
    while True:
        head = fp.read(4)
        if len(head) < 4 or head[0] != 0xFF:
            return False
        if head[1] == 0xFF:  # fill byte
            fp.seek(-3, 1)
            continue
        if head[1] == 0xDA:
            break
        if 0xD0 <= head[1] <= 0xD7 or head[1] == 0x01:  # markers without a length
            fp.seek(-2, 1)
            continue
        fp.seek(int.from_bytes(head[2:], "big") - 2, 1)
    if _eoi_near_end(fp, fp.tell()):
        return True
    last = b""
    while chunk := fp.read(1 << 20):
        if b"\xff\xd9" in last + chunk:
            return True
        last = chunk[-1:]
    return False


def _eoi_near_end(fp: BinaryIO, scan_start: int) -> bool:
    """The usual case, found without reading the whole file: an EOI in its last 64 KiB of scan data."""
    end = fp.seek(0, 2)
    start = max(scan_start, end - (1 << 16))
    fp.seek(start)
    found = b"\xff\xd9" in fp.read()
    fp.seek(scan_start)
    return found


def _png_complete(fp: BinaryIO) -> bool:
    fp.seek(8)
    while True:
        head = fp.read(8)
        if len(head) < 8:
            return False
        if head[4:] == b"IEND":
            return True
        fp.seek(int.from_bytes(head[:4], "big") + 4, 1)


def _tiff_complete(im: Image.Image, size: int) -> bool:
    tags = im.tag_v2
    for offsets_tag, counts_tag in ((273, 279), (324, 325)):
        offsets, counts = tags.get(offsets_tag), tags.get(counts_tag)
        if offsets and counts:
            offsets = offsets if isinstance(offsets, tuple) else (offsets,)
            counts = counts if isinstance(counts, tuple) else (counts,)
            return max(o + c for o, c in zip(offsets, counts)) <= size
    return True


def image_message(problem: ImageProblem, name: str) -> tuple[str, str]:
    """'photo 'x.jpg' is empty (0 bytes)' and its remedy, from the image stage's "<path>: <reason>; <remedy>"."""
    reason = problem.reason if problem.path is not None else str(problem)
    what, _, remedy = reason.partition("; ")
    if what.startswith("not "):  # "not an image", "not found": read as "is not ..."
        what = "is " + what
    if not remedy or remedy.endswith("expected"):  # "JPEG, PNG, TIFF or WebP expected" says what, not how
        remedy = IMAGE_HINT
    return f"photo '{name}' {what}", remedy


@contextmanager
def image_problems_located(manuscript: Manuscript) -> Iterator[None]:
    """ImageProblems from decoding (the header probe passed) -> ManuscriptError at every place the image is used."""
    try:
        yield
    except ImageProblem as exc:
        problems = exc.problems if isinstance(exc, ImageProblems) else (exc,)
        uses: dict[Path, list[SourceRef]] = {}
        for photo in manuscript.all_photos():
            uses.setdefault(photo.image.path, []).append(photo.source)
        diagnostics = []
        for problem in problems:
            name = _relative(problem.path, manuscript.root) if problem.path else "an image"
            message, hint = image_message(problem, name)
            for source in uses.get(problem.path, [SourceRef(name)]):
                diagnostics.append(Diagnostic(Severity.ERROR, message, source.file, source.line or None,
                                              source.column or None, hint))
        raise ManuscriptError(diagnostics) from exc


def _relative(path: Path, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)


LIBRARY_HINT = "the photo was used; to silence this, open it in an image editor and save it again"


def photo_notes(manuscript: Manuscript, notes: list[tuple[Path, Severity, str, str]]) -> list[Diagnostic]:
    """(image path, severity, what happened, hint) -> diagnostics at the first place each image is used."""
    first: dict[Path, SourceRef] = {}
    for photo in manuscript.all_photos():
        first.setdefault(photo.image.path, photo.source)
    found = []
    for path, severity, message, hint in notes:
        name = _relative(path, manuscript.root)
        source = first.get(path, SourceRef(name))
        found.append(Diagnostic(severity, f"photo '{name}': {message}", source.file, source.line or None,
                                source.column or None, hint, check="images"))
    return found


def library_warnings(manuscript: Manuscript) -> list[Diagnostic]:
    """What the image library said about each photo while its header was read, as warnings naming it."""
    seen: dict[Path, tuple[str, ...]] = {}
    for photo in manuscript.all_photos():
        if photo.image.warnings:
            seen.setdefault(photo.image.path, photo.image.warnings)
    return photo_notes(manuscript, [(path, Severity.WARNING, f"the image library warns: {'; '.join(said)}",
                                     LIBRARY_HINT) for path, said in seen.items()])
