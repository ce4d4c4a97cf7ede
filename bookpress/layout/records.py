"""Plain JSON records kept between builds (a chapter's laid-out pages, a page's drawing): verified, atomic, pruned.

A record is named `<key>-<check>.json`: the key is a hash of everything that shaped it, the
check the first digits of the hash of the file's own bytes, and the record repeats its key
inside. It is read back only when its bytes match its name and it names its key: a file cut
short, edited by hand, or copied in under another name is removed and built again, never
trusted. Records are plain JSON (numbers, strings, lists): reading one runs no code. They are
written and read by orjson, which gives every float's shortest exact form as json does, in a
tenth of the time to write and half to read (a chapter's words are mostly floats: positions,
advances; json spent ~0.1 s of a cold 48-photo compile writing them).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import orjson

from .. import __version__
from ..load.probecache import file_state

_NAME = re.compile(r"^(?P<key>[0-9a-f]{32})-(?P<check>[0-9a-f]{16})\.json$")
_TEMP = re.compile(r"^\.\d+-.*\.tmp$")
MAX_RECORD_BYTES = 256 << 20  # far above any chapter's; a larger file there is not one of ours


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# -- keys: what shaped a record, as plain data, hashed -----------------------------------------------------
def canonical(value: Any) -> Any:
    """`value` as plain JSON data that is the same in every process (sets sorted); TypeError for anything else."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Enum):
        return canonical(value.value)
    if isinstance(value, Path):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, {f.name: canonical(getattr(value, f.name)) for f in fields(value)}]
    if isinstance(value, (tuple, list)):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return sorted(([canonical(k), canonical(v)] for k, v in value.items()), key=_sort_key)
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v) for v in value), key=_sort_key)
    raise TypeError(f"no canonical form for {type(value).__name__}")


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def hash_of(*parts: Any) -> str:
    return hashlib.blake2b(json.dumps(parts, separators=(",", ":")).encode(), digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """bookpress's own sources: a changed rule of layout never meets the records of the old one.

    Known by each source file's state (size, times, inode), not its bytes: reading the package's
    ~900 kB cost ~10 ms of every rebuild, and a file cannot be changed without changing its ctime."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(json.dumps(file_state(path.stat())).encode())
    return h.hexdigest()


class RecordStore:
    """One folder of records; `damaged` counts the entries found broken and removed in this build."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.damaged = 0
        self._names: Optional[dict[str, list[str]]] = None

    def _listing(self) -> dict[str, list[str]]:
        if self._names is None:
            found: dict[str, list[str]] = {}
            try:
                with os.scandir(self.folder) as entries:
                    for entry in entries:
                        match = _NAME.match(entry.name)
                        if match:
                            found.setdefault(match["key"], []).append(entry.name)
            except OSError:
                pass
            self._names = found
        return self._names

    def get(self, key: str) -> Any:
        """The record stored under `key`, or None (none there, or a damaged one, now removed)."""
        for name in self._listing().get(key, []):
            path = self.folder / name
            value = self._read(path, key, _NAME.match(name)["check"])
            if value is not None:
                try:
                    os.utime(path)  # the LRU clock for prune
                except OSError:
                    pass
                return value
            self.damaged += 1
            path.unlink(missing_ok=True)
        return None

    @staticmethod
    def _read(path: Path, key: str, check: str) -> Any:
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RECORD_BYTES:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        if not data or not digest(data).startswith(check):
            return None
        try:
            record = orjson.loads(data)
        except (ValueError, RecursionError):  # orjson's decode error is a ValueError, deep nesting one too
            return None
        if not isinstance(record, dict) or record.get("key") != key:
            return None
        return record.get("value")

    def put(self, key: str, value: Any) -> None:
        """Store atomically (readers see the whole file or none); a cache that cannot be written is no error."""
        data = orjson.dumps({"key": key, "value": value})
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{os.getpid()}-", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            name = f"{key}-{digest(data)[:16]}.json"
            os.replace(temp, self.folder / name)
        except OSError:
            Path(temp).unlink(missing_ok=True)
            return
        # A key stored again with other contents (a chapter's paragraphs after an edit) replaces its
        # record: the older one would only be read first, by chance, next time.
        for older in self._listing().get(key, []):
            if older != name:
                (self.folder / older).unlink(missing_ok=True)
        self._listing()[key] = [name]


def folder_bytes(folder: Path) -> int:
    total = 0
    for path in _files(folder):
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total


def _files(folder: Path) -> list[Path]:
    try:
        return [path for path in Path(folder).rglob("*") if path.is_file()]
    except OSError:
        return []


def prune_records(folders: list[Path], max_bytes: int) -> None:
    """Remove least-recently-used records of `folders` until they hold at most `max_bytes` together."""
    entries = []
    for folder in folders:
        for path in _files(folder):
            try:
                info = path.stat()
            except OSError:
                continue
            if _NAME.match(path.name) or _TEMP.match(path.name):
                entries.append((info.st_mtime, info.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries, key=lambda entry: entry[0]):
        if total <= max_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size
