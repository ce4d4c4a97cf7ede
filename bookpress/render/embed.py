"""A drawn PDF with stand-in forms + prepared image files -> the PDF with the real images, streamed.

reportlab holds every embedded image in memory until it saves, and then builds
the whole file in memory too, so a book drawn with its photos needs memory in
proportion to its size. Instead the renderer draws each photo as an empty
stand-in form XObject over the unit square, and this module:

1. writes every prepared file as an image XObject into a bare "carrier" PDF,
   copying JPEG bytes straight from the file in chunks (one image at a time in
   memory at most: lossless files are decoded and Flate-compressed one by one);
2. opens the drawn PDF and the carrier with pikepdf, points each page's stand-in
   resource names at the carrier's images and saves. QPDF copies foreign stream
   data lazily, reading it from the carrier file while it writes the output.

The image dictionaries are the ones reportlab itself writes for the same files
(DCTDecode pass-through for JPEG, Decode [1 0 ...] for Adobe CMYK, FlateDecode
of the raw samples otherwise), so the pages are unchanged. A JPEG's compressed
data is copied untouched; only its metadata segments (EXIF, ICC, XMP, IPTC,
comments) are left out: in a PDF the image dictionary gives the colour space, and
a camera's EXIF may hold where the photo was taken.
"""

from __future__ import annotations

import os
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Sequence

import pikepdf
from PIL import Image

STAND_IN_PREFIX = "bpimg"  # stand-in form names: bpimg0, bpimg1, ... (index into the file list)
_COLOUR_SPACES = {"L": b"/DeviceGray", "RGB": b"/DeviceRGB", "CMYK": b"/DeviceCMYK"}
_CHUNK = 1 << 20
_SOS, _APP14, _COM = 0xDA, 0xEE, 0xFE


@dataclass(frozen=True)
class ImageStream:
    """An image XObject's dictionary entries and where its stream bytes come from."""

    width: int
    height: int
    mode: str  # "L", "RGB" or "CMYK"
    jpeg: bool  # True: the file's bytes are the stream (DCTDecode)

    def dictionary(self, length: int) -> bytes:
        entries = [b"/Type /XObject /Subtype /Image", b"/Width %d /Height %d" % (self.width, self.height),
                   b"/BitsPerComponent 8 /ColorSpace " + _COLOUR_SPACES[self.mode]]
        if self.mode == "CMYK" and self.jpeg:
            entries.append(b"/Decode [1 0 1 0 1 0 1 0]")  # Adobe's inverted CMYK JPEGs, as reportlab reads them
        entries.append(b"/Filter [/DCTDecode]" if self.jpeg else b"/Filter [/FlateDecode]")
        entries.append(b"/Length %d" % length)
        return b"<< " + b" ".join(entries) + b" >>"


def stand_in_index(name: str) -> int | None:
    """'/FormXob.bpimg12' (reportlab's resource name for stand-in 12) -> 12; other names -> None."""
    stem = name.rsplit(".", 1)[-1]
    if stem.startswith(STAND_IN_PREFIX) and stem[len(STAND_IN_PREFIX):].isdigit():
        return int(stem[len(STAND_IN_PREFIX):])
    return None


def write_carrier(files: Sequence[Path], out: Path) -> list[int]:
    """Write a PDF holding the image of each of `files`; returns their object numbers, in order.

    A file listed twice is written once (two image jobs can share one prepared file).
    """
    offsets: list[int] = []
    with open(out, "wb") as pdf:
        pdf.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        for number, body in ((1, b"<< /Type /Catalog /Pages 2 0 R >>"), (2, b"<< /Type /Pages /Kids [] /Count 0 >>")):
            offsets.append(pdf.tell())
            pdf.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        numbers: dict[Path, int] = {}
        for path in map(Path, files):
            if path in numbers:
                continue
            numbers[path] = len(offsets) + 1
            offsets.append(pdf.tell())
            pdf.write(b"%d 0 obj\n" % numbers[path])
            _write_image(pdf, path)
            pdf.write(b"\nendobj\n")
        start = pdf.tell()
        pdf.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        pdf.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
        pdf.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, start))
    return [numbers[Path(path)] for path in files]


def _write_image(pdf: BinaryIO, path: Path) -> None:
    with Image.open(path) as im:  # the header only, unless the samples have to be re-packed
        jpeg = im.format == "JPEG" and im.mode in _COLOUR_SPACES
        if jpeg:
            stream, data = ImageStream(im.width, im.height, im.mode, True), None
        else:
            im = im if im.mode in _COLOUR_SPACES else im.convert("RGB")
            stream, data = ImageStream(im.width, im.height, im.mode, False), zlib.compress(im.tobytes())
    if data is not None:
        pdf.write(stream.dictionary(len(data)) + b"\nstream\n" + data + b"\nendstream")
        return
    with open(path, "rb") as source:
        head, scan = jpeg_head(source)
        pdf.write(stream.dictionary(len(head) + os.path.getsize(path) - scan) + b"\nstream\n" + head)
        source.seek(scan)
        shutil.copyfileobj(source, pdf, _CHUNK)
    pdf.write(b"\nendstream")


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


def embed_images(drawn: Path, files: Sequence[Path], out: Path) -> None:
    """Save `drawn` as `out` with stand-in i replaced by the image of files[i] on every page."""
    carrier_path = out.with_name(out.name + ".images")
    try:
        numbers = write_carrier(files, carrier_path)
        with pikepdf.open(drawn) as pdf, pikepdf.open(carrier_path) as carrier:
            copied: dict[int, pikepdf.Object] = {}  # by carrier object number
            for page in pdf.pages:
                _swap_stand_ins(pdf, carrier, page, numbers, copied)
            # Streams are copied as they are: nothing to gain from decoding and re-encoding them here.
            pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    finally:
        carrier_path.unlink(missing_ok=True)


def _swap_stand_ins(pdf: pikepdf.Pdf, carrier: pikepdf.Pdf, page: pikepdf.Page, numbers: list[int],
                    copied: dict[int, pikepdf.Object]) -> None:
    resources = page.obj.get("/Resources")
    xobjects = resources.get("/XObject") if resources is not None else None
    if xobjects is None:
        return
    for name in list(xobjects.keys()):
        index = stand_in_index(name)
        if index is None:
            continue
        number = numbers[index]
        if number not in copied:  # one image object however often it is placed
            copied[number] = pdf.copy_foreign(carrier.get_object(number, 0))
        xobjects[name] = copied[number]
