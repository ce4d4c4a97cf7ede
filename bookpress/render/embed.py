"""A drawn PDF with stand-in forms + prepared image files -> the PDF with the real images, streamed.

reportlab holds every embedded image in memory until it saves, and then builds
the whole file in memory too, so a book drawn with its photos needs memory in
proportion to its size. Instead the renderer draws each photo as an empty
stand-in form XObject over the unit square, and this module appends to that
small file an incremental update (PDF 1.7, 7.5.6) that gives each stand-in's
object number a new value: the image XObject, its bytes copied from the prepared
file in chunks. Nothing holds more than one image at a time (lossless files are
decoded and Flate-compressed one by one); press then reads the update like any
PDF reader and writes the file out clean, stream by stream.

The image dictionaries are the ones reportlab itself writes for the same files
(DCTDecode pass-through for JPEG, Decode [1 0 ...] for Adobe CMYK, FlateDecode
of the raw samples otherwise), so the pages are unchanged. A JPEG's compressed
data is copied untouched; only its metadata segments (EXIF, ICC, XMP, IPTC,
comments) are left out: in a PDF the image dictionary gives the colour space, and
a camera's EXIF may hold where the photo was taken.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Sequence

import pikepdf
from PIL import Image

from ..images.colour import GREY_PROFILE, SRGB_PROFILE
from ..load.libmessages import heard
from .standins import stand_in_index

_COLOUR_SPACES = {"L": b"/DeviceGray", "RGB": b"/DeviceRGB", "CMYK": b"/DeviceCMYK"}
_PROFILES = {"RGB": (SRGB_PROFILE, 3), "L": (GREY_PROFILE, 1)}  # what PDF/X-4 tags device images with
_CHUNK = 1 << 20
_SOS, _APP14, _COM = 0xDA, 0xEE, 0xFE


@dataclass(frozen=True)
class ImageStream:
    """An image XObject's dictionary entries and where its stream bytes come from."""

    width: int
    height: int
    mode: str  # "L", "RGB" or "CMYK"
    jpeg: bool  # True: the file's bytes are the stream (DCTDecode)

    def dictionary(self, length: int, spaces: dict[str, bytes] | None = None) -> bytes:
        """spaces: what images of a mode say instead of its device space (an ICCBased reference, for PDF/X-4)."""
        space = (spaces or {}).get(self.mode, _COLOUR_SPACES[self.mode])
        entries = [b"/Type /XObject /Subtype /Image", b"/Width %d /Height %d" % (self.width, self.height),
                   b"/BitsPerComponent 8 /ColorSpace " + space]
        if self.mode == "CMYK" and self.jpeg:
            entries.append(b"/Decode [1 0 1 0 1 0 1 0]")  # Adobe's inverted CMYK JPEGs, as reportlab reads them
        entries.append(b"/Filter [/DCTDecode]" if self.jpeg else b"/Filter [/FlateDecode]")
        entries.append(b"/Length %d" % length)
        return b"<< " + b" ".join(entries) + b" >>"


def _write_image(pdf: BinaryIO, path: Path, spaces: dict[str, bytes] | None = None) -> str:
    """Write the image object's body; returns its mode ("L", "RGB" or "CMYK")."""
    # The header only, unless the samples have to be re-packed. A photo used as it is was probed
    # already, and what Pillow had to say about its metadata reported then.
    with heard(), Image.open(path) as im:
        jpeg = im.format == "JPEG" and im.mode in _COLOUR_SPACES
        if jpeg:
            stream, data = ImageStream(im.width, im.height, im.mode, True), None
        else:
            im = im if im.mode in _COLOUR_SPACES else im.convert("RGB")
            stream, data = ImageStream(im.width, im.height, im.mode, False), zlib.compress(im.tobytes())
    if data is not None:
        pdf.write(stream.dictionary(len(data), spaces) + b"\nstream\n" + data + b"\nendstream")
        return stream.mode
    with open(path, "rb") as source:
        head, scan = jpeg_head(source)
        pdf.write(stream.dictionary(len(head) + os.path.getsize(path) - scan, spaces) + b"\nstream\n" + head)
        source.seek(scan)
        shutil.copyfileobj(source, pdf, _CHUNK)
    pdf.write(b"\nendstream")
    return stream.mode


def jpeg_head(source: BinaryIO) -> tuple[bytes, int]:
    """The JPEG's header segments without metadata, and the offset where its first scan starts.

    Kept: everything a decoder needs (tables, frame, restart interval), JFIF and the
    Adobe segment (it says how CMYK is stored). A header this cannot follow is kept whole.
    """
    kept = [source.read(2)]
    if kept[0] != b"\xff\xd8":
        return b"", 0
    while True:
        marker = source.read(4)
        if len(marker) < 4 or marker[0] != 0xFF or marker[1] in (0x00, 0xFF):
            return b"", 0  # not the plain segment layout expected: copy the file as it is
        kind, size = marker[1], int.from_bytes(marker[2:], "big")
        if kind == _SOS:
            return b"".join(kept), source.tell() - 4
        body = source.read(size - 2)
        if not (0xE1 <= kind <= 0xEF and kind != _APP14) and kind != _COM:
            kept.append(marker + body)


