"""A TrueType file -> its family, style and PostScript names, from the 'name' table alone.

Reading every bundled font in full (reportlab's parse: ~6 ms each) only to learn its
names cost a compile ~70 ms before layout could begin; a book uses a few of them.
The names are chosen as reportlab chooses them, so the face registered later under
that name is the same one.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import NamedTuple, Optional

_FAMILY, _STYLE, _UNIQUE, _FULL, _POSTSCRIPT = 1, 2, 3, 4, 6
_NOT_IN_NAMES = b" [](){}<>/%"


class FontNames(NamedTuple):
    family: str
    style: str
    postscript: str


def read_names(path: Path) -> Optional[FontNames]:
    """The names, or None where this reader gives up (a collection, an odd table): parse the font in full then."""
    try:
        names = _name_records(_name_table(Path(path)))
    except (OSError, struct.error, ValueError, UnicodeDecodeError):
        return None
    postscript = names.get(_POSTSCRIPT) or names.get(_FULL) or names.get(_FAMILY)
    if not postscript:
        return None
    postscript = postscript.replace(" ", "-")
    if any(ord(c) > 126 or c in _NOT_IN_NAMES.decode() for c in postscript):
        return None  # reportlab refuses it; let its parse say why
    return FontNames(names.get(_FAMILY) or postscript, names.get(_STYLE) or "Regular", postscript)


def _name_table(path: Path) -> bytes:
    """Only the table directory and the name table: a CJK fallback font is 16 MB, its names 1 KB.

    Reading whole files cost a cold compile its share of ~14 MB of reads on the main thread
    while the image workers were booting.
    """
    with path.open("rb") as stream:
        head = stream.read(12)
        if head[:4] not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
            raise ValueError("not a single TrueType font")
        (tables,) = struct.unpack_from(">H", head, 4)
        directory = stream.read(16 * tables)
        for index in range(tables):
            tag, _, offset, length = struct.unpack_from(">4sIII", directory, 16 * index)
            if tag == b"name":
                break
        else:
            raise ValueError("no name table")
        stream.seek(offset)
        table = stream.read(length)
    if len(table) != length:
        raise ValueError("name table runs past the end of the file")
    return table


def _name_records(data: bytes) -> dict[int, str]:
    """The wanted names from a name table (`data` starts at the table)."""
    offset = 0
    table_format, count, strings = struct.unpack_from(">HHH", data, offset)
    if table_format != 0:
        raise ValueError(f"name table format {table_format}")
    found: dict[int, str] = {}
    for index in range(count):
        platform, encoding, language, name_id, length, start = struct.unpack_from(">6H", data, offset + 6 + 12 * index)
        if name_id not in (_FAMILY, _STYLE, _UNIQUE, _FULL, _POSTSCRIPT) or name_id in found:
            continue
        raw = data[offset + strings + start : offset + strings + start + length]
        if platform == 3 and encoding == 1 and language == 0x409:  # Windows, Unicode, US English
            if length % 2:
                raise ValueError("odd-length UTF-16 name")
            text = _decoded(raw, "utf_16_be")
        elif platform == 1 and encoding == 0 and language == 0:  # Macintosh, Roman, English
            text = _decoded(raw, "mac_roman")
        else:
            continue
        if text:
            found[name_id] = text
    return found


def _decoded(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return raw.decode("latin1")
