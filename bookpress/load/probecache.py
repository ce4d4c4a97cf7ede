"""(image file, its stat) -> the ImageInfo probed last time, kept in a small JSON file between compiles.

Probing hashes every byte of every photo (the hash is the prepared-image cache's
key), which for a few hundred camera files is most of a warm rebuild. A file whose
size, modification and change times, inode and device are all as they were is not
read again. The cache is switched on for a block of code with `probe_cache(folder)`
(the pipeline wraps manuscript loading in it), keeps only the entries looked up in
that block, and is written atomically at its end.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict
from pathlib import Path
from typing import Iterator

from ..model import ImageInfo
from .digest import DIGEST_NAME
from .files import MiB, Refused, read_bounded

FILE_NAME = "probes.json"
# Probes made with another digest (an older bookpress, blake3 missing) must not stand: prepare re-hashes
# each photo and would take the mismatch for a file changed during the compile.
_VERSION = f"5-{DIGEST_NAME}"  # 4: with the subject box and the library's warnings; 5: the photographer
_active: ContextVar["ProbeCache | None"] = ContextVar("probe_cache", default=None)


def file_state(stat: os.stat_result) -> list[int]:
    """What must be unchanged for an earlier probe to stand (ctime catches mtime-preserving copies)."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]


class ProbeCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.old = _read(path)
        self.used: dict[str, dict] = {}
        self.discarded: list[Path] = []  # photos whose entry was damaged: probed again
        # content hash -> subject box, from every entry read: a touched or copied photo is not decoded again
        self.subjects: dict[str, list | None] = {}
        for entry in self.old.values():
            info = entry.get("info") if isinstance(entry, dict) else None
            if isinstance(info, dict) and isinstance(info.get("digest"), str) and "subject" in info:
                self.subjects[info["digest"]] = info["subject"]

    def get(self, path: Path, state: list[int]) -> ImageInfo | None:
        entry = self.old.get(str(path))
        if not isinstance(entry, dict) or entry.get("state") != state:
            return None
        info = _info(entry.get("info"), path)
        if info is None:  # edited by hand, cut short, written by something else: never trusted
            self.discarded.append(path)
            return None
        self.used[str(path)] = entry
        return info

    def subject(self, digest: str) -> tuple[tuple[float, float, float, float] | None] | None:
        """(the subject box found for this content before,) or None if it was never looked for."""
        if digest not in self.subjects:
            return None
        box = self.subjects[digest]
        try:
            return (tuple(float(v) for v in box) if box is not None else None,)  # type: ignore[return-value]
        except (TypeError, ValueError):
            return None

    def put(self, path: Path, state: list[int], info: ImageInfo, subject_known: bool = False) -> None:
        fields = {key: value for key, value in asdict(info).items() if key != "path"}
        fields["warnings"] = list(info.warnings)
        if not subject_known:
            del fields["subject"]  # not looked for yet: remember_subject adds it
        self.used[str(path)] = {"state": state, "info": fields}

    def knows_subject(self, path: Path) -> bool:
        entry = self.used.get(str(path))
        return entry is not None and "subject" in entry["info"]

    def remember_subject(self, path: Path, digest: str, subject) -> None:
        box = list(subject) if subject is not None else None
        self.subjects[digest] = box
        entry = self.used.get(str(path))
        if entry is not None and entry["info"].get("digest") == digest:
            self.used[str(path)] = {**entry, "info": {**entry["info"], "subject": box}}

    def save(self) -> None:
        if self.used == self.old:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".probes-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"version": _VERSION, "files": self.used}, out)
            os.replace(temp, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time next run


# What each field of a stored probe must be for the entry to be used (layout computes with these).
_CHECKS = {
    "width": lambda v: _count(v), "height": lambda v: _count(v),
    "orientation": lambda v: _count(v) and v <= 8,
    "mode": lambda v: isinstance(v, str) and 0 < len(v) <= 16,
    "format": lambda v: isinstance(v, str) and 0 < len(v) <= 16,
    "has_icc": lambda v: isinstance(v, bool),
    "digest": lambda v: isinstance(v, str) and len(v) == 64 and all(c in "0123456789abcdef" for c in v),
    "description": lambda v: v is None or isinstance(v, str),
    "artist": lambda v: v is None or isinstance(v, str),
    "warnings": lambda v: isinstance(v, list) and all(isinstance(item, str) for item in v),
}


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1 << 20


def _subject(value: object) -> bool:
    return value is None or (isinstance(value, list) and len(value) == 4 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and 0.0 <= v <= 1.0 for v in value))


def _info(fields: object, path: Path) -> ImageInfo | None:
    """The stored probe as an ImageInfo, or None unless every field is there and of its kind.

    The subject box may be missing (never looked for: found anew); anything else missing is damage.
    """
    if not isinstance(fields, dict) or set(fields) - {"subject"} != set(_CHECKS):
        return None
    if not all(check(fields[name]) for name, check in _CHECKS.items()) or not _subject(fields.get("subject")):
        return None
    subject = fields.get("subject")
    return ImageInfo(**{**fields, "warnings": tuple(fields["warnings"]), "path": path,
                        "subject": tuple(float(v) for v in subject) if subject is not None else None})


def _read(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(read_bounded(path, 256 * MiB).decode("utf-8"))
    except (Refused, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _VERSION or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def active() -> ProbeCache | None:
    return _active.get()


@contextmanager
def probe_cache(folder: Path | None) -> Iterator[ProbeCache | None]:
    """Within this block, probe() reuses and records results in `folder`/probes.json (None: no cache)."""
    cache = ProbeCache(Path(folder) / FILE_NAME) if folder is not None else None
    token = _active.set(cache)
    try:
        yield cache
        if cache is not None:
            cache.save()
    finally:
        _active.reset(token)
