"""An opened image's header -> its embedded caption (EXIF, XMP dc:description, IPTC) and its photographer
(EXIF Artist or Copyright, XMP dc:creator, IPTC By-line)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from PIL import Image, IptcImagePlugin

_DC = "{http://purl.org/dc/elements/1.1/}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Cameras stamp these into ImageDescription, and some editors write the language tag itself
# ("x-default") as an empty dc:description's text; none of them is a caption.
_CAMERA_JUNK = {
    "X-DEFAULT",
    "OLYMPUS DIGITAL CAMERA", "SONY DSC", "DIGITAL CAMERA", "KONICA MINOLTA DIGITAL CAMERA",
    "MINOLTA DIGITAL CAMERA", "SAMSUNG DIGITAL CAMERA", "DCIM", "DEFAULT", "IMAGE", "PICTURE",
    "EASYSHARE", "HDR", "SONY DSC CAMERA",
}


def read_description(im: Image.Image) -> str | None:
    """The first non-empty of EXIF ImageDescription, XMP dc:description, IPTC caption."""
    return _first_of(im, (_exif_description, _xmp_description, _iptc_caption))


def read_artist(im: Image.Image) -> str | None:
    """The photographer the file names: EXIF Artist, XMP dc:creator, IPTC By-line, else EXIF Copyright."""
    return _first_of(im, (_exif_artist, _xmp_creator, _iptc_byline, _exif_copyright))


def _first_of(im: Image.Image, readers) -> str | None:
    for reader in readers:
        try:
            text = _clean(reader(im))
        except Exception:  # malformed metadata must never make a photo unusable
            text = None
        if text:
            return text
    return None


def _exif_artist(im: Image.Image) -> str | bytes | None:
    return im.getexif().get(0x013B)


def _exif_copyright(im: Image.Image) -> str | None:
    """'© 2019 Ann Lee. All rights reserved.' -> 'Ann Lee': the holder, without the sign, year and rights."""
    value = im.getexif().get(0x8298)
    text = _clean(value)
    if not text:
        return None
    text = re.sub(r"(?i)^(copyright|\(c\)|©)\s*", "", text)
    text = re.sub(r"^\d{4}(\s*[-–]\s*\d{4})?[,\s]*", "", text)
    text = re.split(r"(?i)[.;]?\s*all rights reserved", text)[0]
    return text.strip(" .,") or None


def _xmp_creator(im: Image.Image) -> str | None:
    packet = _xmp_packet(im)
    if not packet:
        return None
    root = ET.fromstring(packet[packet.find(b"<") : packet.rfind(b">") + 1])
    for element in root.iter(f"{_DC}creator"):
        names = [li.text.strip() for li in element.iter(f"{_RDF}li") if li.text and li.text.strip()]
        if names:
            return ", ".join(names)
    return None


def _iptc_byline(im: Image.Image) -> str | None:
    info = IptcImagePlugin.getiptcinfo(im)
    value = info.get((2, 80)) if info else None
    if isinstance(value, list):
        value = b", ".join(value)
    if not value:
        return None
    return value.decode("utf-8", "replace") if info.get((1, 90)) == b"\x1b%G" else _decode(value)


def read_orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(0x0112, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _exif_description(im: Image.Image) -> str | bytes | None:
    return im.getexif().get(0x010E)


def _xmp_description(im: Image.Image) -> str | None:
    packet = _xmp_packet(im)
    if not packet:
        return None
    start = packet.find(b"<")
    end = packet.rfind(b">")
    root = ET.fromstring(packet[start : end + 1])
    for element in root.iter(f"{_DC}description"):
        items = list(element.iter(f"{_RDF}li"))
        items.sort(key=lambda li: li.get(_XML_LANG) != "x-default")  # x-default first
        for text in [li.text for li in items] + [element.text]:
            if text and text.strip():
                return text
    return None


def _xmp_packet(im: Image.Image) -> bytes | None:
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = im.info.get(key)
        if value:
            return value.encode("utf-8") if isinstance(value, str) else bytes(value)
    tags = getattr(im, "tag_v2", None)  # TIFF XMLPacket
    if tags is not None and 700 in tags:
        value = tags[700]
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return None


def _iptc_caption(im: Image.Image) -> str | None:
    info = IptcImagePlugin.getiptcinfo(im)
    if not info:
        return None
    value = info.get((2, 120))
    if isinstance(value, list):
        value = value[0] if value else None
    if not value:
        return None
    if info.get((1, 90)) == b"\x1b%G":  # coded character set: UTF-8
        return value.decode("utf-8", "replace")
    return _decode(value)


def _decode(raw: bytes) -> str:
    raw = raw.rstrip(b"\x00")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _clean(value: str | bytes | None) -> str | None:
    if value is None:
        return None
    text = _decode(bytes(value)) if isinstance(value, (bytes, bytearray)) else str(value)
    text = _undo_mojibake(text)
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    if not text or text.upper() in _CAMERA_JUNK:
        return None
    return text


def _undo_mojibake(text: str) -> str:
    """UTF-8 bytes read as Latin-1 ("CafÃ©") are turned back into "Café"."""
    if all(ord(ch) < 0x80 for ch in text) or any(ord(ch) > 0xFF for ch in text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text