def embed_images(drawn: Path, files: Sequence[Path], out: Path, tag_rgb: bool = False, tag_grey: bool = False
                 ) -> None:
    """Write `out`: `drawn` with stand-in i turned into the image of files[i] (one file per stand-in).

    tag_rgb, tag_grey: RGB images are tagged sRGB and greyscale ones with bookpress's grey profile
    (ICCBased, each profile written once in the update), as PDF/X-4 wants when the drawn file was
    already pressed; otherwise they stay DeviceRGB and DeviceGray.
    The update keeps the first /ID string and gives the second a new value (PDF 1.7, 14.4),
    derived from the previous one and the image files' names and sizes (their cache keys).
    """
    with pikepdf.open(drawn) as pdf:
        stand_ins = _stand_in_objects(pdf)
        size = int(pdf.trailer.Size)
        trailer = _trailer_entries(pdf.trailer, files)
    previous = _last_xref(drawn)
    wanted = {mode for mode, on in (("RGB", tag_rgb), ("L", tag_grey)) if on}
    used = sorted(wanted & {_mode(Path(files[index])) for index in stand_ins})
    numbers = {mode: size + i for i, mode in enumerate(used)}  # the profiles' objects, after the last one
    spaces = {mode: b"[/ICCBased %d 0 R]" % number for mode, number in numbers.items()}
    shutil.copyfile(drawn, out)
    with open(out, "ab") as update:
        update.write(b"\n")
        entries = []
        for index, (number, generation) in sorted(stand_ins.items(), key=lambda item: item[1]):
            entries.append((number, b"%d 1\n%010d %05d n \n" % (number, update.tell(), generation)))
            update.write(b"%d %d obj\n" % (number, generation))
            _write_image(update, Path(files[index]), spaces)
            update.write(b"\nendobj\n")
        for mode, number in numbers.items():
            entries.append((number, b"%d 1\n%010d 00000 n \n" % (number, update.tell())))
            profile, channels = _PROFILES[mode]
            data = zlib.compress(profile.read_bytes())
            update.write(b"%d 0 obj\n<< /N %d /Filter /FlateDecode /Length %d >>\nstream\n"
                         % (number, channels, len(data)) + data + b"\nendstream\nendobj\n")
        size += len(numbers)
        xref = update.tell()
        update.write(b"xref\n" + b"".join(entry for _, entry in sorted(entries)))
        update.write(b"trailer\n<< /Size %d %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
                     % (size, trailer, previous, xref))


def _mode(path: Path) -> str:
    """The colour mode an image file is written in (its header only)."""
    with heard(), Image.open(path) as im:  # what Pillow says about the photo was reported when it was probed
        return im.mode if im.mode in _COLOUR_SPACES else "RGB"


def _stand_in_objects(pdf: pikepdf.Pdf) -> dict[int, tuple[int, int]]:
    """Stand-in number -> (object number, generation) of its form, from every page's resources."""
    found: dict[int, tuple[int, int]] = {}
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if resources is not None else None
        for name, xobject in (xobjects.items() if xobjects is not None else ()):
            index = stand_in_index(name)
            if index is not None:
                found[index] = xobject.objgen
    return found


def _trailer_entries(trailer: pikepdf.Dictionary, files: Sequence[Path]) -> bytes:
    """The previous trailer's entries an update must repeat (PDF 1.7, 7.5.6), but /Size, and a new /ID."""
    entries = [b"/Root %d %d R" % trailer.Root.objgen]
    if "/Info" in trailer:
        entries.append(b"/Info %d %d R" % trailer.Info.objgen)
    if "/ID" in trailer and len(trailer.ID) == 2:
        update = hashlib.md5(bytes(trailer.ID[1]))
        for file in files:
            update.update(b"%s %d\n" % (Path(file).name.encode(), os.path.getsize(file)))
        first = pikepdf.String(bytes(trailer.ID[0])).unparse()
        entries.append(b"/ID [" + first + b" <" + update.hexdigest().encode() + b">]")
    elif "/ID" in trailer:
        entries.append(b"/ID " + trailer.ID.unparse())
    return b" ".join(entries)


def _last_xref(path: Path) -> int:
    """The offset after the file's last `startxref`: where the update's /Prev points."""
    with open(path, "rb") as pdf:
        pdf.seek(max(0, pdf.seek(0, 2) - 1024))
        tail = pdf.read()
    return int(tail[tail.rindex(b"startxref") + 9:].split()[0])
