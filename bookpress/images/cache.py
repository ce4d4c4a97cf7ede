"""Prepared image bytes <-> files in a content-addressed cache folder (atomic, LRU-pruned)."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

EXTENSIONS = ("jpg", "png", "tif")
_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|tif)$")
_STALE_TEMP_SECONDS = 3600
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
_session: tuple[int, Path] | None = None


def lookup(cache_dir: Path, key: str) -> Path | None:
    """The cached file for `key`, marked as just used, or None."""
    for ext in EXTENSIONS:
        path = cache_dir / f"{key}.{ext}"
        try:
            os.utime(path)  # the LRU clock for cache_prune; also proves the file exists
            return path
        except FileNotFoundError:
            continue
        except OSError:  # a read-only cache still serves its files
            if path.is_file():
                return path
    return None


def store(cache_dir: Path, key: str, ext: str, data: bytes) -> Path:
    """Write atomically: readers see the whole file or none, even across processes."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    final = cache_dir / f"{key}.{ext}"
    fd, temp = tempfile.mkstemp(dir=cache_dir, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, final)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return final


def session_dir() -> Path:
    """A private temporary cache for this process, removed when it exits."""
    global _session
    if _session is None or _session[0] != os.getpid():
        path = Path(tempfile.mkdtemp(prefix="bookpress-images-"))
        atexit.register(shutil.rmtree, path, ignore_errors=True)
        _session = (os.getpid(), path)
    return _session[1]


def cache_prune(cache_dir: Path, max_bytes: int) -> int:
    """Delete least-recently-used prepared images until the cache holds at most `max_bytes`.

    Returns the bytes freed. Only files this module writes are touched; temporary
    files left by a killed run are removed once they are an hour old.
    """
    cache_dir = Path(cache_dir)
    if not cache_dir.is_dir():
        return 0
    freed, entries = 0, []
    for entry in os.scandir(cache_dir):
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue
        if _NAME.match(entry.name):
            entries.append((stat.st_mtime, stat.st_size, entry.path))
        elif entry.name.endswith(".tmp") and time.time() - stat.st_mtime > _STALE_TEMP_SECONDS:
            freed += _remove(entry.path, stat.st_size)
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        removed = _remove(path, size)
        freed += removed
        total -= size
    return freed


def _remove(path: str, size: int) -> int:
    try:
        os.unlink(path)
        return size
    except FileNotFoundError:
        return 0


def parse_size(text: str) -> int:
    """'2G', '500M', '1.5GiB', '800000' -> bytes (binary multiples: 1K = 1024)."""
    match = _SIZE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a size; write e.g. 2G, 500M or 800000 (bytes)")
    number, unit = float(match[1]), match[2].lower()
    return int(number * 1024 ** " kmgt".index(unit or " "))
