"""A TrueType file -> reportlab's parsed face (cmap, widths, metrics), kept between runs.

reportlab parses a font's tables in Python: ~12 ms for a Latin face, ~75 ms for the CJK
fallback, in every compile that uses them. The parsed tables are kept in the user's cache
folder (usercache.py), keyed by the file's path, size, modification time, face number and
reportlab's version, and read back in a few milliseconds. Two digests guard what is read:
one of the kept tables (a damaged file is parsed again) and one of the font's own bytes (a
font replaced by another of the same size and time is parsed again). The font's bytes
themselves are not kept: they are read from the font file, as reportlab reads them, to subset.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any, Optional

import reportlab
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

from . import usercache

FORMAT = 1  # bump when what is kept changes
_DATA = "_ttf_data"  # reportlab's attribute holding the font file's bytes
_SCALE = "_pdfScale"  # reportlab's font-unit -> 1/1000 em function (made again, not kept)


def parsed_face(path: Path, index: int, size: int, mtime_ns: int) -> TTFontFace:
    """reportlab's face for face `index` of the font file at `path` (whose stat gave `size`, `mtime_ns`).

    Raises what reportlab's parser raises for a file that is not a usable font.
    """
    data = path.read_bytes()
    kept = usercache.entry_for("fonts", path, size, mtime_ns, index, f"rl{reportlab.Version}", FORMAT)
    face = _restore(kept, data) if kept is not None else None
    if face is None:
        face = TTFontFace(str(path), subfontIndex=index)
        if kept is not None:
            _keep(kept, face)
    return face


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _keep(kept: Path, face: TTFontFace) -> None:
    state = {key: value for key, value in face.__dict__.items() if key not in (_DATA, _SCALE)}
    names = {key: value.ustr for key, value in state.items() if isinstance(value, TTFNameBytes)}
    plain = {key: value for key, value in state.items() if key not in names}
    try:
        payload = pickle.dumps((plain, names), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):  # a reportlab that keeps objects: not kept
        return
    usercache.write(kept, (_digest(getattr(face, _DATA)), _digest(payload), payload))


def _restore(kept: Path, data: bytes) -> Optional[TTFontFace]:
    """The face kept at `kept` for the font bytes `data`, or None when it is not there or not sound."""
    entry = usercache.read(kept)
    if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[2], bytes)):
        return None
    font_digest, payload_digest, payload = entry
    if font_digest != _digest(data) or payload_digest != _digest(payload):
        return None
    try:
        plain, names = usercache.loads(payload)
        state: dict[str, Any] = dict(plain)
        state.update({key: TTFNameBytes(text.encode("utf8")) for key, text in names.items()})
        units = state["unitsPerEm"]
        if not isinstance(state["charToGlyph"], dict) or not isinstance(state["charWidths"], dict):
            return None
    except Exception:  # not what _keep wrote: parse again
        return None
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    setattr(face, _DATA, data)
    # reportlab's own: font units to thousandths of an em (exact when the font has 1000 units per em)
    setattr(face, _SCALE, (lambda x: x) if units == 1000 else (lambda x, factor=1000 / units: x * factor))
    return face
