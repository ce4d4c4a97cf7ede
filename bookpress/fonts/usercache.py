"""What bookpress keeps outside any manuscript, between runs: parsed data that is slow to make again.

It lives beside the fonts, its main user (the hyphenation patterns and the deflated press profiles
are kept here too). Like TeX's format files: font tables and hyphenation patterns, parsed once per
file and version and read back in a fraction of the time, from the user's cache folder
(XDG_CACHE_HOME, else ~/.cache). Only plain data (strings, bytes, numbers, tuples, lists, dicts)
is written and accepted back; a file that is missing, damaged or holds anything else reads as
nothing, so the cache can only ever cost a parse. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, Optional


def folder(kind: str) -> Path:
    """The folder kept for one kind of data ("hyphenation", "fonts"); RuntimeError with no home."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bookpress" / kind


def kept_path(kind: str, name: str) -> Optional[Path]:
    """Where one entry of `kind` is kept, or None where there is no home folder to keep anything in."""
    try:
        return folder(kind) / name
    except RuntimeError:
        return None


def entry_for(kind: str, source: Path, *key: object) -> Optional[Path]:
    """Where what was made from the file `source` is kept: named by the file (its name and a digest of
    its full path, so that two copies of one font never share an entry) and by `key` (its size and
    time, the version of what made it), so that a changed file or library never meets an old entry."""
    place = hashlib.blake2b(str(source.resolve()).encode(), digest_size=8).hexdigest()
    return kept_path(kind, "-".join([source.stem, place, *map(str, key)]) + ".pickle")


class _PlainData(pickle.Unpickler):
    """Reads back plain data only: a kept file can name no code to run."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def read(kept: Path) -> Optional[Any]:
    """What `write` kept at `kept`, or None when there is nothing sound there."""
    try:
        with open(kept, "rb") as file:
            return _PlainData(file).load()
    except Exception:  # missing, damaged or foreign: whatever it is, parsing again is the answer
        return None


def loads(payload: bytes) -> Any:
    """Plain data pickled into bytes (kept inside a file `write` wrote); raises on anything else."""
    return _PlainData(io.BytesIO(payload)).load()


def write(kept: Path, data: Any) -> None:
    """Keep `data` at `kept`, whole or not at all (runs side by side may write it at once)."""
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=kept.parent, prefix=".", suffix=".tmp")
    except OSError:  # a read-only home: the next run parses again
        return
    try:
        with os.fdopen(fd, "wb") as file:
            pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, kept)
    except (OSError, pickle.PicklingError):
        Path(temp).unlink(missing_ok=True)
