"""The system's fonts (fontconfig) -> TrueType faces bookpress can embed, by family or by character.

Asked only when a manuscript's and bookpress's own fonts lack a character, or when a
style names a family that neither has: most books never run fontconfig at all. Only
fonts with TrueType outlines qualify (reportlab cannot embed CFF outlines), and colour
bitmap fonts are passed over: their glyphs have no outlines to print.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FORMAT = "%{file}\\t%{index}\\t%{family[0]}\\t%{style[0]}\\n"
TIMEOUT = 20.0  # seconds; fontconfig builds its cache on a first run
COLOUR_TABLES = {b"CBDT", b"sbix", b"COLR", b"SVG "}


@dataclass(frozen=True)
class SystemFace:
    path: Path
    index: int
    family: str
    style: str


def _fc_list(*pattern: str) -> list[SystemFace]:
    command = shutil.which("fc-list")
    if command is None:
        return []
    try:
        result = subprocess.run([command, "--format", FORMAT, *pattern], capture_output=True, text=True,
                                timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    faces = []
    for line in result.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or not parts[1].isdigit():
            continue
        path = Path(parts[0])
        if embeddable(path, int(parts[1])):
            faces.append(SystemFace(path, int(parts[1]), parts[2], parts[3]))
    # fontconfig lists in no fixed order: sort, so that a book sets the same on every run
    return sorted(faces, key=lambda f: (f.style.lower() not in ("regular", "book", "roman"), f.family, f.style,
                                        str(f.path), f.index))


def embeddable(path: Path, index: int = 0) -> bool:
    """TrueType outlines (a glyf table), no colour bitmaps; collections by their index."""
    try:
        with open(path, "rb") as file:
            head = file.read(12)
            offset = 0
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if index >= count:
                    return False
                file.seek(12 + 4 * index)
                offset = struct.unpack(">I", file.read(4))[0]
                file.seek(offset)
                head = file.read(12)
            if head[:4] not in (b"\x00\x01\x00\x00", b"true"):
                return False
            tables = struct.unpack(">H", head[4:6])[0]
            file.seek(offset + 12)
            tags = {file.read(16)[:4] for _ in range(tables)}
    except (OSError, struct.error):
        return False
    return b"glyf" in tags and not tags & COLOUR_TABLES


@lru_cache(maxsize=4096)
def faces_with(char: str) -> tuple[SystemFace, ...]:
    """System faces that have `char`, best first."""
    return tuple(_fc_list(f":charset={ord(char):x}"))


@lru_cache(maxsize=256)
def family_faces(family: str) -> tuple[SystemFace, ...]:
    """The system's faces of `family` (as fontconfig spells it, any case)."""
    escaped = family.replace("\\", "\\\\").replace("-", "\\-").replace(":", "\\:").replace(",", "\\,")
    return tuple(f for f in _fc_list(f":family={escaped}") if f.family.lower() == family.lower())
