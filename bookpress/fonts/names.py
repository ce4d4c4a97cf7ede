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
        data = Path(path).read_bytes()
        names = _name_records(data)
    except (OSError, struct.error, ValueError, UnicodeDecodeError):
        return None
    postscript = names.get(_POSTSCRIPT) or names.get(_FULL) or names.get(_FAMILY)
    if not postscript:
        return None
    postscript = postscript.replace(" ", "-")
    if any(ord(c) > 126 or c in _NOT_IN_NAMES.decode() for c in postscript):
        return None  # reportlab refuses it; let its parse say why
    return FontNames(names.get(_FAMILY) or postscript, names.get(_STYLE) or "Regular", postscript)


def _name_records(data: bytes) -> dict[int, str]:
    if data[:4] not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
        raise ValueError("not a single TrueType font")
    (tables,) = struct.unpack_from(">H", data, 4)
    for index in range(tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        if tag == b"name":
            break
    else:
        raise ValueError("no name table")
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
